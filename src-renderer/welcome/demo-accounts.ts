import type { AppState, EnvironmentView } from '../../src-main/contract/types.js';

/**
 * The demo server's public test accounts (mirrors DEMO_CREDENTIALS in src-main/core/demo-server;
 * they are printed in the README). Offered as one-click fill-ins on the demo environments only.
 */
const DEMO = {
  supabase: [
    { email: 'owner@connectgain.test', password: 'demo-password', label: 'Olive Owner (owner)' },
    { email: 'agent@connectgain.test', password: 'demo-password', label: 'Andy Agent (agent)' },
  ],
  session: [
    { email: 'test@test.com', password: 'stringstring', label: 'Super admin' },
    { email: 'restricted@test.com', password: 'stringstring', label: 'Restricted viewer (two accounts)' },
    { email: 'many@test.com', password: 'stringstring', label: '5,000 permissions' },
  ],
} as const;

export function demoAccountsFor(env: EnvironmentView, demo: AppState['demo'] | undefined): ReadonlyArray<{ email: string; password: string; label: string }> {
  if (!demo?.running || !demo.url) return [];
  const base = demo.url.replace(/\/+$/, '');
  if (!env.baseUrl.startsWith(base)) return [];
  return DEMO[env.provider];
}
