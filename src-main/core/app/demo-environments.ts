import { PROVIDER_KINDS, type ProviderKind } from '../../contract/providers.js';
import type { Environment } from '../config/schema.js';
import type { EnvironmentInput, EnvironmentService } from '../environments/service.js';
import { DEMO_ANON_KEY, DEMO_API_KEY, DEMO_ORGANIZATION_ID } from '../demo-server/users.js';
import { DEMO_PAT_PATH } from '../demo-server/pat-routes.js';

export const DEMO_LABEL = 'demo';
/** The demo session API reads the tenant account from this header (demo-server/session-api-routes.ts). */
export const DEMO_ACCOUNT_TRANSPORT = { kind: 'header', name: 'X-Account-Id' } as const;
export const DEMO_ENVIRONMENTS = { supabase: 'Demo Supabase', session: 'Demo session API', bearer: 'Demo token API', oidc: 'Demo OpenID Connect' } as const satisfies Record<ProviderKind, string>;

/** What each seed API's demo environment holds besides its name and URL (the demo server serves every kind). */
/** null: the demo server has no peer of this kind yet (OpenID Connect: issue 21's demo issuer comes later), so no demo environment. */
const DEMO_SETUP: Readonly<Record<ProviderKind, { color: string; extra: Partial<EnvironmentInput> } | null>> = {
  // The demo GoTrue enables its demo GitHub and Google (demo-server/gotrue-settings.ts): offered as social sign-ins.
  supabase: { color: '#3ecf8e', extra: { anonKey: DEMO_ANON_KEY, apiKey: DEMO_API_KEY, variables: { organization_id: DEMO_ORGANIZATION_ID }, settings: { oauthProviders: 'github, google' } } },
  session: { color: '#7c5cff', extra: { accountTransport: DEMO_ACCOUNT_TRANSPORT } },
  // A pasted token is tried at the demo's token API before it is kept.
  bearer: { color: '#0891b2', extra: { settings: { checkPath: DEMO_PAT_PATH } } },
  oidc: null,
};

/**
 * One demo environment per seed API pointing at `url`: added when missing, re-pointed when the demo
 * server had to take another port. Shared by the app's "Try the demo server" and `tokendesk demo-setup`.
 */
export async function ensureDemoEnvironments(envs: EnvironmentService, url: string): Promise<Environment[]> {
  const existing = await envs.list();
  const result: Environment[] = [];
  for (const provider of PROVIDER_KINDS) {
    const setup = DEMO_SETUP[provider];
    if (!setup) continue;
    const name = DEMO_ENVIRONMENTS[provider];
    const { color, extra } = setup;
    const found = existing.find((e) => e.name === name);
    if (found) {
      // Demo environments from before the account header existed get it too.
      const transport = extra.accountTransport && !found.accountTransport ? { accountTransport: extra.accountTransport } : {};
      // A move removes the keys stored for the old server unless the same edit gives them (issue 27): the
      // demo's own are given again then; otherwise only those the vault lacks (after a start-over, say).
      const moving = found.baseUrl !== url;
      const keys = moving ? { ...(extra.anonKey && { anonKey: extra.anonKey }), ...(extra.apiKey && { apiKey: extra.apiKey }) } : await missingKeys(envs, found, extra);
      const stale = moving || Object.keys(transport).length > 0 || Object.keys(keys).length > 0;
      // Another port is another server: its sessions end (EnvironmentService.edit). Asked for by the
      // user's "demo-setup" / "Try the demo server", so a demo marked production moves without a question.
      result.push(stale ? await envs.update(found.id, { baseUrl: url, confirmOriginChange: true, ...transport, ...keys }) : found);
      continue;
    }
    result.push(await envs.add({ name, provider, baseUrl: url, label: DEMO_LABEL, color, production: false, ...extra }));
  }
  return result;
}

/**
 * The demo's public keys the vault lacks: a vault start-over leaves every secret behind, and the next
 * sign-in would fail "has no anon key stored". A vault that cannot be read now is left to the
 * window's and the CLI's own report of it (the demo still starts; nothing is written).
 */
async function missingKeys(envs: EnvironmentService, env: Environment, extra: Partial<EnvironmentInput>): Promise<Partial<EnvironmentInput>> {
  if (!extra.anonKey && !extra.apiKey) return {};
  const stored = await envs.storedKeys(env.id).catch(() => ({ anonKey: true, apiKey: true }));
  return { ...(extra.anonKey && !stored.anonKey && { anonKey: extra.anonKey }), ...(extra.apiKey && !stored.apiKey && { apiKey: extra.apiKey }) };
}
