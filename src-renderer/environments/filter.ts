import { providerInfo } from '../../src-main/contract/providers.js';
import type { EnvironmentView } from '../../src-main/contract/types.js';

/** Matches name, label, provider, URL and identity emails; every word must match somewhere. */
export function filterEnvironments(envs: EnvironmentView[], query: string): EnvironmentView[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return envs;
  return envs.filter((e) => {
    const hay = [e.name, e.label ?? '', providerInfo(e.provider).label, e.baseUrl, e.production ? 'production prod' : '', ...e.identities.map((i) => `${i.label} ${i.displayName ?? ''}`)]
      .join(' ')
      .toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

export const providerName = (p: EnvironmentView['provider']): string => providerInfo(p).label;
