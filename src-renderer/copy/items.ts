import type { CopyItem } from '../../src-main/contract/api.js';
import type { EnvironmentView, IdentityView, VariableView } from '../../src-main/contract/types.js';

export interface CopyAction {
  id: string;
  /** The button's accessible name, e.g. "Copy Authorization header". */
  label: string;
  /** Short visible text. */
  short: string;
  item: CopyItem;
}

/** The account the identity acts in: the chosen one, else its primary. */
function accountOf(identity: IdentityView | undefined): string | undefined {
  return identity?.activeAccountId ?? identity?.profile?.primaryAccountId ?? identity?.profile?.accounts.find((a) => a.primary)?.id;
}

/** Only a provider with a refresh grant gives sessions a refresh token (single-use) that a copy could hand out. */
export function hasRefreshToken(env: EnvironmentView): boolean {
  return env.capabilities.canRefresh;
}

/**
 * The copy actions that apply to an environment: absent, not disabled, when they do not apply.
 * `includeRefreshToken` is the user's explicit choice for the all-variables copies.
 */
export function copyActions(env: EnvironmentView, identity?: IdentityView, includeRefreshToken = false): CopyAction[] {
  const out: CopyAction[] = [{ id: 'authorization-header', label: 'Copy Authorization header', short: 'Authorization header', item: { kind: 'authorization-header' } }];
  if (env.capabilities.needsAnonKey && env.hasAnonKey) out.push({ id: 'apikey-header', label: 'Copy apikey header', short: 'apikey header', item: { kind: 'apikey-header' } });
  if (env.hasApiKey) out.push({ id: 'x-api-key-header', label: 'Copy X-API-Key header', short: 'X-API-Key header', item: { kind: 'x-api-key-header' } });
  const transport = env.accountTransport;
  if (transport.kind === 'header' && accountOf(identity) !== undefined) out.push({ id: 'account-header', label: `Copy ${transport.name} header`, short: `${transport.name} header`, item: { kind: 'account-header' } });
  // One line per header a request needs: worth a button only when there is more than the Authorization line.
  // Its name contains its visible words (WCAG 2.5.3 Label in Name; "Copy all request headers" did not).
  if (out.length > 1) out.push({ id: 'headers', label: 'Copy all headers', short: 'All headers', item: { kind: 'headers' } });
  out.push(
    { id: 'token', label: 'Copy raw token', short: 'Raw token', item: { kind: 'token' } },
    { id: 'curl', label: 'Copy as curl', short: 'curl', item: { kind: 'curl' } },
    // The OpenID Connect sign-in's ID token, for an API that takes it instead of the access token.
    ...(identity?.profile?.hasIdToken ? [{ id: 'id-token', label: 'Copy ID token', short: 'ID token', item: { kind: 'id-token' } } satisfies CopyAction] : []),
    // key:value lines: what Postman's Bulk Edit of an environment takes (JSON would not paste there).
    { id: 'postman-bulk-edit', label: 'Copy all Postman variables (bulk edit)', short: 'All Postman variables', item: { kind: 'postman-bulk-edit', includeRefreshToken } },
  );
  return out;
}

/** The collection pre-request script that asks the local endpoint for fresh variables: no token in it, so offered signed out too. */
export const POSTMAN_SCRIPT_ACTION: CopyAction = { id: 'postman-script', label: 'Copy Postman pre-request script', short: 'Pre-request script', item: { kind: 'postman-script' } };

/** Less common copies, offered in the command palette only (the script has its own place in the panel too). */
export function moreCopyActions(includeRefreshToken = false): CopyAction[] {
  return [{ id: 'postman-variables', label: 'Copy all Postman variables as JSON', short: 'Postman variables (JSON)', item: { kind: 'postman-variables', includeRefreshToken } }, POSTMAN_SCRIPT_ACTION];
}

export function variableAction(v: VariableView): CopyAction {
  return { id: `var:${v.key}`, label: `Copy Postman variable ${v.key}`, short: v.key, item: { kind: 'postman-variable', key: v.key } };
}
