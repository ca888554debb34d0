import type { ApiInput } from '../../src-main/contract/api.js';
import type { AccountTransport, EnvironmentView } from '../../src-main/contract/types.js';

export type ProjectFilePatch = ApiInput<'editProjectEnvironment'>['patch'];

/** What the Edit form holds of the fields a project file keeps (the name is the environment's identity there: not edited). */
export interface FileFields {
  baseUrl: string;
  color: string;
  production: boolean;
  label: string;
  accountTransport?: AccountTransport;
  /** The kind's non-secret settings as the form sends them on edit: '' means the default. */
  settings?: Record<string, string>;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function sortedEntries(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Only what changed goes to the file: a field the user did not touch is left as the team wrote it
 * (its spelling, a `"production": false` nobody needs), and an unchanged form writes nothing. A
 * cleared label, a default setting, no account transport remove the field rather than write an empty one.
 */
export function projectFilePatch(env: EnvironmentView, next: FileFields): ProjectFilePatch {
  const patch: ProjectFilePatch = {};
  if (next.baseUrl !== env.baseUrl) patch.url = next.baseUrl;
  if (next.color !== env.color) patch.color = next.color;
  if (next.production !== env.production) patch.production = next.production;
  if (next.label !== (env.label ?? '')) patch.label = next.label === '' ? null : next.label;
  if (next.accountTransport && !same(next.accountTransport, env.accountTransport)) {
    patch.accountTransport = next.accountTransport.kind === 'none' ? null : next.accountTransport;
  }
  if (next.settings) {
    const set = sortedEntries(Object.fromEntries(Object.entries(next.settings).filter(([, v]) => v !== '')));
    if (!same(set, sortedEntries(env.settings))) patch.settings = Object.keys(set).length === 0 ? null : set;
  }
  return patch;
}

/** The name a copy starts with: "staging (copy)", or "staging (copy 2)" when the user has one of that name already. */
export function copyName(name: string, taken: readonly string[]): string {
  const lower = new Set(taken.map((n) => n.toLowerCase()));
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? `${name} (copy)` : `${name} (copy ${i})`;
    if (!lower.has(candidate.toLowerCase())) return candidate;
  }
}
