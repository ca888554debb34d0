import { TokenDeskError } from '../../errors.js';
import type { ProviderContext } from '../types.js';

export { tokenHeader } from '../token-header.js';

/** The check path (catalogue setting `checkPath`), or undefined when the environment has none. */
export function checkPathOf(ctx: Pick<ProviderContext, 'settings'>): string | undefined {
  const path = ctx.settings?.checkPath?.trim();
  if (!path) return undefined;
  if (!path.startsWith('/')) throw new TokenDeskError('invalid_input', `The check path "${path.slice(0, 80)}" must start with /`);
  return path;
}
