import { EventEmitter } from 'node:events';
import type { ApiMethod, ApiOutput, ApiOutputs, ApiParsedInput } from '../../contract/api.js';
import type { AppEvent, AppState, CopyResult, IdentityView } from '../../contract/types.js';
import type { FlowStepView } from '../../contract/flows.js';
import { identityLabel } from '../../contract/identity-label.js';
import type { RunnerStep } from '../flows/runner.js';
import type { SignedIn } from '../sessions/manager.js';
import { emptyConfig, type Config, type Environment } from '../config/schema.js';
import { TokenDeskError } from '../errors.js';
import { openCore, type Core, type OpenCoreOptions } from '../open.js';
import { watchConfig } from '../config/watch.js';
import { RefreshScheduler } from '../sessions/scheduler.js';
import { importPostmanText } from '../environments/import-environment.js';
import { buildExportInput } from '../exports/input.js';
import { accessTokenHeader, accountHeader, authHeaders, exportVariables, omittedNotes, renderExport, toPostmanBulkEdit, type ExportInput } from '../exports/index.js';
import { environmentViews, identityView, maskSecret } from './state-view.js';
import type { AppService } from './types.js';
import { DemoLauncher } from './demo-launcher.js';
import { EndpointHost } from './endpoint-host.js';
import { fileStem, type LiveExport, type LiveFormat } from '../endpoint/live-export.js';
import { sessionStorageDescription } from './keychain-name.js';
import { QUIT_WAIT_MS, settlesWithin, type WaitTimers } from './bounded-wait.js';
import { ProjectLinks } from './project-links.js';
import { refuseFileFields, secretVariablesAsSecrets } from '../projects/edit-scope.js';

export interface AppServiceOptions extends OpenCoreOptions {
  shell: 'electron' | 'web';
  /** Background refresh (off in unit tests that drive time themselves). */
  scheduler?: boolean;
  /** Port the embedded demo server prefers (a random one is used when it is taken). */
  demoPort?: number;
  /**
   * At start, move secret-looking values an older version left in config.json to the keychain and
   * delete keychain entries nothing refers to any more (left by a killed `env remove`). Default: on
   * whenever the background scheduler is.
   */
  maintenance?: boolean;
  /** Ask each server at start whether it still accepts the stored sessions. Default: whenever the scheduler runs. */
  checkAtStart?: boolean;
  /** How long close() waits for that maintenance (default QUIT_WAIT_MS); timers for a test's clock. */
  closeWaitMs?: number;
  timers?: WaitTimers;
  /**
   * The local credential endpoint (core/endpoint/), served while the app runs: on by default whenever
   * the background scheduler is (the real app); `port` overrides the configured one (tests).
   */
  endpoint?: boolean | { port: number };
}

/** How long each server gets to answer a session check (they are asked concurrently). */
const CHECK_TIMEOUT_MS = 10_000;

type Handlers = { [M in ApiMethod]: (input: ApiParsedInput<M>) => Promise<ApiOutputs[M]> };

/** The contract implemented over the core; the Electron IPC layer and the web bridge both serve it. */
export function createAppService(
  opts: AppServiceOptions,
): AppService & { core: Core; onResume(): Promise<void>; maintenance: Promise<string[]> } {
  const core = openCore(opts);
  const now = opts.now ?? Date.now;
  const emitter = new EventEmitter<{ event: [AppEvent] }>();
  const emit = (e: AppEvent) => emitter.emit('event', e);
  const refreshing = new Set<string>();
  const demo = new DemoLauncher(core, opts.demoPort ?? 54329);
  let configError: string | undefined;
  async function readConfig(): Promise<Config> {
    try {
      return await core.config.read();
    } catch (e) {
      // An unreadable file was moved aside by the store: say where once, start empty.
      if (e instanceof TokenDeskError && e.code === 'config_unreadable') {
        configError = e.message;
        return emptyConfig();
      }
      throw e;
    }
  }

  const endpoint = new EndpointHost(
    core,
    // The service's read: when the endpoint is the first to find the file corrupt, the window still says where it went.
    readConfig,
    {
      called: () => emit({ type: 'endpoint-called' }),
      productionAsked: (ask) => emit({ type: 'endpoint-production-asked', ...ask }),
    },
    typeof opts.endpoint === 'object' ? opts.endpoint.port : undefined,
  );
  const endpointStarted = (opts.endpoint ?? opts.scheduler !== false) ? endpoint.start() : Promise.resolve();

  core.sessions.events.on('event', (e) => {
    if (e.type !== 'identities-changed') emit(e);
    emit({ type: 'state-changed', reason: 'session' });
    // A new or renewed session has its own due time: the scheduler times each one.
    scheduler.nudge();
  });



  const scheduler = new RefreshScheduler({
    sessions: core.sessions,
    secrets: core.secrets,
    // The service's read: when the scheduler is the first to find the file corrupt, the window still says where it went.
    readConfig,
    now,
    events: {
      refreshing: (id, on) => {
        if (on) refreshing.add(id);
        else refreshing.delete(id);
        emit({ type: 'state-changed', reason: 'session' });
      },
      expiring: (identityId, envId, expiresAt) => emit({ type: 'session-expiring', identityId, envId, expiresAt }),
      changed: () => emit({ type: 'state-changed', reason: 'session' }),
    },
  });
  if (opts.scheduler !== false) scheduler.start();
  // Linked project files: synced into config.json (whose watch below reports the change) and watched.
  const projects = new ProjectLinks(core, () => emit({ type: 'state-changed', reason: 'config' }));
  const stopWatching = watchConfig(core.home, () => {
    emit({ type: 'state-changed', reason: 'config' });
    scheduler.nudge(); // the margin, or identities added by the CLI
  });
  // Best effort and quiet: a locked or missing keychain is reported by the state view already.
  const maintenance =
    (opts.maintenance ?? opts.scheduler !== false)
      ? core.config
          .peek()
          // No readable config: nothing to do, and a corrupt file is left for the window's read, which
          // moves it aside and says where (moved here, the report would be swallowed below).
          .then((cfg) => (cfg ? core.envs.protectPlainSecrets() : undefined))
          .then(() => core.envs.removeOrphans())
          .then(async (removed) => {
            await core.sessions.removeOrphanProfiles(); // profile files of identities no longer listed
            return removed;
          })
          .catch(() => [] as string[])
      : Promise.resolve([] as string[]);

  /** `email` is what the session manager's calls take to name the identity: its id (never ambiguous), `label` what is shown. */
  async function identityById(identityId: string): Promise<{ env: Environment; email: string; label: string; cfg: Config }> {
    const cfg = await core.config.read();
    const identity = cfg.identities.find((i) => i.id === identityId);
    const env = identity && cfg.environments.find((e) => e.id === identity.envId);
    if (!identity || !env) throw new TokenDeskError('not_found', 'That identity no longer exists (it may have been removed from the CLI)');
    return { env, email: identity.id, label: identityLabel(identity), cfg };
  }

  async function viewOfIdentity(identityId: string): Promise<IdentityView> {
    const { env, cfg } = await identityById(identityId);
    const identity = cfg.identities.find((i) => i.id === identityId)!;
    return identityView(identity, await core.sessions.readSession(identityId), cfg.activeIdentity[env.id] === identityId, {
      now: now(),
      marginSeconds: cfg.settings.marginSeconds,
      refreshing: refreshing.has(identityId),
      provider: env.provider,
    });
  }

  async function envView(envId: string) {
    const state = await handlers.getState({});
    const view = state.environments.find((e) => e.id === envId);
    if (!view) throw new TokenDeskError('not_found', 'That environment no longer exists');
    return view;
  }

  function environmentIn(cfg: Config, envId: string): Environment {
    const env = cfg.environments.find((e) => e.id === envId);
    if (!env) throw new TokenDeskError('not_found', 'That environment no longer exists');
    return env;
  }

  /** The live Postman script or environment: no token in it, so nobody needs to be signed in. */
  async function liveExportOf(envId: string, format: LiveFormat, includeSecret: boolean): Promise<LiveExport & { env: Environment }> {
    const cfg = await core.config.read();
    const env = environmentIn(cfg, envId);
    // The environment names the endpoint's port the app actually serves on, once it has started.
    await endpointStarted;
    return { ...(await endpoint.liveExport(cfg, env, format, includeSecret)), env };
  }

  /** Everything an exporter needs, for the environment's active identity (fresh token if signed in). */
  async function exportInput(envId: string, needToken: boolean): Promise<{ input: ExportInput; who: string; env: Environment; settings: Config['settings'] }> {
    const cfg = await core.config.read();
    const env = environmentIn(cfg, envId);
    const secrets = await core.secrets.loadAll();
    let input = buildExportInput(env, secrets);
    let who = env.name;
    const hasIdentity = cfg.identities.some((i) => i.envId === env.id);
    if (needToken || hasIdentity) {
      try {
        const fresh = await core.sessions.getFreshToken(env.id);
        input = buildExportInput(env, secrets, fresh);
        const accountId = fresh.identity.activeAccountId;
        // The toast names the tenant too: "restricted@test.com · Globex (Demo session API)".
        const accountName = accountId ? fresh.session.profile.accounts.find((a) => a.id === accountId)?.name : undefined;
        who = `${identityLabel(fresh.identity)}${accountName ? ` · ${accountName}` : ''} (${env.name})`;
      } catch (e) {
        if (needToken) throw e;
      }
    }
    return { input, who, env, settings: cfg.settings };
  }

  /** A flow's step as the contract shows it: `done` carries the identity's view. */
  async function stepView(step: RunnerStep<SignedIn>): Promise<FlowStepView> {
    if (step.kind !== 'done') return step;
    const view = await viewOfIdentity(step.result.id);
    return step.result.warning ? { kind: 'done', identity: view, warning: step.result.warning } : { kind: 'done', identity: view };
  }
  // Steps a flow shows without being asked (a browser callback arrived, a poll succeeded) reach the window as events.
  core.sessions.flows.events.on('step', (step) => {
    if (step.kind === 'done' || !step.flowId) return;
    emit({ type: 'sign-in-progress', flowId: step.flowId, step });
  });

  const handlers: Handlers = {
    async getState() {
      const cfg = await readConfig();
      let secrets = new Map<string, string>();
      let keychain: AppState['keychain'] = { ok: true };
      const profiles = core.sessions.readProfiles(cfg.identities.map((i) => i.id));
      try {
        secrets = await core.secrets.loadAll();
      } catch (e) {
        const err = e instanceof TokenDeskError ? e : new TokenDeskError('keychain_error', 'The OS keychain could not be read');
        keychain = { ok: false, code: err.code, message: err.message };
      }
      const state: AppState = {
        environments: environmentViews(cfg, secrets, { now: now(), refreshing, profiles: await profiles }),
        settings: { ...cfg.settings },
        keychain,
        demo: demo.status(),
        shell: opts.shell,
        now: now(),
      };
      if (configError) state.configError = configError;
      const linked = projects.list();
      if (linked.length > 0) state.projectFiles = linked;
      return state;
    },
    async addEnvironment(input) {
      const env = await core.envs.add(input);
      return envView(env.id);
    },
    async updateEnvironment({ id, patch }) {
      // A project environment's own fields are its file's (editProjectEnvironment writes them there): here only its keys.
      const current = await core.envs.resolve(id);
      if (current.project) refuseFileFields(current, patch, 'Use "Edit in file", or copy it to your own environments.');
      // edit(), not update(): who the move signed out and the old server's failures reach the window.
      const out = await core.envs.edit(id, current.project ? secretVariablesAsSecrets(patch) : patch);
      return {
        ...(await envView(out.environment.id)),
        ...(out.signedOut.length > 0 && { signedOut: out.signedOut }),
        ...(out.warnings.length > 0 && { warnings: out.warnings }),
      };
    },
    async removeEnvironment({ id }) {
      const env = await core.envs.remove(id);
      return { removed: env.name };
    },
    async signIn({ envId, email, password, remember }) {
      const identity = await core.sessions.signIn(envId, { email, password, remember });
      return viewOfIdentity(identity.id);
    },
    beginSignIn({ envId, method, answers }) {
      return core.sessions.beginSignIn(envId, method, answers).then(stepView);
    },
    continueSignIn({ flowId, answers }) {
      return core.sessions.continueSignIn(flowId, answers).then(stepView);
    },
    async cancelSignIn({ flowId }) {
      return { cancelled: core.sessions.cancelSignIn(flowId) };
    },
    async signUp({ envId, email, password, data }) {
      const out = await core.sessions.signUp(envId, { email, password }, data);
      if (out.kind === 'confirmation_sent') return out;
      return { kind: 'session', identity: await viewOfIdentity(out.identity.id) };
    },
    async signOut({ identityId }) {
      const { env, email } = await identityById(identityId);
      const out = await core.sessions.signOut(env.id, email);
      return out.warning ? { warning: out.warning } : {};
    },
    async forgetIdentity({ identityId }) {
      const { env, email, label } = await identityById(identityId);
      // Only a signed-out identity: removing one that is signed in would end a session the user did not ask to end.
      const session = await core.sessions.readSession(identityId);
      if (session && session.expiresAt > now()) {
        throw new TokenDeskError('invalid_input', `${label} is signed in: sign out first, then remove it from the list`);
      }
      await core.sessions.signOut(env.id, email, { forget: true });
      return { forgotten: label };
    },
    async switchIdentity({ envId, identityId }) {
      const { env, email } = await identityById(identityId);
      if (env.id !== envId) throw new TokenDeskError('invalid_input', 'That identity belongs to another environment');
      await core.sessions.switchIdentity(envId, email);
      return viewOfIdentity(identityId);
    },
    async setActiveAccount({ identityId, accountId }) {
      const { env, email } = await identityById(identityId);
      await core.sessions.setActiveAccount(env.id, accountId, email);
      return viewOfIdentity(identityId);
    },
    async getTokenDetails({ identityId, reveal }) {
      const session = await core.sessions.readSession(identityId);
      if (!session) throw new TokenDeskError('not_signed_in', 'This identity is signed out');
      return {
        identityId,
        masked: maskSecret(session.accessToken),
        ...(reveal && { token: session.accessToken }),
        ...(session.profile.jwtHeader && { jwtHeader: session.profile.jwtHeader }),
        ...(session.profile.claims && { claims: session.profile.claims }),
        issuedAt: session.obtainedAt,
        expiresAt: session.expiresAt,
        ...(session.noExpiry && { noExpiry: true as const }),
        storage: sessionStorageDescription(process.platform, core.secretStore.kind, core.secretStore.chosenBy),
      };
    },
    async listVariables({ envId }) {
      const { input } = await exportInput(envId, false);
      // The list shows every variable (masked); copying the refresh token alone is an explicit ask.
      return exportVariables(input, { includeSecrets: true, includeRefreshToken: true }).map((v) => ({
        key: v.key,
        secret: v.secret,
        preview: v.secret ? (v.value ? maskSecret(v.value) : '(not set)') : v.value,
      }));
    },
    async copy({ envId, item }) {
      if (item.kind === 'postman-script') {
        const live = await liveExportOf(envId, item.kind, false);
        // No secret in it: the clipboard keeps it.
        return { label: `Postman pre-request script for ${live.env.name}`, clearsInSeconds: null, text: live.text };
      }
      const needToken = ['authorization-header', 'token', 'curl', 'headers'].includes(item.kind);
      const { input, who, env, settings } = await exportInput(envId, needToken);
      const result = (label: string, text: string, secret: boolean, omitted: string[] = []): CopyResult => ({
        label: `${label} for ${who}`,
        clearsInSeconds: secret && settings.clipboardClearSeconds > 0 ? settings.clipboardClearSeconds : null,
        text,
        ...(omitted.length > 0 && { omitted }),
      });
      const all = authHeaders(input, { includeSecrets: true });
      const header = (name: string) => all.find((h) => h.name.toLowerCase() === name.toLowerCase());
      const line = (h: { name: string; value: string }) => `${h.name}: ${h.value}`;
      const account = accountHeader(input);
      switch (item.kind) {
        case 'authorization-header': {
          // The header that carries the token: Authorization, or the environment's own (a pasted token's setting).
          const h = accessTokenHeader(input);
          if (!h) throw new TokenDeskError('not_found', `"${env.name}" has no Authorization value to copy`);
          // The chosen tenant account travels with the token, or the server answers for the primary one.
          if (account) return result(`${h.name} and ${account.name} headers`, [line(h), line(account)].join('\n'), true);
          return result(`${h.name} header`, line(h), true);
        }
        case 'apikey-header':
        case 'x-api-key-header': {
          const name = item.kind === 'apikey-header' ? 'apikey' : 'X-API-Key';
          const h = header(name);
          if (!h) throw new TokenDeskError('not_found', `"${env.name}" has no ${name} value to copy`);
          return result(`${name} header`, line(h), true);
        }
        case 'account-header': {
          if (!account) {
            const why = env.accountTransport?.kind === 'header' ? 'no account is chosen for the active identity' : 'the environment does not send the account as a header (set one in its settings)';
            throw new TokenDeskError('not_found', `"${env.name}" has no account header to copy: ${why}`);
          }
          return result(`${account.name} header`, line(account), false);
        }
        case 'headers':
          return result('request headers', all.map(line).join('\n'), true);
        case 'token':
          return result('token', input.secrets.accessToken ?? '', true);
        case 'id-token':
          if (!input.secrets.idToken) throw new TokenDeskError('not_found', `"${env.name}" has no ID token to copy: only an OpenID Connect sign-in of a user has one`);
          return result('ID token', input.secrets.idToken, true);
        case 'curl':
          return result('curl command', renderExport('curl', input, { includeSecrets: true }), true);
        case 'postman-variables':
        case 'postman-bulk-edit': {
          const opts = { includeSecrets: true, includeRefreshToken: item.includeRefreshToken ?? false };
          const omitted = omittedNotes(input, opts);
          if (item.kind === 'postman-bulk-edit') return result('Postman variables (bulk edit)', toPostmanBulkEdit(input, opts), true, omitted);
          const vars = exportVariables(input, opts);
          return result('all Postman variables', `${JSON.stringify(Object.fromEntries(vars.map((v) => [v.key, v.value])), null, 2)}`, true, omitted);
        }
        case 'postman-variable': {
          // Naming the variable is asking for it: the refresh token too.
          const v = exportVariables(input, { includeSecrets: true, includeRefreshToken: true }).find((x) => x.key === item.key);
          if (!v) throw new TokenDeskError('not_found', `"${env.name}" has no variable ${item.key}`);
          return result(`Postman variable ${v.key}`, v.value, v.secret);
        }
      }
    },
    async saveExport({ envId, format, includeSecrets, includeRefreshToken }) {
      if (format === 'postman-script' || format === 'postman-live') {
        const live = await liveExportOf(envId, format, includeSecrets);
        return { fileName: live.fileName, content: live.text };
      }
      const { input, env } = await exportInput(envId, false);
      const ext = { postman: 'postman_environment.json', curl: 'sh', dotenv: 'env', json: 'json' }[format];
      return { fileName: `${fileStem(env.name)}.${ext}`, content: renderExport(format, input, { includeSecrets, includeRefreshToken: includeRefreshToken ?? false }) };
    },
    async importPostman({ text, confirmUrlChange }) {
      const out = await importPostmanText(core.envs, text, { confirmUrlChange: confirmUrlChange === true });
      return {
        environment: await envView(out.environment.id),
        created: out.created,
        warnings: out.warnings,
        notes: out.notes,
        ...(out.signedOut.length > 0 && { signedOut: out.signedOut }),
      };
    },
    async startDemo() {
      await demo.start();
      emit({ type: 'state-changed', reason: 'demo' });
      return handlers.getState({});
    },
    async updateSettings(patch) {
      const cfg = await core.config.update((c) => ({ ...c, settings: { ...c.settings, ...patch } }));
      return { ...cfg.settings };
    },
    async openExternal() {
      // Only a shell can open a link (Electron: electron/dispatch.ts through the allow-list); a browser
      // page opens its links itself. Said out loud rather than answering "not opened" for no reason.
      throw new TokenDeskError('unsupported', 'This TokenDesk does not open links itself: open the link in your browser');
    },
    async linkProjectFile({ path }) {
      const linked = await projects.link(path);
      emit({ type: 'state-changed', reason: 'config' });
      return linked;
    },
    async editProjectEnvironment({ envId, patch, revision }) {
      const out = await projects.editInFile(envId, patch, revision);
      emit({ type: 'state-changed', reason: 'config' });
      return out;
    },
    async openProjectFile() {
      // Only Electron has a native open dialog (electron/dispatch.ts); a browser page types the path (linkProjectFile).
      throw new TokenDeskError('unsupported', 'This TokenDesk has no file dialog: type the path of the tokendesk.json');
    },
    async copyProjectEnvironment({ envId, name }) {
      const env = await projects.copyToOwn(envId, name);
      emit({ type: 'state-changed', reason: 'config' });
      return { id: env.id };
    },
    async checkSessions({ envId, identityId }) {
      const results = await core.sessions.checkSessions({
        ...(envId && { envIds: [envId] }),
        ...(identityId && { identityIds: [identityId] }),
        timeoutMs: CHECK_TIMEOUT_MS,
      });
      // The ended ones changed the vault and the config; a renewal emitted its own event.
      if (results.some((r) => r.result === 'ended')) emit({ type: 'state-changed', reason: 'session' });
      return { results: results.map((r) => ({ ...r })) };
    },
    async getEndpoint() {
      await endpointStarted;
      return endpoint.view();
    },
    async copyEndpointSecret() {
      return endpoint.copySecret((await core.config.read()).settings.clipboardClearSeconds);
    },
    async allowEndpointProduction({ envId }) {
      await endpointStarted;
      return endpoint.allow(envId);
    },
    async renewSession({ identityId }) {
      const { env } = await identityById(identityId);
      await core.sessions.renewNow(env.id, identityId);
      return viewOfIdentity(identityId);
    },
    async startOverVault() {
      const movedTo = await core.startOverVault();
      // The demo environments' public keys went with the old vault: put back, so the next sign-in works.
      await demo.resumeIfConfigured();
      emit({ type: 'state-changed', reason: 'session' });
      return { movedTo };
    },
  };

  // Demo environments from an earlier run need their server again. Then, at start, every session is
  // checked with its server (issue 27): a server that restarted or revoked a session meanwhile must
  // not leave it shown as valid. After the demo's start, so its sessions are asked, not refused a connection.
  void demo
    .resumeIfConfigured()
    .then((started) => started && emit({ type: 'state-changed', reason: 'demo' }))
    .finally(() => {
      if (opts.checkAtStart ?? opts.scheduler !== false) void handlers.checkSessions({}).catch(() => undefined);
    });

  return {
    core,
    handle<M extends ApiMethod>(method: M, input: ApiParsedInput<M>): Promise<ApiOutput<M>> {
      return (handlers[method] as (i: ApiParsedInput<M>) => Promise<ApiOutput<M>>)(input);
    },
    onEvent(listener) {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },
    onResume: () => scheduler.resume(),
    maintenance,
    async close() {
      // Bounded: a keychain prompt nobody answers must not hold quit (or a Windows log-off).
      await settlesWithin(maintenance, opts.closeWaitMs ?? QUIT_WAIT_MS, opts.timers);
      scheduler.stop();
      stopWatching();
      await endpointStarted;
      await endpoint.close();
      projects.close();
      await demo.stop();
    },
  };
}
