import type { Core } from '../open.js';
import type { DemoServer } from '../demo-server/index.js';

export const DEMO_LABEL = 'demo';
export const DEMO_ENVIRONMENTS = { supabase: 'Demo Supabase', session: 'Demo session API' } as const;

/**
 * The embedded demo server for a new user with no backend: started in-process on a preferred port,
 * with one demo environment per seed API pointing at it (re-pointed if the port had to change).
 */
export class DemoLauncher {
  private server: DemoServer | undefined;
  private starting: Promise<DemoServer> | undefined;

  constructor(
    private readonly core: Core,
    private readonly preferredPort: number,
  ) {}

  status(): { running: boolean; url?: string } {
    return this.server ? { running: true, url: this.server.url } : { running: false };
  }

  async start(): Promise<DemoServer> {
    this.starting ??= this.launch();
    try {
      const server = await this.starting;
      await this.ensureEnvironments(server);
      return server;
    } catch (e) {
      this.starting = undefined;
      throw e;
    }
  }

  /** Restarts the demo server when demo environments exist from an earlier run. */
  async resumeIfConfigured(): Promise<boolean> {
    try {
      const envs = await this.core.envs.list();
      if (!envs.some((e) => e.label === DEMO_LABEL)) return false;
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
    const { startDemoServer } = await import('../demo-server/index.js');
    try {
      this.server = await startDemoServer({ port: this.preferredPort });
    } catch {
      this.server = await startDemoServer({ port: 0 });
    }
    return this.server;
  }

  private async ensureEnvironments(server: DemoServer): Promise<void> {
    const envs = await this.core.envs.list();
    for (const provider of ['supabase', 'session'] as const) {
      const name = DEMO_ENVIRONMENTS[provider];
      const existing = envs.find((e) => e.name === name);
      if (existing) {
        if (existing.baseUrl !== server.url) await this.core.envs.update(existing.id, { baseUrl: server.url });
        continue;
      }
      await this.core.envs.add({
        name,
        provider,
        baseUrl: server.url,
        label: DEMO_LABEL,
        color: provider === 'supabase' ? '#3ecf8e' : '#7c5cff',
        production: false,
        ...(provider === 'supabase' && {
          anonKey: server.anonKey,
          apiKey: server.apiKey,
          variables: { organization_id: '40e9bb4c-3b1c-4e5b-8c7d-2f5a9b8e1c3d' },
        }),
      });
    }
  }
}
