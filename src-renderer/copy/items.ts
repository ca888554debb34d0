import type { CopyItem } from '../../src-main/contract/api.js';
import type { EnvironmentView, VariableView } from '../../src-main/contract/types.js';

export interface CopyAction {
  id: string;
  /** The button's accessible name, e.g. "Copy Authorization header". */
  label: string;
  /** Short visible text. */
  short: string;
  item: CopyItem;
}

/** The copy actions that apply to an environment: absent, not disabled, when they do not apply. */
export function copyActions(env: EnvironmentView): CopyAction[] {
  const out: CopyAction[] = [{ id: 'authorization-header', label: 'Copy Authorization header', short: 'Authorization header', item: { kind: 'authorization-header' } }];
  if (env.provider === 'supabase' && env.hasAnonKey) out.push({ id: 'apikey-header', label: 'Copy apikey header', short: 'apikey header', item: { kind: 'apikey-header' } });
  if (env.hasApiKey) out.push({ id: 'x-api-key-header', label: 'Copy X-API-Key header', short: 'X-API-Key header', item: { kind: 'x-api-key-header' } });
  out.push(
    { id: 'token', label: 'Copy raw token', short: 'Raw token', item: { kind: 'token' } },
    { id: 'curl', label: 'Copy as curl', short: 'curl', item: { kind: 'curl' } },
    { id: 'postman-variables', label: 'Copy all Postman variables', short: 'All Postman variables', item: { kind: 'postman-variables' } },
  );
  return out;
}

export function variableAction(v: VariableView): CopyAction {
  return { id: `var:${v.key}`, label: `Copy Postman variable ${v.key}`, short: v.key, item: { kind: 'postman-variable', key: v.key } };
}
