import { z } from 'zod';
import {
  CONFIG_VERSION,
  DEFAULT_CLIPBOARD_CLEAR_SECONDS,
  DEFAULT_MARGIN_SECONDS,
  MAX_CLIPBOARD_CLEAR_SECONDS,
  MAX_EMAIL_CHARS,
  MAX_SUBJECT_CHARS,
  MAX_ENV_NAME_CHARS,
  MAX_ID_CHARS,
  MAX_MARGIN_SECONDS,
  STORED_KINDS,
} from '../stored-rules.js';
import { PROVIDERS } from '../../contract/providers.js';
import { checkSetting, findSetting, settingProblem } from '../../contract/settings.js';
import { secretLookingValue } from './secret-guard.js';

// Declared in stored-rules.ts, which the `token` fast path reads too; re-exported for the store.
export { CONFIG_VERSION };

/** Postman/export variable roles; each environment may rename them. */
export const VariableRole = z.enum(['url', 'anon_key', 'api_key', 'access_token', 'refresh_token', 'id_token', 'account_id']);
export type VariableRole = z.infer<typeof VariableRole>;

const id = z.string().min(1).max(MAX_ID_CHARS);

const transportName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'use letters, digits or - _ . (e.g. X-Account-Id)');
export const AccountTransportSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('header'), name: transportName }),
  z.object({ kind: z.literal('query'), name: transportName }),
  z.object({ kind: z.literal('none') }),
]);
export type AccountTransport = z.infer<typeof AccountTransportSchema>;

export const EnvironmentSchema = z.object({
  id,
  name: z.string().min(1).max(MAX_ENV_NAME_CHARS),
  provider: z.enum(STORED_KINDS),
  baseUrl: z.url({ protocol: /^https?$/, error: 'enter an http(s) URL such as https://api.example.com' }),
  /** Free label and colour (CSS hex) shown in the sidebar. */
  label: z.string().max(50).optional(),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'use a colour like #4f7cff').default('#4f7cff'),
  /** Production-like environments are shown in red and warn before exporting secrets. */
  production: z.boolean().default(false),
  /** Extra non-secret variables such as `organization_id`. */
  variables: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'variable names start with a letter or _ and use letters, digits, _ . -'), z.string())
    .default({}),
  /** Names of the variables whose values looked like secrets: the values are in the keychain (`env/<id>/var/<name>`). */
  secretVariables: z
    .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'variable names start with a letter or _ and use letters, digits, _ . -').max(100))
    .max(200)
    .optional(),
  /** Overrides of the exported variable names (defaults per provider in exports/names.ts). */
  variableNames: z.partialRecord(VariableRole, z.string().min(1).max(100)).default({}),
  /**
   * How the active tenant account travels with each request (contract AccountTransport); absent means
   * none. Names are checked by contract/validators.ts checkAccountTransport.
   */
  accountTransport: AccountTransportSchema.optional(),
  /** The `id` of the Postman environment file it was imported from, written back on export so Postman and a re-import update it instead of adding a copy. */
  postmanId: z.string().min(1).max(100).optional(),
  /**
   * A production environment's tokens are served by the local credential endpoint (core/endpoint/)
   * only once the user allowed it for this environment (the app's prompt, `tokendesk endpoint allow`).
   */
  endpointAllowed: z.boolean().optional(),
  /**
   * The non-secret values of the settings its kind declares (catalogue `settings`), by name. Secret
   * settings are in the vault only (`secretKeys.setting`); a setting left out takes its default.
   */
  settings: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,59}$/, 'setting names are words such as loginPath'), z.string().max(4096)).default({}),
  /**
   * Set on an environment that comes from a project file (`tokendesk.json`, core/projects/): the file's
   * real path. Its id is derived from that path and its name (projects/identity.ts), so its secrets and
   * sessions are its own, never those of an own environment of the same name; the file is the source of
   * its other fields (projects/sync.ts writes them here).
   */
  project: z
    .object({
      file: z.string().min(1).max(4096),
      /** The revision of the file's text last synced (projects/read.ts textRevision): what an edit in the window is made on. */
      revision: z.string().max(100).optional(),
    })
    .optional(),
  createdAt: z.number().int(),
}).superRefine((env, ctx) => {
  // Judged against the kind's declarations: a name it does not declare, a secret (the vault's), a
  // value of the wrong syntax, or one that looks like a credential never reaches config.json.
  const declared = PROVIDERS[env.provider].settings;
  for (const [name, value] of Object.entries(env.settings)) {
    const info = findSetting(declared, name);
    const path = ['settings', name];
    if (!info) {
      const known = declared.filter((s) => !s.secret).map((s) => s.name);
      ctx.addIssue({ code: 'custom', path, message: `"${name}" is not a setting of ${PROVIDERS[env.provider].label} environments${known.length ? ` (known: ${known.join(', ')})` : ' (it has none)'}` });
    } else if (info.secret) {
      ctx.addIssue({ code: 'custom', path, message: `"${name}" is a secret setting: it is kept in the OS keychain, never in the configuration file` });
    } else if (secretLookingValue(value)) {
      ctx.addIssue({ code: 'custom', path, message: `the value of "${name}" looks like a credential; it is not kept in the configuration file` });
    } else {
      const r = checkSetting(info, value);
      if (!r.ok) ctx.addIssue({ code: 'custom', path, message: settingProblem(r) });
    }
  }
});
export type Environment = z.infer<typeof EnvironmentSchema>;

export const IdentitySchema = z.object({
  id,
  envId: id,
  /**
   * What identifies the user at its server, within the environment (config version 2): the provider's
   * user id, or `email:<email>` when the server names none (config/migrate.ts). Sign-ins match by it.
   */
  subject: z.string().min(1).max(MAX_SUBJECT_CHARS),
  /** A label only: phone users, machine clients and tokens without an email claim have none. */
  email: z.string().min(1).max(MAX_EMAIL_CHARS).optional(),
  /**
   * What the user typed to sign in when it is not an email (a session API's user name): what a
   * renewal with the remembered password sends. Not a secret.
   */
  loginName: z.string().min(1).max(MAX_EMAIL_CHARS).optional(),
  displayName: z.string().max(200).optional(),
  userId: z.string().max(200).optional(),
  activeAccountId: z.string().max(200).optional(),
  /** The user consented to keep the password in the keychain for renewal (session API). */
  rememberPassword: z.boolean().default(false),
  /** Why the session ended or last failed (shown on the identity row); never holds a secret. */
  lastError: z.object({ code: z.string().max(60), message: z.string().max(500), at: z.number().int() }).optional(),
  createdAt: z.number().int(),
});
export type Identity = z.infer<typeof IdentitySchema>;

export const SettingsSchema = z.object({
  /** A handed-out token has at least this much life left (scaled down for short-lived tokens). */
  marginSeconds: z.number().int().min(0).max(MAX_MARGIN_SECONDS).default(DEFAULT_MARGIN_SECONDS),
  /** Clear the clipboard this long after copying a secret; 0 turns it off. */
  clipboardClearSeconds: z.number().int().min(0).max(MAX_CLIPBOARD_CLEAR_SECONDS).default(DEFAULT_CLIPBOARD_CLEAR_SECONDS),
  /** The CLI's default environment (an environment id), set by `tokendesk env use`, like gh's default host. */
  cliDefaultEnvironment: id.optional(),
  /**
   * Where the vault's key is kept: the OS keychain (unset), or `file`, a passphrase-protected file for
   * machines without a Secret Service (secrets/store-choice.ts; TOKENDESK_SECRET_STORE wins over it).
   */
  secretStore: z.enum(['keychain', 'file']).optional(),
  /** The local credential endpoint's port (core/endpoint/; default DEFAULT_ENDPOINT_PORT). */
  endpointPort: z.number().int().min(1).max(65535).optional(),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const ConfigSchema = z
  .object({
    version: z.literal(CONFIG_VERSION),
    environments: z.array(EnvironmentSchema).default([]),
    identities: z.array(IdentitySchema).default([]),
    /** envId -> identityId of the active identity. */
    activeIdentity: z.record(z.string(), z.string()).default({}),
    settings: SettingsSchema.default({ marginSeconds: DEFAULT_MARGIN_SECONDS, clipboardClearSeconds: DEFAULT_CLIPBOARD_CLEAR_SECONDS }),
  })
  .superRefine((cfg, ctx) => {
    const names = new Set<string>();
    for (const env of cfg.environments) {
      // Unique within its scope: the user's own, or one project file's (an own "staging" and a project's are two).
      const key = environmentScopeKey(env);
      if (names.has(key)) ctx.addIssue({ code: 'custom', message: `Duplicate environment name "${env.name}"` });
      names.add(key);
    }
    const envIds = new Set(cfg.environments.map((e) => e.id));
    for (const identity of cfg.identities) {
      if (!envIds.has(identity.envId)) {
        ctx.addIssue({ code: 'custom', message: `Identity ${identity.email ?? identity.subject} refers to a missing environment` });
      }
    }
  });
export type Config = z.infer<typeof ConfigSchema>;

/** Where a name must be unique: among the user's own environments, or among one project file's. */
export function environmentScopeKey(env: Pick<Environment, 'name' | 'project'>): string {
  return `${env.project?.file ?? ''}\n${env.name.toLowerCase()}`;
}

export function emptyConfig(): Config {
  return ConfigSchema.parse({ version: CONFIG_VERSION });
}
