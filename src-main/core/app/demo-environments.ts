import { PROVIDER_KINDS, type ProviderKind } from '../../contract/providers.js';
import type { Environment } from '../config/schema.js';
import type { EnvironmentInput, EnvironmentService } from '../environments/service.js';
import { DEMO_ANON_KEY, DEMO_API_KEY, DEMO_ORGANIZATION_ID } from '../demo-server/users.js';
import { DEMO_PAT_PATH } from '../demo-server/pat-routes.js';
import { OIDC_DEMO_MACHINE_CLIENT, OIDC_DEMO_MACHINE_SECRET, OIDC_DEMO_PUBLIC_CLIENT, OIDC_MOUNT } from '../demo-server/oidc-accounts.js';

export const DEMO_LABEL = 'demo';
/** The demo session API reads the tenant account from this header (demo-server/session-api-routes.ts). */
export const DEMO_ACCOUNT_TRANSPORT = { kind: 'header', name: 'X-Account-Id' } as const;
export const DEMO_ENVIRONMENTS = { supabase: 'Demo Supabase', session: 'Demo session API', bearer: 'Demo token API', oidc: 'Demo OpenID Connect', oauth2: 'Demo OAuth 2.0' } as const satisfies Record<ProviderKind, string>;
/**
 * A second OpenID environment for the machine client: one registration per environment, as at a real
 * provider, where a public client (browser, device) and a confidential one (client credentials) are two.
 */
export const DEMO_OIDC_MACHINE_ENVIRONMENT = 'Demo OpenID machine';

interface DemoSetup {
  name: string;
  color: string;
  /** Under the demo server's URL (the issuer is mounted at /oidc). */
  path?: string;
  extra: Partial<EnvironmentInput>;
}

/** What each kind's demo environments hold besides their name and URL (the demo server serves every kind). */
const DEMO_SETUP: Readonly<Record<ProviderKind, readonly DemoSetup[]>> = {
  // The demo GoTrue enables its demo GitHub and Google (demo-server/gotrue-settings.ts): offered as social sign-ins.
  supabase: [
    {
      name: DEMO_ENVIRONMENTS.supabase,
      color: '#3ecf8e',
      extra: { anonKey: DEMO_ANON_KEY, apiKey: DEMO_API_KEY, variables: { organization_id: DEMO_ORGANIZATION_ID }, settings: { oauthProviders: 'github, google' } },
    },
  ],
  session: [{ name: DEMO_ENVIRONMENTS.session, color: '#7c5cff', extra: { accountTransport: DEMO_ACCOUNT_TRANSPORT } }],
  // A pasted token is tried at the demo's token API before it is kept.
  bearer: [{ name: DEMO_ENVIRONMENTS.bearer, color: '#0891b2', extra: { settings: { checkPath: DEMO_PAT_PATH } } }],
  oidc: [
    { name: DEMO_ENVIRONMENTS.oidc, color: '#2563eb', path: OIDC_MOUNT, extra: { settings: { clientId: OIDC_DEMO_PUBLIC_CLIENT } } },
    {
      name: DEMO_OIDC_MACHINE_ENVIRONMENT,
      color: '#64748b',
      path: OIDC_MOUNT,
      extra: { settings: { clientId: OIDC_DEMO_MACHINE_CLIENT }, secrets: { clientSecret: OIDC_DEMO_MACHINE_SECRET } },
    },
  ],
  // None yet: the demo issuer's endpoints by hand would show the same flows as the OpenID ones.
  oauth2: [],
};

/**
 * The demo environments pointing at `url`: added when missing, re-pointed when the demo server had to
 * take another port. Shared by the app's "Try the demo server" and `tokendesk demo-setup`.
 */
export async function ensureDemoEnvironments(envs: EnvironmentService, url: string): Promise<Environment[]> {
  const existing = await envs.list();
  const result: Environment[] = [];
  for (const provider of PROVIDER_KINDS) {
    for (const { name, color, path, extra } of DEMO_SETUP[provider]) {
      const baseUrl = `${url}${path ?? ''}`;
      const found = existing.find((e) => e.name === name);
      if (found) {
        // Demo environments from before the account header existed get it too.
        const transport = extra.accountTransport && !found.accountTransport ? { accountTransport: extra.accountTransport } : {};
        // A move removes the keys stored for the old server unless the same edit gives them (issue 27): the
        // demo's own are given again then; otherwise only those the vault lacks (after a start-over, say).
        const moving = found.baseUrl !== baseUrl;
        const keys = moving ? givenKeys(extra) : await missingKeys(envs, found, extra);
        const stale = moving || Object.keys(transport).length > 0 || Object.keys(keys).length > 0;
        // Another port is another server: its sessions end (EnvironmentService.edit). Asked for by the
        // user's "demo-setup" / "Try the demo server", so a demo marked production moves without a question.
        result.push(stale ? await envs.update(found.id, { baseUrl, confirmOriginChange: true, ...transport, ...keys }) : found);
        continue;
      }
      result.push(await envs.add({ name, provider, baseUrl, label: DEMO_LABEL, color, production: false, ...extra }));
    }
  }
  return result;
}

/** The demo's public keys and secret settings, as an edit gives them. */
function givenKeys(extra: Partial<EnvironmentInput>): Partial<EnvironmentInput> {
  return { ...(extra.anonKey && { anonKey: extra.anonKey }), ...(extra.apiKey && { apiKey: extra.apiKey }), ...(extra.secrets && { secrets: extra.secrets }) };
}

/**
 * The demo's keys the vault lacks: a vault start-over leaves every secret behind, and the next
 * sign-in would fail "has no anon key stored" (or "no client secret"). A vault that cannot be read
 * now is left to the window's and the CLI's own report of it (the demo still starts; nothing is written).
 */
async function missingKeys(envs: EnvironmentService, env: Environment, extra: Partial<EnvironmentInput>): Promise<Partial<EnvironmentInput>> {
  const out: Partial<EnvironmentInput> = {};
  if (extra.anonKey || extra.apiKey) {
    const stored = await envs.storedKeys(env.id).catch(() => ({ anonKey: true, apiKey: true }));
    if (extra.anonKey && !stored.anonKey) out.anonKey = extra.anonKey;
    if (extra.apiKey && !stored.apiKey) out.apiKey = extra.apiKey;
  }
  if (extra.secrets) {
    const stored = await envs.storedSecretSettings(env.id).catch(() => new Set(Object.keys(extra.secrets ?? {})));
    const lacking = Object.entries(extra.secrets).filter(([n]) => !stored.has(n));
    if (lacking.length > 0) out.secrets = Object.fromEntries(lacking);
  }
  return out;
}
