/**
 * The provider catalogue: every auth backend TokenDesk knows, with what it can do, declared once.
 * The kind type and every schema enum (config, stored sessions, the API) are derived from
 * PROVIDER_KINDS; the UI and the CLI ask a provider's capabilities ("can it sign up?") instead of
 * comparing kind names. Pure data without runtime imports: main, preload and renderer bundle it as is.
 *
 * Adding a provider: one entry here, one folder under src-main/core/providers/ and its loader in
 * registry.ts (docs/ARCHITECTURE.md has the whole checklist).
 */
import type { VariableRoleName } from './types.js';
import type { FlowField, SignInMethodInfo } from './flows.js';

import { PROVIDER_KINDS, type ProviderKind } from './provider-kinds.js';

export { PROVIDER_KINDS, type ProviderKind };

/**
 * How a session is kept alive: its refresh grant; re-running a sign-in method that needs no user
 * (`rerun`: the password the user let TokenDesk remember); or not at all (`none`: the user is warned
 * before it ends and signs in again).
 */
export type RenewalStrategy = { kind: 'refresh' } | { kind: 'rerun'; method: string } | { kind: 'none' };

/**
 * One setting of an environment of this kind, declared as data: the Add/Edit form and the CLI's
 * `env add|edit` flags are made from these. A secret setting goes to the vault only, never to
 * config.json; the others are kept in the environment's `settings`.
 */
export interface SettingInfo {
  /** The key in `settings` (or the secret's name in the vault). */
  name: string;
  label: string;
  help?: string;
  /** A page that says where to find the value (the form links it after the help). */
  helpUrl?: string;
  placeholder?: string;
  secret: boolean;
  /** The environment cannot be used without it (its sign-in refuses with a message naming it). */
  required: boolean;
  /** The CLI flag, without dashes (`anon-key`). A secret flag takes `-` to read standard input. */
  flag: string;
  /** Repeatable `--flag A=B` pairs (dot-path mappings), kept as one `A=B` per line. */
  repeatable?: boolean;
  /** The value used when none is given (shown as the placeholder). */
  defaultValue?: string;
  /**
   * Checked on input: a path that starts with / (`path`), an HTTP header or JSON field name (`name`), a
   * NAME=VALUE&… query (`query`), names separated by commas or spaces (`list`: a-z, 0-9, _ and -), a TCP port (`port`),
   * an https URL (`url`; plain http on this machine only).
   */
  syntax?: 'path' | 'header' | 'field' | 'mapping' | 'text' | 'query' | 'list' | 'port' | 'url';
  /** The only values it takes (the form offers them in a list; the CLI refuses any other). */
  choices?: readonly string[];
  /**
   * Its value, when set, names a server the environment's credentials are sent to (an OpenID issuer):
   * changing it moves the environment like changing its base URL does (contract/servers.ts).
   */
  origin?: boolean;
  /**
   * A secret of several lines (a PEM private key): the form takes it pasted or from a file, the CLI
   * flag names a file to read (`-` for all of standard input) instead of one line.
   */
  multiline?: boolean;
  /** For a `mapping`: the names allowed left of `=` (`token` in `token=data.accessToken`). */
  mappingKeys?: readonly string[];
}

/** The fields of an email + password sign-in: what the window shows and the CLI asks. */
export const PASSWORD_FIELDS: readonly FlowField[] = [
  { name: 'email', label: 'Email', kind: 'email', secret: false, required: true, autocomplete: 'username', placeholder: 'you@example.com' },
  { name: 'password', label: 'Password', kind: 'password', secret: true, required: true, autocomplete: 'current-password' },
];

/** The `email` answer when the API signs in with a user name: still named `email` (the CLI's --email answers it), any text. */
export const USER_NAME_FIELD: FlowField = { name: 'email', label: 'User name', kind: 'text', secret: false, required: true, autocomplete: 'username' };

/** `fields` with the email field asking for any identifier instead, when `anyIdentifier`. */
export function identifierFields(fields: readonly FlowField[], anyIdentifier: boolean): readonly FlowField[] {
  return anyIdentifier ? fields.map((f) => (f.name === 'email' && f.kind === 'email' ? USER_NAME_FIELD : f)) : fields;
}

/** A password sign-in whose session cannot be refreshed may keep the password to sign in again. */
export const REMEMBER_FIELD: FlowField = {
  name: 'remember',
  label: 'Remember password',
  help: 'This API has no refresh token: TokenDesk signs in again with the password, kept in the OS keychain, to renew the session before it expires.',
  kind: 'checkbox',
  secret: false,
  required: false,
};

/**
 * Supabase's second way in: adopting the session the web app already holds in the browser (seed 000's
 * "copy the JWT from Local Storage", done properly). Also the way in for projects whose sign-in asks
 * for a CAPTCHA, which TokenDesk cannot solve. supabase-js keeps the session under the Local Storage
 * key `sb-<project-ref>-auth-token` (../shared/docs/supabase-auth-api.md §8.5).
 */
export const BROWSER_SESSION_FIELDS: readonly FlowField[] = [
  {
    name: 'token',
    label: 'Browser session',
    kind: 'textarea',
    secret: true,
    required: true,
    help:
      'Sign in to the web app in your browser, open DevTools → Application → Local Storage → the app\'s address, ' +
      'and copy the value of the item sb-<project-ref>-auth-token (all of it). An access token and a refresh token ' +
      'work too: "ACCESS REFRESH" on one line or on two lines, or {"access_token": …, "refresh_token": …}. ' +
      'TokenDesk then renews the session itself; signing out in the browser ends it here too.',
    placeholder: '{"access_token":"eyJ…","refresh_token":"…","expires_at":…,"user":{…}}',
  },
];

export const BROWSER_SESSION_METHOD: SignInMethodInfo = {
  id: 'browser-session',
  label: 'Import a browser session',
  summary: 'paste the session the web app keeps in the browser (also for sign-ins behind a CAPTCHA)',
  fields: BROWSER_SESSION_FIELDS,
};

/** What a provider can do: JSON-safe, so every EnvironmentView carries it across IPC and the web bridge. */
export interface ProviderCapabilities {
  /** It has a refresh grant (and so a single-use refresh token); otherwise renewal needs a remembered password. */
  canRefresh: boolean;
  /** It can create an account (sign up) from TokenDesk. */
  canSignUp: boolean;
  /** Every request needs the environment's anon key (Supabase's `apikey` gateway header). */
  needsAnonKey: boolean;
  /** TokenDesk may keep the password to sign in again before the session ends (no refresh grant). */
  canRememberPassword: boolean;
  /** Identities have tenant accounts, and the active one travels with each request (AccountTransport). */
  hasAccounts: boolean;
  /** The profile lists roles and permissions, worth showing even when empty. */
  hasPermissions: boolean;
  /** Its sign-in methods, the first is the default (the CLI's `--method`, the window's choices). */
  signInMethods: readonly SignInMethodInfo[];
  /** How its sessions are kept alive (canRefresh and canRememberPassword say the same, for the UI). */
  renewal: RenewalStrategy;
  /** The variable roles its exports hold (names per role in core/exports/names.ts), in display order. */
  exportedRoles: readonly VariableRoleName[];
}

/** A starting point offered by the Add environment form (name, URL and colour filled in). */
export interface EnvironmentPreset {
  id: string;
  title: string;
  name: string;
  baseUrl: string;
  color: string;
  production?: boolean;
  hint?: string;
  /** Non-secret settings of the kind it fills in (an issuer's known needs: scope, extra parameters). */
  settings?: Readonly<Record<string, string>>;
}

/**
 * How the Postman importer recognises a file of this kind (core/exports/import.ts): the first kind, in
 * PROVIDER_KINDS order, with a hint that shows wins; a file that shows none is the `fallback` kind's.
 */
export interface ImportHints {
  /** A variable of one of these roles in the file (an `anon_key`). */
  roles?: readonly VariableRoleName[];
  /** The base URL's host name. */
  host?: RegExp;
  /** Anywhere in the file's text (a collection's request URLs). */
  text?: RegExp;
  /** The kind of a file that shows no kind's hints (exactly one kind says so). */
  fallback?: boolean;
}

export interface ProviderInfo {
  /** As the UI names it: "Supabase", "Session API". */
  label: string;
  /** One line under the label in the provider picker. */
  summary: string;
  /** The CLI's words for it in `--provider` help ("Supabase Auth"). */
  cliSummary: string;
  /** An example base URL for the URL field. */
  urlPlaceholder: string;
  /**
   * A path the base URL must not end with, because TokenDesk adds it itself; with it left in, every
   * endpoint becomes …/rest/v1/auth/v1/token and answers 404. `what` completes "give …".
   */
  addedPaths: {
    pattern: RegExp;
    what: string;
    /**
     * Settings (syntax `path`) that, set to anything but their default, turn `pattern` off: the paths
     * are then the user's own and an `/api` in the base URL may be theirs too. A base URL ending in
     * one of those custom paths is still refused (contract/validators.ts checkBaseUrl).
     */
    unlessSet?: readonly string[];
  };
  capabilities: ProviderCapabilities;
  /** Its settings beyond name, URL, colour and variables, in the form's order. */
  settings: readonly SettingInfo[];
  /**
   * The default exported variable name of each role it exports (core/exports/names.ts); a role not
   * named here is exported under the role's own name. An environment's `variableNames` override these.
   */
  exportNames: Readonly<Partial<Record<VariableRoleName, string>>>;
  /**
   * The "who am I" endpoint a curl line calls when given no path (core/exports/curl.ts); `setting`, when
   * the environment sets it, names its own endpoint instead.
   */
  curlPath: { path: string; setting?: string };
  /** How an imported Postman file is recognised as this kind. */
  importHints: ImportHints;
  /** The Add environment form's starting points (src-renderer/environments/EnvironmentForm.tsx). */
  presets: readonly EnvironmentPreset[];
  /**
   * Its browser sign-in comes back to a loopback listener (RFC 8252 §7.3): the setting that fixes the
   * port. The form, `env show` and the sign-in step show the redirect URI to register (loopbackRedirectUri).
   */
  loopbackRedirect?: { portSetting: string };
}

/** OAuth client authentication methods TokenDesk offers (RFC 6749 §2.3, OIDC Core §9), for the `clientAuth` setting. */
export const CLIENT_AUTH_METHODS = ['none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt'] as const;

const API_KEY_SETTING: SettingInfo = {
  name: 'apiKey',
  label: 'API key (X-API-Key)',
  help: 'Sent as X-API-Key beside the session, when the API wants one',
  secret: true,
  required: false,
  flag: 'api-key',
};

/** What a session API's answer can be mapped to (`--map FIELD=PATH`), read by providers/session-api. */
export const SESSION_MAP_FIELDS = ['token', 'expires', 'userId', 'email', 'accounts', 'roles', 'permissions'] as const;
export type SessionMapField = (typeof SESSION_MAP_FIELDS)[number];

const passwordMethod = (remember: boolean, identifierSetting?: string): SignInMethodInfo => ({
  id: 'password',
  label: 'Email and password',
  summary: remember ? 'the password can be kept to renew the session' : 'the session renews itself with its refresh token',
  fields: remember ? [...PASSWORD_FIELDS, REMEMBER_FIELD] : PASSWORD_FIELDS,
  ...(identifierSetting && { identifierSetting }),
});

/** An email-only first step (a code or a link is sent to it). */
const EMAIL_ONLY_FIELDS: readonly FlowField[] = [PASSWORD_FIELDS[0]!];

/** A phone number as GoTrue takes it: E.164, the country code first. */
export const PHONE_FIELD: FlowField = {
  name: 'phone',
  label: 'Phone',
  kind: 'text',
  secret: false,
  required: true,
  autocomplete: 'tel',
  placeholder: '+15551234567',
  help: 'With the country code, as the project stores it (+15551234567)',
};

/** The one-time code a flow asks for after sending it (email or SMS) or for a second factor (TOTP). */
export const CODE_FIELD: FlowField = { name: 'code', label: 'Code', kind: 'code', secret: true, required: true, autocomplete: 'one-time-code', placeholder: '123456' };

/**
 * Supabase's ways in besides email + password (issue 22), each a GoTrue endpoint
 * (../shared/docs/supabase-auth-api.md): `/otp` + `/verify` for codes, `/otp` with PKCE for a link,
 * `/authorize` + the PKCE grant for a social provider, the password grant with `phone`.
 */
const SUPABASE_METHODS: readonly SignInMethodInfo[] = [
  { id: 'otp', label: 'Email code', summary: 'a 6-digit code sent to your email', fields: EMAIL_ONLY_FIELDS },
  { id: 'magic-link', label: 'Email link', summary: 'a sign-in link sent to your email; it comes back to TokenDesk on 127.0.0.1', fields: EMAIL_ONLY_FIELDS },
  { id: 'phone', label: 'Phone and password', summary: 'the phone number instead of the email', fields: [PHONE_FIELD, PASSWORD_FIELDS[1]!] },
  { id: 'sms', label: 'Text message code', summary: 'a code sent by SMS', fields: [PHONE_FIELD] },
  {
    id: 'oauth',
    label: 'Continue with',
    summary: 'in your browser; it comes back to TokenDesk on 127.0.0.1',
    fields: [],
    variantsFrom: 'oauthProviders',
  },
];

/** `github` as a label: GitHub, Google, Azure… (a known spelling, else the name capitalised). */
const OAUTH_NAMES: Readonly<Record<string, string>> = {
  github: 'GitHub',
  gitlab: 'GitLab',
  google: 'Google',
  azure: 'Microsoft (Azure)',
  linkedin_oidc: 'LinkedIn',
  workos: 'WorkOS',
  bitbucket: 'Bitbucket',
  discord: 'Discord',
  facebook: 'Facebook',
  apple: 'Apple',
  twitter: 'X (Twitter)',
  slack_oidc: 'Slack',
  keycloak: 'Keycloak',
  notion: 'Notion',
  spotify: 'Spotify',
  twitch: 'Twitch',
  zoom: 'Zoom',
  figma: 'Figma',
  kakao: 'Kakao',
};

export function variantLabel(value: string): string {
  return OAUTH_NAMES[value] ?? value.charAt(0).toUpperCase() + value.slice(1);
}

/** The names of a `list` setting: split on commas and spaces, lower-cased, each once. */
export function listValues(raw: string | undefined): string[] {
  return [...new Set((raw ?? '').split(/[\s,]+/).map((v) => v.trim().toLowerCase()).filter((v) => v !== ''))];
}

/**
 * The sign-in methods an environment offers: the kind's, with each template (`variantsFrom`) made
 * into one method per value of its setting (`oauth:github`), and left out when the setting is empty.
 */
export function signInMethodsOf(kind: ProviderKind, settings: Readonly<Record<string, string>> | undefined): SignInMethodInfo[] {
  return PROVIDERS[kind].capabilities.signInMethods.flatMap((m) => {
    if (m.needsSetting && !settings?.[m.needsSetting]?.trim()) return [];
    if (!m.variantsFrom) return [m];
    return listValues(settings?.[m.variantsFrom]).map((v) => {
      const { variantsFrom: _template, ...rest } = m;
      return { ...rest, id: `${m.id}:${v}`, label: `${m.label} ${variantLabel(v)}` };
    });
  });
}

/**
 * Why the kind's method `id` is not offered with these settings, to add to a refusal ("browser needs
 * the authorization endpoint: --authorization-endpoint"), or undefined.
 */
export function missingMethodNeed(kind: ProviderKind, settings: Readonly<Record<string, string>> | undefined, id: string): string | undefined {
  const m = PROVIDERS[kind].capabilities.signInMethods.find((x) => x.id === id);
  if (!m?.needsSetting || settings?.[m.needsSetting]?.trim()) return undefined;
  const s = PROVIDERS[kind].settings.find((x) => x.name === m.needsSetting);
  return s ? `${id} needs the ${s.label.toLowerCase()}: set it with env edit --${s.flag}` : undefined;
}

/** The pasted-token method's one field: a long-lived bearer token or personal access token. */
export const TOKEN_FIELD: FlowField = {
  name: 'token',
  label: 'Token',
  kind: 'token',
  secret: true,
  required: true,
  help: 'A personal access token or API token, as the API\'s own settings page shows it',
  placeholder: 'Paste the token',
};

/** An OAuth client's settings (the oidc and oauth2 kinds): who it is, how it authenticates, where the browser comes back. */
const OAUTH_CLIENT_SETTINGS: readonly SettingInfo[] = [
  { name: 'clientId', label: 'Client ID', help: 'The client (application) registered at the provider', secret: false, required: true, flag: 'client-id' },
  {
    name: 'clientSecret',
    label: 'Client secret',
    help: 'Only for a confidential client (client credentials); a public client with PKCE has none',
    secret: true,
    required: false,
    flag: 'client-secret',
  },
  {
    name: 'clientAuth',
    label: 'Client authentication',
    help: 'How the client proves itself to the token endpoint: none (a public client), client_secret_basic or client_secret_post (the secret), private_key_jwt (an assertion signed with the private key). Unset: client_secret_basic with a secret, private_key_jwt with a key, else none',
    placeholder: 'from what is stored',
    secret: false,
    required: false,
    flag: 'client-auth',
    choices: CLIENT_AUTH_METHODS,
  },
  {
    name: 'privateKey',
    label: 'Private key (PEM)',
    help: 'For private_key_jwt: the client\'s RSA, EC or Ed25519 private key (PKCS#8, PKCS#1 or SEC1 PEM), pasted or read from a file',
    placeholder: '-----BEGIN PRIVATE KEY-----',
    secret: true,
    required: false,
    flag: 'private-key-file',
    multiline: true,
  },
  {
    name: 'redirectPort',
    label: 'Redirect port',
    help: 'A fixed port for the browser sign-in\'s http://127.0.0.1:PORT/callback, for a provider that wants the exact redirect URI registered; unset, a random free port',
    placeholder: 'random',
    secret: false,
    required: false,
    flag: 'redirect-port',
    syntax: 'port',
  },
];

/** What an OAuth client adds to its requests beside the scope (the oidc and oauth2 kinds). */
const OAUTH_REQUEST_SETTINGS: readonly SettingInfo[] = [
  { name: 'audience', label: 'Audience', help: 'The API the token is for (Auth0\'s audience), when the provider needs one', secret: false, required: false, flag: 'audience', syntax: 'text' },
  {
    name: 'authParams',
    label: 'Extra authorization parameters',
    help: 'Added to the browser sign-in\'s authorization URL, NAME=VALUE joined by &: Google needs access_type=offline&prompt=consent for a refresh token',
    placeholder: 'access_type=offline&prompt=consent',
    secret: false,
    required: false,
    flag: 'auth-params',
    syntax: 'query',
  },
];


/** What the two OAuth kinds (oidc, oauth2) share of their capabilities: a refresh grant, nothing else. */
const OAUTH_FLAGS = { canRefresh: true, canSignUp: false, needsAnonKey: false, canRememberPassword: false, hasAccounts: false, hasPermissions: false } as const;

/**
 * The OAuth sign-ins of both kinds (one OAuthSource serves them): the browser (code + PKCE), a device
 * code at the `party`'s page, a machine client. `needs` names the endpoint setting without which the
 * browser or device method is not offered (oauth2, whose endpoints are given by hand).
 */
function oauthSignInMethods(party: 'provider' | 'server', needs: { browser?: string; device?: string } = {}): SignInMethodInfo[] {
  return [
    { id: 'browser', label: 'Sign in with the browser', summary: 'authorization code with PKCE: your browser comes back to TokenDesk on 127.0.0.1', fields: [], ...(needs.browser && { needsSetting: needs.browser }) },
    { id: 'device', label: 'Device code', summary: `enter a code on the ${party}'s page, on this or another device`, fields: [], ...(needs.device && { needsSetting: needs.device }) },
    { id: 'client-credentials', label: 'Client credentials', summary: 'a machine identity: the client id and secret, no user', fields: [] },
  ];
}
/** An OAuth 2.0 server endpoint given by hand (the oauth2 kind): what it enables, in the form's help. */
const endpointSetting = (name: string, label: string, flag: string, help: string, required = false): SettingInfo => ({
  name,
  label,
  help,
  placeholder: `https://login.example.com/oauth2/${flag.replace(/-endpoint$/, '').replace('device-authorization', 'device')}`,
  secret: false,
  required,
  flag,
  syntax: 'url',
  // Tokens, refresh tokens and client secrets go to these: a change of one is a move (contract/servers.ts).
  origin: true,
});

export const PROVIDERS: Readonly<Record<ProviderKind, ProviderInfo>> = {
  supabase: {
    label: 'Supabase',
    summary: 'email or phone + password, emailed or texted codes, links, social sign-in, MFA; refresh tokens',
    cliSummary: 'Supabase Auth',
    urlPlaceholder: 'https://abcd.supabase.co',
    addedPaths: {
      pattern: /\/(auth|rest|storage|functions|realtime|graphql)\/v1(\/.*)?$/i,
      what: 'the project URL: TokenDesk adds /auth/v1 (and requests add /rest/v1) itself',
    },
    capabilities: {
      canRefresh: true,
      canSignUp: true,
      needsAnonKey: true,
      canRememberPassword: false,
      hasAccounts: false,
      hasPermissions: false,
      signInMethods: [passwordMethod(false), ...SUPABASE_METHODS, BROWSER_SESSION_METHOD],
      renewal: { kind: 'refresh' },
      exportedRoles: ['url', 'anon_key', 'api_key', 'access_token', 'refresh_token'],
    },
    settings: [
      {
        name: 'anonKey',
        label: 'Anon key',
        help: 'The project\'s anon (publishable) key: Project Settings → API. Sent as the apikey header on every call',
        helpUrl: 'https://supabase.com/docs/guides/api/api-keys',
        placeholder: 'eyJhbGciOi…',
        secret: true,
        required: true,
        flag: 'anon-key',
      },
      API_KEY_SETTING,
      {
        name: 'oauthProviders',
        label: 'Social sign-in',
        help: 'The providers enabled in the project (Authentication → Sign In / Providers), separated by commas: github, google, azure, gitlab… Each is a sign-in method (CLI: --method oauth:github)',
        placeholder: 'github, google',
        secret: false,
        required: false,
        flag: 'oauth-providers',
        syntax: 'list',
      },
    ],
    // The names the seed's Postman collection already uses, so an export drops into an existing workspace.
    exportNames: { url: 'url', anon_key: 'anon_key', api_key: 'api_key', access_token: 'user_jwt_token', refresh_token: 'refresh_token', account_id: 'account_id' },
    curlPath: { path: '/auth/v1/user' },
    importHints: {
      // `apikey` is Supabase's gateway header, so a file with an anon key is a Supabase one.
      roles: ['anon_key'],
      host: /(^|\.)supabase\.(co|in)$/i,
      // Collections carry their requests: `{{url}}/auth/v1/token?grant_type=password` is unmistakable.
      text: /\/auth\/v1\/|\.supabase\.co\b/,
    },
    presets: [
      { id: 'sb-local', title: 'Local (supabase start)', name: 'local', baseUrl: 'http://127.0.0.1:54321', color: '#16a34a', hint: 'The anon key is printed by `supabase start` (or `supabase status`).' },
      { id: 'sb-staging', title: 'Hosted staging', name: 'staging', baseUrl: 'https://<project-ref>.supabase.co', color: '#d97706', hint: 'Dashboard → Project Settings → API: the project URL and the anon / publishable key.' },
      { id: 'sb-prod', title: 'Hosted production', name: 'production', baseUrl: 'https://<project-ref>.supabase.co', color: '#d92d20', production: true, hint: 'Production is shown in red with a band across the window.' },
    ],
  },
  session: {
    label: 'Session API',
    summary: 'email + password to POST /api/auth/login (or your own paths): a token with its expiry',
    cliSummary: 'session-token API',
    urlPlaceholder: 'https://api.example.com',
    addedPaths: {
      pattern: /\/api(\/auth(\/(login|session|logout))?)?\/?$/i,
      what: 'the API root: TokenDesk adds /api/auth/login and /api/auth/session itself',
      unlessSet: ['loginPath', 'sessionPath', 'logoutPath'],
    },
    capabilities: {
      canRefresh: false,
      canSignUp: false,
      needsAnonKey: false,
      canRememberPassword: true,
      hasAccounts: true,
      hasPermissions: true,
      signInMethods: [passwordMethod(true, 'identifierField')],
      renewal: { kind: 'rerun', method: 'password' },
      exportedRoles: ['url', 'api_key', 'access_token', 'account_id'],
    },
    settings: [
      API_KEY_SETTING,
      {
        name: 'loginPath',
        label: 'Login path',
        help: 'Where the identifier and password are POSTed as JSON',
        secret: false,
        required: false,
        flag: 'login-path',
        syntax: 'path',
        defaultValue: '/api/auth/login',
      },
      {
        name: 'sessionPath',
        label: 'Session path',
        help: 'GET with the token: re-reads the profile and checks the session is still accepted',
        secret: false,
        required: false,
        flag: 'session-path',
        syntax: 'path',
        defaultValue: '/api/auth/session',
      },
      {
        name: 'logoutPath',
        label: 'Logout path',
        help: 'POSTed with the token on sign-out (a 404 there is fine)',
        secret: false,
        required: false,
        flag: 'logout-path',
        syntax: 'path',
        defaultValue: '/api/auth/logout',
      },
      {
        name: 'identifierField',
        label: 'Identifier field',
        help: "The login body's field for the email (or user name)",
        secret: false,
        required: false,
        flag: 'identifier-field',
        syntax: 'field',
        defaultValue: 'email',
      },
      {
        name: 'passwordField',
        label: 'Password field',
        help: "The login body's field for the password",
        secret: false,
        required: false,
        flag: 'password-field',
        syntax: 'field',
        defaultValue: 'password',
      },
      {
        name: 'map',
        label: 'Answer mappings',
        help:
          'FIELD=PATH, one a line: where the answer keeps the token, expires (ISO time, epoch seconds or ms, or seconds from now), userId, email, accounts, roles, permissions, e.g. token=data.accessToken. Unmapped fields are read at the default paths (token, expiresAt, id, email, accounts, flatRolesList, flatPermissionsList)',
        placeholder: 'token=data.accessToken',
        secret: false,
        required: false,
        flag: 'map',
        syntax: 'mapping',
        repeatable: true,
        mappingKeys: SESSION_MAP_FIELDS,
      },
    ],
    exportNames: { url: 'url', access_token: 'token', account_id: 'account_id', api_key: 'api_key' },
    curlPath: { path: '/api/auth/session' },
    // A Postman file that shows nothing of Supabase's is taken for a session API.
    importHints: { fallback: true },
    presets: [
      { id: 'ss-local', title: 'Local API', name: 'local', baseUrl: 'http://localhost:3000', color: '#16a34a', hint: 'The base URL the login endpoint lives under (POST …/login).' },
      { id: 'ss-staging', title: 'Staging API', name: 'staging', baseUrl: 'https://api.staging.<your-domain>', color: '#d97706' },
      { id: 'ss-prod', title: 'Production API', name: 'production', baseUrl: 'https://api.<your-domain>', color: '#d92d20', production: true, hint: 'Production is shown in red with a band across the window.' },
    ],
  },
  bearer: {
    label: 'Pasted token',
    summary: 'a personal access token or API token you paste',
    cliSummary: 'any API that takes a pasted bearer token or personal access token',
    urlPlaceholder: 'https://api.example.com',
    // Nothing is added to the URL: the check path is a setting of its own.
    addedPaths: { pattern: /(?!)/, what: 'the API root' },
    capabilities: {
      canRefresh: false,
      canSignUp: false,
      needsAnonKey: false,
      canRememberPassword: false,
      hasAccounts: false,
      hasPermissions: false,
      signInMethods: [
        {
          id: 'token',
          label: 'Paste a token',
          summary: 'a personal access token or API token; it ends when it expires (a JWT\'s exp) or is revoked',
          fields: [TOKEN_FIELD],
        },
      ],
      renewal: { kind: 'none' },
      exportedRoles: ['url', 'access_token'],
    },
    settings: [
      {
        name: 'header',
        label: 'Header',
        help: 'The header the token travels in: Authorization sends "Bearer <token>", any other header the token alone',
        secret: false,
        required: false,
        flag: 'header',
        defaultValue: 'Authorization',
        syntax: 'header',
      },
      {
        name: 'checkPath',
        label: 'Check path',
        help: 'An endpoint that answers 2xx for a good token (GET /user, say): a pasted token is tried there first',
        placeholder: '/user',
        secret: false,
        required: false,
        flag: 'check-path',
        syntax: 'path',
      },
    ],
    exportNames: { url: 'url', access_token: 'token' },
    // The check path, when set, is the endpoint that answers for a good token.
    curlPath: { path: '/', setting: 'checkPath' },
    importHints: {},
    presets: [
      { id: 'pt-github', title: 'GitHub API', name: 'github', baseUrl: 'https://api.github.com', color: '#64748b', hint: 'A personal access token from Settings → Developer settings; check path /user.' },
      { id: 'pt-gitlab', title: 'GitLab API', name: 'gitlab', baseUrl: 'https://gitlab.com/api/v4', color: '#d97706', hint: 'A personal access token; header PRIVATE-TOKEN, check path /user.' },
      { id: 'pt-own', title: 'Your API', name: 'staging', baseUrl: 'https://api.staging.<your-domain>', color: '#2563eb', hint: 'Any API that takes a bearer token: paste it after adding the environment.' },
    ],
  },
  oidc: {
    label: 'OpenID Connect',
    summary: 'sign in with the browser (code + PKCE), with a device code, or as a machine client; refresh tokens',
    cliSummary: 'any OpenID Connect provider (Auth0, Okta, Keycloak, Entra ID, Google…)',
    urlPlaceholder: 'https://login.example.com/realms/dev',
    // The issuer is the base URL: discovery adds /.well-known/openid-configuration itself.
    addedPaths: { pattern: /\/\.well-known\/openid-configuration\/?$/i, what: 'the issuer: TokenDesk adds /.well-known/openid-configuration itself' },
    capabilities: {
      ...OAUTH_FLAGS,
      signInMethods: oauthSignInMethods('provider'),
      // Browser and device sessions renew with their refresh token (rotated: the new one is stored first).
      renewal: { kind: 'refresh' },
      exportedRoles: ['url', 'access_token', 'refresh_token', 'id_token'],
    },
    settings: [
      {
        name: 'issuer',
        label: 'Issuer',
        help: 'The issuer URL when it is not the base URL (its /.well-known/openid-configuration is read)',
        placeholder: 'https://login.example.com/realms/dev',
        secret: false,
        required: false,
        flag: 'issuer',
        origin: true,
      },
      ...OAUTH_CLIENT_SETTINGS,
      {
        name: 'scope',
        label: 'Scope',
        help: 'Space-separated; offline_access asks for a refresh token',
        secret: false,
        required: false,
        flag: 'scope',
        defaultValue: 'openid profile email offline_access',
        syntax: 'text',
      },
      ...OAUTH_REQUEST_SETTINGS,
    ],
    exportNames: { url: 'url', access_token: 'access_token', refresh_token: 'refresh_token', id_token: 'id_token' },
    // oidc-provider's and Auth0's userinfo path under the issuer; others differ (Keycloak: /protocol/openid-connect/userinfo).
    curlPath: { path: '/userinfo' },
    importHints: {},
    loopbackRedirect: { portSetting: 'redirectPort' },
    presets: [
      // Issuer templates and each service's known needs, from its documentation (../shared/docs/oauth-field-notes.md).
      // None is tested against the real service: the hint says so.
      {
        id: 'oidc-entra',
        title: 'Microsoft Entra ID',
        name: 'entra',
        baseUrl: 'https://login.microsoftonline.com/<tenant-id>/v2.0',
        color: '#2563eb',
        settings: { scope: 'openid profile email offline_access' },
        hint: 'The v2.0 issuer of your tenant (its ID, not common or organizations); offline_access brings the refresh token. Register http://127.0.0.1/callback as a "Mobile and desktop" redirect URI (Entra ignores the port of a loopback one: learn.microsoft.com, "Redirect URI (reply URL) restrictions"). Untested against the real service.',
      },
      {
        id: 'oidc-google',
        title: 'Google',
        name: 'google',
        baseUrl: 'https://accounts.google.com',
        color: '#16a34a',
        settings: { scope: 'openid profile email', authParams: 'access_type=offline&prompt=consent' },
        hint: 'A "Desktop app" OAuth client (give its secret too). access_type=offline&prompt=consent brings the refresh token; apps in "Testing" lose it after 7 days. Untested against the real service.',
      },
      {
        id: 'oidc-auth0',
        title: 'Auth0',
        name: 'auth0',
        baseUrl: 'https://<tenant>.auth0.com/',
        color: '#d97706',
        settings: { scope: 'openid profile email offline_access' },
        hint: 'Set the audience to your API\'s identifier, or the access token is opaque; offline_access brings the refresh token (allow it on the API). Untested against the real service.',
      },
      {
        id: 'oidc-okta',
        title: 'Okta',
        name: 'okta',
        baseUrl: 'https://<your-domain>.okta.com/oauth2/default',
        color: '#0891b2',
        settings: { scope: 'openid profile email offline_access' },
        hint: 'The default custom authorization server; enable the Refresh Token grant on the app. Untested against the real service.',
      },
      {
        id: 'oidc-keycloak',
        title: 'Keycloak',
        name: 'keycloak',
        baseUrl: 'https://<host>/realms/<realm>',
        color: '#7c3aed',
        hint: 'The realm URL is the issuer (a local one: http://localhost:8080/realms/<realm>). Untested against the real service.',
      },
      {
        id: 'oidc-cognito',
        title: 'AWS Cognito',
        name: 'cognito',
        baseUrl: 'https://cognito-idp.<region>.amazonaws.com/<user-pool-id>',
        color: '#64748b',
        // Cognito gives a refresh token with every code and knows no offline_access scope.
        settings: { scope: 'openid profile email' },
        hint: 'The user pool is the issuer; the app client needs the authorization code grant and the openid scope. Untested against the real service.',
      },
      {
        id: 'oidc-gitlab',
        title: 'GitLab',
        name: 'gitlab',
        baseUrl: 'https://gitlab.com',
        color: '#d97706',
        // GitLab always issues a refresh token and refuses scopes it does not know (offline_access).
        settings: { scope: 'openid profile email' },
        hint: 'An application under User settings → Applications (self-managed: your GitLab URL). Untested against the real service.',
      },
    ],
  },
  oauth2: {
    label: 'OAuth 2.0',
    summary: 'a server without OpenID discovery: its endpoints given by hand; browser, device code or machine client',
    cliSummary: 'any OAuth 2.0 server, its endpoints given by hand (no discovery, no ID token)',
    urlPlaceholder: 'https://api.example.com',
    // The base URL is the API the token is for; the token endpoint is a setting of its own.
    addedPaths: { pattern: /\/(oauth2?\/)?(token|authorize)\/?$/i, what: 'the API\'s address: the token and authorization endpoints are settings of their own (--token-endpoint, --authorization-endpoint)' },
    capabilities: {
      ...OAUTH_FLAGS,
      // A method is offered only with its endpoint (signInMethodsOf); its flow also refuses plainly without it.
      signInMethods: oauthSignInMethods('server', { browser: 'authorizationEndpoint', device: 'deviceAuthorizationEndpoint' }),
      renewal: { kind: 'refresh' },
      exportedRoles: ['url', 'access_token', 'refresh_token'],
    },
    settings: [
      endpointSetting('tokenEndpoint', 'Token endpoint', 'token-endpoint', 'Where codes, refresh tokens and client credentials are exchanged for tokens (RFC 6749 §3.2)', true),
      endpointSetting('authorizationEndpoint', 'Authorization endpoint', 'authorization-endpoint', 'For the browser sign-in (RFC 6749 §3.1); without it there is none'),
      endpointSetting('deviceAuthorizationEndpoint', 'Device authorization endpoint', 'device-authorization-endpoint', 'For the device code sign-in (RFC 8628 §3.1); without it there is none'),
      endpointSetting('revocationEndpoint', 'Revocation endpoint', 'revocation-endpoint', 'Sign-out revokes the refresh token there (RFC 7009); without it the token stays valid until it expires'),
      endpointSetting('userinfoEndpoint', 'Userinfo endpoint', 'userinfo-endpoint', 'Asked who signed in (sub, email, name); without it, a JWT access token\'s claims say, else the identity is "signed-in user"'),
      ...OAUTH_CLIENT_SETTINGS,
      { name: 'scope', label: 'Scope', help: 'Space-separated, as the server names them; unset, none is asked (the server\'s default)', secret: false, required: false, flag: 'scope', syntax: 'text' },
      ...OAUTH_REQUEST_SETTINGS,
    ],
    exportNames: { url: 'url', access_token: 'access_token', refresh_token: 'refresh_token' },
    curlPath: { path: '/' },
    importHints: {},
    loopbackRedirect: { portSetting: 'redirectPort' },
    presets: [
      {
        id: 'oauth2-github',
        title: 'GitHub (OAuth app)',
        name: 'github',
        baseUrl: 'https://api.github.com',
        color: '#64748b',
        // docs.github.com "Authorizing OAuth apps": these endpoints, no discovery, no refresh token unless the app expires its tokens.
        settings: {
          authorizationEndpoint: 'https://github.com/login/oauth/authorize',
          tokenEndpoint: 'https://github.com/login/oauth/access_token',
          deviceAuthorizationEndpoint: 'https://github.com/login/device/code',
          scope: 'read:user',
        },
        hint: 'An OAuth app (Settings → Developer settings); enable its device flow for --device. GitHub has no userinfo with a sub, so the identity is "signed-in user". Untested against the real service.',
      },
      { id: 'oauth2-own', title: 'Your OAuth 2.0 server', name: 'staging', baseUrl: 'https://api.staging.<your-domain>', color: '#2563eb', hint: 'Give the token endpoint, and the authorization and device endpoints for the sign-ins you want.' },
    ],
  },
};

/**
 * The redirect URI to register for an environment of `kind` with these settings, or undefined when its
 * sign-in has none. A fixed port is part of it; without one the port is chosen at each sign-in, and
 * providers that follow RFC 8252 §7.3 take http://127.0.0.1/callback for any port.
 */
export function loopbackRedirectUri(kind: ProviderKind, settings: Readonly<Record<string, string>>): { uri: string; anyPort: boolean } | undefined {
  const r = PROVIDERS[kind].loopbackRedirect;
  if (!r) return undefined;
  const port = settings[r.portSetting]?.trim();
  return port ? { uri: `http://127.0.0.1:${port}/callback`, anyPort: false } : { uri: 'http://127.0.0.1/callback', anyPort: true };
}

export function providerInfo(kind: ProviderKind): ProviderInfo {
  return PROVIDERS[kind];
}

export function signInMethod(kind: ProviderKind, id: string): SignInMethodInfo | undefined {
  return PROVIDERS[kind].capabilities.signInMethods.find((m) => m.id === id);
}

export function capabilitiesOf(kind: ProviderKind): ProviderCapabilities {
  return PROVIDERS[kind].capabilities;
}
