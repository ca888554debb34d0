import type { AppState, DemoAccount, EnvironmentView } from '../../src-main/contract/types.js';

/** The demo server's public test accounts, sent by the main process while the demo runs. */
export function demoAccountsFor(env: EnvironmentView, demo: AppState['demo'] | undefined): readonly DemoAccount[] {
  if (!demo?.running || !demo.url) return [];
  const base = demo.url.replace(/\/+$/, '');
  if (!env.baseUrl.startsWith(base)) return [];
  return demo.accounts?.[env.provider] ?? [];
}
