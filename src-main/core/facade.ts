/**
 * What a front end other than the app service may use of the core: the CLI imports only this
 * (eslint.config.js enforces it), so how the core is arranged inside — keychain entry names, the
 * session codec, the stores — can change without touching a front end. The app's own use-case layer
 * is core/app/service.ts, built on the same pieces. Heavy parts stay behind loaders, so a command
 * loads them only when it runs (the CLI bundle splits on them).
 *
 * The `tokendesk token` fast path (src-main/cli/fast-*.ts) is the one exception: it imports a few
 * leaf modules directly, because loading this facade would load zod and the stores first.
 */
export { openCore, type Core } from './open.js';
export { TokenDeskError, type ErrorCode } from './errors.js';
export { assertVaultKeyLost } from './secrets/start-over.js';
export { vaultFile } from './secrets/vault-peek.js';
export { secretKeys } from './secrets/types.js';
export { describeChoice } from './secrets/store-choice.js';
export type { Config, Environment, Identity, VariableRole } from './config/schema.js';
export { findEnvironment, originChangeText, type EnvironmentInput, type OriginChange } from './environments/service.js';
export { SessionManager, type FreshToken, type SessionCheckOutcome } from './sessions/manager.js';
export { environmentViews } from './app/state-view.js';
export { keychainName } from './app/keychain-name.js';
export { DEMO_ENVIRONMENTS, DEMO_OIDC_MACHINE_ENVIRONMENT } from './app/demo-environments.js';
export { buildExportInput } from './exports/input.js';
export { exportVariables, type ExportInput } from './exports/model.js';
export { accessTokenHeader, accountHeader, accountQuery, authHeaders, withAccountQuery } from './exports/headers.js';
export { dotenvKey } from './exports/dotenv.js';
export { sanitizeForDisplay } from './text/sanitize.js';
export { localTime } from './format-time.js';

/** Exporters, the Postman reader and variable names (a chunk of their own). */
export const loadExports = () => import('./exports/index.js');
/** Applying a parsed Postman file to the environments. */
export const loadImport = () => import('./environments/import-environment.js');
export { DEFAULT_ENDPOINT_PORT } from './endpoint/constants.js';
/** The local credential endpoint (serve, endpoint). */
export const loadEndpoint = () => import('./endpoint/index.js');
/** The embedded demo server (only `demo-server` runs it). */
export const loadDemoServer = () => import('./demo-server/index.js');
/** Project files (tokendesk.json): reading, checking, syncing into the configuration, exporting. */
export const loadProjects = () => import('./projects/index.js');
export { findProjectFile } from './projects/discover.js';
export { refuseFileFields, secretVariablesAsSecrets } from './projects/edit-scope.js';
/** Adding or re-pointing the demo environments. */
export const loadDemoEnvironments = () => import('./app/demo-environments.js');
/** References to TokenDesk values in env files and templates (exec --env-file, inject), and the tools' credential helpers. */
export { parseReference, FIELDS as REFERENCE_FIELDS, type Reference } from './references/reference.js';
export { parseEnvFile, type EnvFileEntry } from './references/env-file.js';
export { parseTemplate, type TemplatePart } from './references/template.js';
export { resolveReferences, type Located } from './references/resolve.js';
export { execCredential } from './credential-helpers/kubectl.js';
export { parseCredentialRequest, renderCredential, requestOrigin, safeTransport, gitHostOf, comparableGitHost, first as firstCredentialValue } from './credential-helpers/git.js';
export { alreadyExists, writePrivateFile, writeUserFile } from './fs/private-file.js';
