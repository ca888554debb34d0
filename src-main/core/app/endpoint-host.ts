import type { CopyResult } from '../../contract/types.js';
import type { EndpointProductionAsk, EndpointView } from '../../contract/endpoint.js';
import { TokenDeskError } from '../errors.js';
import type { Core } from '../open.js';
import type { Config } from '../config/schema.js';
import { startEndpoint, type Endpoint } from '../endpoint/server.js';
import { endpointUrl } from '../endpoint/constants.js';
import { ensureEndpointSecret } from '../endpoint/secret.js';
import { readAccessLog } from '../endpoint/access-log.js';
import { allowedProduction, allowProduction, endpointPort } from '../endpoint/settings.js';
import { liveExport, type LiveExport, type LiveFormat } from '../endpoint/live-export.js';
import type { Environment } from '../config/schema.js';
import { maskSecret } from './state-view.js';

/** The window's log shows this many calls, the newest first. */
const LOG_LINES = 100;
/** At most one "endpoint-called" event this often, however many calls arrive: the window re-reads its log. */
const CALL_EVENT_MS = 1000;

/**
 * The desktop app's side of the local credential endpoint: served while the app runs (started by the
 * app service, closed with it), and what its panel shows. A port in use (another app, or
 * `tokendesk serve`) is said in the panel, never fatal to the app.
 */
export class EndpointHost {
  private endpoint: Endpoint | undefined;
  private error: string | undefined;
  private port: number | undefined;
  private lastCallEvent = 0;
  private callTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly core: Core,
    /** The configuration as the app service reads it (a corrupt file's report is kept for the window). */
    private readonly readConfig: () => Promise<Config>,
    private readonly events: { called(): void; productionAsked(ask: EndpointProductionAsk): void },
    private readonly fixedPort?: number,
  ) {}

  async start(): Promise<void> {
    try {
      const port = this.fixedPort ?? endpointPort(await this.readConfig());
      this.port = port;
      this.endpoint = await startEndpoint({
        core: this.core,
        port,
        servedBy: 'app',
        onCall: () => this.called(),
        onProductionAsked: (ask) => this.events.productionAsked(ask),
      });
      this.error = undefined;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      this.error =
        code === 'EADDRINUSE'
          ? `Port ${this.port} is in use (tokendesk serve, or another program): the app does not serve the endpoint. Stop the other one and restart the app, or choose another port with tokendesk endpoint port N`
          : e instanceof TokenDeskError
            ? e.message
            : `The endpoint could not start (${code ?? 'error'})`;
    }
  }

  /** Coalesced: a burst of calls is one event now and one at the end of the burst. */
  private called(): void {
    const now = Date.now();
    if (now - this.lastCallEvent >= CALL_EVENT_MS) {
      this.lastCallEvent = now;
      this.events.called();
      return;
    }
    this.callTimer ??= setTimeout(() => {
      this.callTimer = undefined;
      this.lastCallEvent = Date.now();
      this.events.called();
    }, CALL_EVENT_MS).unref();
  }

  /** The panel's view; opening it is the secret's first use, so it is made here when missing. */
  async view(): Promise<EndpointView> {
    const secret = await ensureEndpointSecret(this.core.secrets, this.core.lock);
    const cfg = await this.readConfig();
    const port = this.endpoint?.port ?? this.port ?? endpointPort(cfg);
    await this.endpoint?.flush();
    const logError = this.endpoint?.logProblem();
    return {
      url: endpointUrl(port),
      port,
      running: this.endpoint !== undefined,
      ...(this.error !== undefined && { error: this.error }),
      secret: maskSecret(secret),
      revealed: false,
      log: await readAccessLog(this.core.home, LOG_LINES),
      ...(logError !== undefined && { logError }),
      allowedProduction: allowedProduction(cfg),
    };
  }

  async copySecret(clipboardClearSeconds: number): Promise<CopyResult> {
    const secret = await ensureEndpointSecret(this.core.secrets, this.core.lock);
    return { label: 'endpoint secret', text: secret, clearsInSeconds: clipboardClearSeconds > 0 ? clipboardClearSeconds : null };
  }

  /** The live Postman script or environment (as `tokendesk export` makes them), pointing at the endpoint this app serves. */
  liveExport(cfg: Config, env: Environment, format: LiveFormat, includeSecret: boolean): Promise<LiveExport> {
    return liveExport(this.core, cfg, env, format, { includeSecret, ...(this.endpoint && { url: endpointUrl(this.endpoint.port) }) });
  }

  async allow(envId: string): Promise<EndpointView> {
    await allowProduction(this.core.config, envId);
    return this.view();
  }

  async close(): Promise<void> {
    clearTimeout(this.callTimer);
    await this.endpoint?.close();
    this.endpoint = undefined;
  }
}
