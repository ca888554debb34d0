import type { Core } from '../open.js';
import type { DemoServer } from '../demo-server/index.js';
import type { AppState, DemoAccount, ProviderKind } from '../../contract/types.js';

import { DEMO_LABEL, ensureDemoEnvironments } from './demo-environments.js';

export { DEMO_LABEL, DEMO_ENVIRONMENTS } from './demo-environments.js';

/**
 * The embedded demo server for a new user with no backend: started in-process on a preferred port,
 * with the demo environments (one per kind, two for OpenID Connect) pointing at it (re-pointed if the port had to change).
 */
export class DemoLauncher {
  private server: DemoServer | undefined;
  private accounts: Record<ProviderKind, DemoAccount[]> | undefined;
  private starting: Promise<DemoServer> | undefined;

  constructor(
    private readonly core: Core,
    private readonly preferredPort: number,
  ) {}

  status(): AppState['demo'] {
    if (!this.server) return { running: false };
    return { running: true, url: this.server.url, ...(this.accounts && { accounts: this.accounts }) };
  }

  async start(): Promise<DemoServer> {
    this.starting ??= this.launch();
    try {
      const server = await this.starting;
      await ensureDemoEnvironments(this.core.envs, server.url);
      return server;
    } catch (e) {
      this.starting = undefined;
      throw e;
    }
  }

  /** Restarts the demo server when demo environments exist from an earlier run. */
  async resumeIfConfigured(): Promise<boolean> {
    try {
      // peek, not read: a corrupt file is left for the window's read to move aside and report.
      const cfg = await this.core.config.peek();
      if (!cfg?.environments.some((e) => e.label === DEMO_LABEL)) return false;
      await this.start();
      return true;
    } catch {
      return false;
    }
  }

  async stop(): Promise<void> {
    // A launch still in progress would otherwise leave a server running after close().
    await this.starting?.catch(() => undefined);
    const s = this.server;
    this.server = undefined;
    this.starting = undefined;
    await s?.close();
  }

  private async launch(): Promise<DemoServer> {
    // Loaded lazily: the demo server is not needed on most starts.
    const { startDemoServer, DEMO_CREDENTIALS } = await import('../demo-server/index.js');
    // Accounts that demonstrate failures (unconfirmed, banned) are left to the README.
    const usable = (list: DemoAccount[]) => list.filter((a) => !/unconfirmed|banned/.test(a.email));
    this.accounts = {
      supabase: usable(DEMO_CREDENTIALS.supabase),
      session: usable(DEMO_CREDENTIALS.session),
      bearer: DEMO_CREDENTIALS.bearer.map((t) => ({ email: t.email, password: '', label: t.label, answers: { token: t.token } })),
      // They sign in on the demo issuer's own page (browser, device code), not in TokenDesk's form.
      oidc: DEMO_CREDENTIALS.oidc.users,
      oauth2: [],
    };
    try {
      this.server = await startDemoServer({ port: this.preferredPort });
    } catch {
      this.server = await startDemoServer({ port: 0 });
    }
    return this.server;
  }
}
