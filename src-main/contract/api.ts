import { z } from 'zod';
import type { FlowStepView } from './flows.js';
import type {
  AppState,
  CopyResult,
  EnvironmentUpdate,
  EnvironmentView,
  ExportResult,
  IdentityView,
  ImportResult,
  SettingsView,
  SessionCheckView,
  SignUpOutcome,
  TokenDetails,
  VariableView,
} from './types.js';
import type { EndpointView } from './endpoint.js';
import { API_METHODS, type ApiMethod } from './methods.js';
import { PROVIDER_KINDS } from './providers.js';
import { describeIssue } from './issues.js';
import { firstUnsafeCharacter, unsafeCharacterMessage } from './unsafe-text.js';

export { API_METHODS, IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type ApiMethod } from './methods.js';

/**
 * Everything the renderer may ask the main process, declared once. Inputs are validated with these
 * schemas where they enter the main process (IPC handler or web bridge); outputs are typed.
 */
const id = z.string().min(1).max(100);
const secretValue = z.string().min(1).max(8192);
/** Text that is shown and exported as is refuses line separators, bidi and control characters (unsafe-text.ts). */
function safeText<T extends z.ZodType<string>>(schema: T, what: string): T {
  return schema.superRefine((text, ctx) => {
    const bad = firstUnsafeCharacter(text);
    if (bad) ctx.addIssue({ code: 'custom', message: unsafeCharacterMessage(what, bad) });
  }) as unknown as T;
}
const envName = safeText(z.string().trim().min(1, 'Name is required').max(100), 'The name');
const httpUrl = z.url({ protocol: /^https?$/, error: 'Enter an http(s) URL' });

const variables = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/).max(100), safeText(z.string().max(4096), 'The value'));
const variableNames = z.partialRecord(
  z.enum(['url', 'anon_key', 'api_key', 'access_token', 'refresh_token', 'id_token', 'account_id']),
  safeText(z.string().min(1).max(100), 'The variable name'),
);

/** How the active account travels (types.ts AccountTransport); names are checked again by checkAccountTransport. */
export const AccountTransportInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('header'), name: z.string().trim().min(1).max(100) }),
  z.strictObject({ kind: z.literal('query'), name: z.string().trim().min(1).max(100) }),
  z.strictObject({ kind: z.literal('none') }),
]);

/** Declared settings by name (contract/providers.ts `settings`); names and values are checked against the kind by the core. */
const settingName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,59}$/, 'setting names are words such as loginPath');
// Lines are allowed (a mapping is one FIELD=path per line); each value's characters are checked by contract/settings.ts.
const settingValues = z.record(settingName, z.string().max(4096));

export const EnvironmentInput = z.strictObject({
  name: envName,
  provider: z.enum(PROVIDER_KINDS),
  baseUrl: httpUrl,
  label: safeText(z.string().max(50), 'The label').optional(),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/).optional(),
  production: z.boolean().optional(),
  variables: variables.optional(),
  variableNames: variableNames.optional(),
  anonKey: secretValue.optional(),
  apiKey: secretValue.optional(),
  /** The kind's non-secret settings; on update set on top of the stored ones, '' removes one. */
  settings: settingValues.optional(),
  /** The kind's secret settings (kept in the vault only; anonKey and apiKey above are two of them). */
  secrets: z.record(settingName, secretValue).optional(),
  accountTransport: AccountTransportInput.optional(),
});
export type EnvironmentInput = z.infer<typeof EnvironmentInput>;

/** Every field of EnvironmentInput but the provider (which cannot change), all optional. */
export const EnvironmentPatch = EnvironmentInput.omit({ provider: true })
  .partial()
  .extend({
    /** null removes the stored key. */
    apiKey: secretValue.nullable().optional(),
    /** null removes a stored secret setting. */
    secrets: z.record(settingName, secretValue.nullable()).optional(),
    /** The user confirmed moving a production environment to another server (scheme, host or port), which signs it out. */
    confirmOriginChange: z.boolean().optional(),
  });

export const CopyItem = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('authorization-header') }),
  z.strictObject({ kind: z.literal('apikey-header') }),
  z.strictObject({ kind: z.literal('x-api-key-header') }),
  z.strictObject({ kind: z.literal('token') }),
  /** The OpenID Connect ID token of the active identity (a secret, cleared like the others). */
  z.strictObject({ kind: z.literal('id-token') }),
  z.strictObject({ kind: z.literal('curl') }),
  /** Every header line a request needs (apikey, Authorization, X-API-Key, the account header), like `tokendesk header`. */
  z.strictObject({ kind: z.literal('headers') }),
  /** Only the account header line (`X-Account-Id: 4200`); needs a header transport and an active account. */
  z.strictObject({ kind: z.literal('account-header') }),
  /** JSON object of every variable. The refresh token only with includeRefreshToken (single-use: see CopyResult.omitted). */
  z.strictObject({ kind: z.literal('postman-variables'), includeRefreshToken: z.boolean().optional() }),
  /** `key:value` lines, Postman's bulk-edit format; same refresh-token rule. */
  z.strictObject({ kind: z.literal('postman-bulk-edit'), includeRefreshToken: z.boolean().optional() }),
  z.strictObject({ kind: z.literal('postman-variable'), key: z.string().min(1).max(100) }),
  /** The collection pre-request script that fetches fresh variables from the local endpoint (`export --format postman-script`). */
  z.strictObject({ kind: z.literal('postman-script') }),
]);
export type CopyItem = z.infer<typeof CopyItem>;

/** A flow's answers by field name; a pasted browser session or token can be long (a Supabase session JSON is a few KiB). */
const flowAnswers = z.record(z.string().regex(/^[a-z][a-zA-Z0-9_-]{0,39}$/), z.string().max(64 * 1024)).refine((a) => Object.keys(a).length <= 20, 'Too many answers');
const email = z.string().trim().min(3).max(320).regex(/^[^\s@]+@[^\s@]+$/, 'Enter an email address');
const password = z.string().min(1, 'Enter the password').max(1024);

export const apiSchema = {
  getState: z.strictObject({}),
  addEnvironment: EnvironmentInput,
  updateEnvironment: z.strictObject({ id, patch: EnvironmentPatch }),
  removeEnvironment: z.strictObject({ id }),
  signIn: z.strictObject({ envId: id, email, password, remember: z.boolean().default(false) }),
  /** Begins a sign-in with one of the environment's methods (its first when none); answers may come up front. */
  beginSignIn: z.strictObject({ envId: id, method: z.string().min(1).max(60).optional(), answers: flowAnswers.optional() }),
  /** Answers the flow's question, or (without answers) waits for its next step. */
  continueSignIn: z.strictObject({ flowId: id, answers: flowAnswers.optional() }),
  cancelSignIn: z.strictObject({ flowId: id }),
  signUp: z.strictObject({ envId: id, email, password, data: z.record(z.string(), z.string().max(500)).optional() }),
  signOut: z.strictObject({ identityId: id }),
  /** Removes a signed-out identity from the list (the CLI's `logout --forget`). */
  forgetIdentity: z.strictObject({ identityId: id }),
  switchIdentity: z.strictObject({ envId: id, identityId: id }),
  setActiveAccount: z.strictObject({ identityId: id, accountId: z.string().min(1).max(200) }),
  getTokenDetails: z.strictObject({ identityId: id, reveal: z.boolean().default(false) }),
  listVariables: z.strictObject({ envId: id }),
  copy: z.strictObject({ envId: id, item: CopyItem }),
  saveExport: z.strictObject({
    envId: id,
    /** postman-script and postman-live: the live pair (`export --format postman-script`, `--format postman --live`; includeSecrets: the endpoint's secret). */
    format: z.enum(['postman', 'curl', 'dotenv', 'json', 'postman-script', 'postman-live']),
    includeSecrets: z.boolean(),
    /** Supabase refresh tokens are single-use: exported only when asked for (and includeSecrets). */
    includeRefreshToken: z.boolean().optional(),
  }),
  importPostman: z.strictObject({
    fileName: z.string().max(500),
    text: z.string().max(5 * 1024 * 1024, 'The file is larger than 5 MB'),
    /** The user agreed to the change of an existing environment's URL the first try refused with `confirmation_required`. */
    confirmUrlChange: z.boolean().optional(),
  }),
  startDemo: z.strictObject({}),
  updateSettings: z.strictObject({
    marginSeconds: z.number().int().min(0).max(3600).optional(),
    clipboardClearSeconds: z.number().int().min(0).max(3600).optional(),
  }),
  // An authorization URL with a request object or many scopes can pass 2 KiB (the shells check what they open).
  openExternal: z.strictObject({ url: z.string().max(8192) }),
  startOverVault: z.strictObject({}),
  /** Asks the servers whether they still accept the sessions: every identity, one environment's, or one. */
  checkSessions: z.strictObject({ envId: id.optional(), identityId: id.optional() }),
  /** The local credential endpoint: where, running or not, its access log; its secret is made on first use. */
  getEndpoint: z.strictObject({}),
  /** The endpoint's secret to the clipboard (Electron writes it in main; the web page gets the text). */
  copyEndpointSecret: z.strictObject({}),
  /** Lets the endpoint serve a production environment (the allow prompt). */
  allowEndpointProduction: z.strictObject({ envId: id }),
  /** Renews the identity's session now, however long its token still lives ("Renew now", `tokendesk refresh`). */
  renewSession: z.strictObject({ identityId: id }),
  /** Links a project file (tokendesk.json, issue 24) by its path: read, checked, synced and watched from then on. */
  linkProjectFile: z.strictObject({ path: z.string().min(1).max(4096) }),
  /** Edits a project environment in its file (written back keeping the file's formatting and unknown fields); null removes a field. */
  editProjectEnvironment: z.strictObject({
    envId: id,
    patch: z.strictObject({
      url: z.string().max(2048).optional(),
      label: z.string().max(50).nullable().optional(),
      color: z.string().max(7).optional(),
      production: z.boolean().optional(),
      variables: z.record(z.string().max(100), z.string().max(4096)).optional(),
      /** The kind's non-secret settings, the whole set (a secret one is refused by the file's guard). */
      settings: settingValues.nullable().optional(),
      accountTransport: AccountTransportInput.nullable().optional(),
    }),
    /**
     * The file's revision the edit was made on (EnvironmentView.project.revision): a file changed since is
     * not overwritten. Always sent; null only when the window has none (synced by an older TokenDesk): refused.
     */
    revision: z.string().min(1).max(100).nullable(),
  }),
  /** Copies a project environment to the user's own under a new name (its keys copied from the vault). */
  copyProjectEnvironment: z.strictObject({ envId: id, name: z.string().min(1).max(100) }),
  /** "Open project file…" where there is a native open dialog (Electron): the file chosen there is linked; nothing when cancelled. */
  openProjectFile: z.strictObject({}),
} as const satisfies Record<ApiMethod, z.ZodType>;

export interface ApiOutputs {
  getState: AppState;
  addEnvironment: EnvironmentView;
  updateEnvironment: EnvironmentUpdate;
  removeEnvironment: { removed: string };
  signIn: IdentityView;
  beginSignIn: FlowStepView;
  continueSignIn: FlowStepView;
  cancelSignIn: { cancelled: boolean };
  signUp: SignUpOutcome;
  signOut: { warning?: string };
  forgetIdentity: { forgotten: string };
  switchIdentity: IdentityView;
  setActiveAccount: IdentityView;
  getTokenDetails: TokenDetails;
  listVariables: VariableView[];
  copy: CopyResult;
  saveExport: ExportResult;
  importPostman: ImportResult;
  startDemo: AppState;
  updateSettings: SettingsView;
  openExternal: { opened: boolean };
  /** Where the old vault was moved (kept); refused unless its key is gone from the keychain. */
  startOverVault: { movedTo: string };
  checkSessions: { results: SessionCheckView[] };
  getEndpoint: EndpointView;
  copyEndpointSecret: CopyResult;
  allowEndpointProduction: EndpointView;
  /** The identity after the renewal; fails with the reason when it could not be renewed (nothing else changes). */
  renewSession: IdentityView;
  linkProjectFile: { file: string };
  editProjectEnvironment: { file: string };
  copyProjectEnvironment: { id: string };
  /** The linked file; absent when the dialog was cancelled. */
  openProjectFile: { file?: string };
}

/** The method list (methods.ts), the same names as apiSchema's keys. */
export const apiMethods: readonly ApiMethod[] = API_METHODS;
export type ApiInput<M extends ApiMethod> = z.input<(typeof apiSchema)[M]>;
export type ApiParsedInput<M extends ApiMethod> = z.output<(typeof apiSchema)[M]>;
export type ApiOutput<M extends ApiMethod> = ApiOutputs[M];

/** The renderer's view of the main process: the same on Electron (preload) and on the web bridge. */
export type TokenDeskApi = {
  [M in ApiMethod]: (input: ApiInput<M>) => Promise<ApiOutput<M>>;
};

/** The result envelope that crosses the process boundary: errors are values, not thrown strings. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(apiSchema, name);
}

/** Validates an untrusted call; returns a user-facing message naming the bad field. */
export function parseCall<M extends ApiMethod>(method: M, input: unknown): { ok: true; value: ApiParsedInput<M> } | { ok: false; message: string } {
  const r = apiSchema[method].safeParse(input ?? {});
  if (r.success) return { ok: true, value: r.data as ApiParsedInput<M> };
  const first = r.error.issues[0];
  return { ok: false, message: `Invalid request to ${method}: ${first ? describeIssue(first) : 'malformed'}` };
}
