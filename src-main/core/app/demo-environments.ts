import type { Environment } from '../config/schema.js';
import type { EnvironmentService } from '../environments/service.js';
import { DEMO_ANON_KEY, DEMO_API_KEY, DEMO_ORGANIZATION_ID } from '../demo-server/users.js';

export const DEMO_LABEL = 'demo';
/** The demo session API reads the tenant account from this header (demo-server/session-api-routes.ts). */
export const DEMO_ACCOUNT_TRANSPORT = { kind: 'header', name: 'X-Account-Id' } as const;
export const DEMO_ENVIRONMENTS = { supabase: 'Demo Supabase', session: 'Demo session API' } as const;

/**
 * One demo environment per seed API pointing at `url`: added when missing, re-pointed when the demo
 * server had to take another port. Shared by the app's "Try the demo server" and `tokendesk demo-setup`.
 */
export async function ensureDemoEnvironments(envs: EnvironmentService, url: string): Promise<Environment[]> {
  const existing = await envs.list();
  const result: Environment[] = [];
  for (const provider of ['supabase', 'session'] as const) {
    const name = DEMO_ENVIRONMENTS[provider];
    const found = existing.find((e) => e.name === name);
    if (found) {
      // Demo environments from before the account header existed get it too.
      const transport = provider === 'session' && !found.accountTransport ? { accountTransport: DEMO_ACCOUNT_TRANSPORT } : {};
      const stale = found.baseUrl !== url || Object.keys(transport).length > 0;
      result.push(stale ? await envs.update(found.id, { baseUrl: url, ...transport }) : found);
      continue;
    }
    result.push(
      await envs.add({
        name,
        provider,
        baseUrl: url,
        label: DEMO_LABEL,
        color: provider === 'supabase' ? '#3ecf8e' : '#7c5cff',
        production: false,
        ...(provider === 'session' && { accountTransport: DEMO_ACCOUNT_TRANSPORT }),
        ...(provider === 'supabase' && {
          anonKey: DEMO_ANON_KEY,
          apiKey: DEMO_API_KEY,
          variables: { organization_id: DEMO_ORGANIZATION_ID },
        }),
      }),
    );
  }
  return result;
}
