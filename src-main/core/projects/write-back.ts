import { TokenDeskError } from '../errors.js';
import { parseJson } from '../text/parse-json.js';
import { parseProjectFile } from './read.js';
import type { ProjectEnvironment } from './schema.js';

/** The fields of a project environment the app edits; `undefined` leaves one as it is, `null` removes it. */
export type ProjectEnvironmentPatch = { [K in keyof ProjectEnvironment]?: ProjectEnvironment[K] | null };

/** The file's indentation (its first indented line), so a write-back looks like the team's file: 2 spaces, 4, or a tab. */
function indentOf(text: string): string | number {
  const m = /\n([ \t]+)\S/.exec(text);
  if (!m) return 2;
  return m[1]!.startsWith('\t') ? '\t' : m[1]!.length;
}

/**
 * The text of a project file with one environment changed, for the app's "edit in the file": the
 * file's key order, indentation, final newline and every field TokenDesk does not know are kept; a
 * new field goes after the existing ones. The result is checked as a reader checks it (the secret
 * guard included) before it is returned, so the app never writes a secret into a repository.
 */
export function patchedProjectText(file: string, text: string, name: string, patch: ProjectEnvironmentPatch): string {
  const parsed = parseJson(text.startsWith('\uFEFF') ? text.slice(1) : text);
  if (!parsed.ok) throw new TokenDeskError('invalid_input', `The project file ${file} is not valid JSON: it was not changed`);
  const doc = parsed.value as { environments?: unknown };
  const list = Array.isArray(doc.environments) ? (doc.environments as Record<string, unknown>[]) : [];
  const target = list.find((e) => typeof e?.name === 'string' && e.name.toLowerCase() === name.toLowerCase());
  if (!target) throw new TokenDeskError('not_found', `The project file ${file} has no environment named "${name}" any more`);
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) delete target[key];
    else target[key] = value;
  }
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const out = `${bom}${JSON.stringify(doc, null, indentOf(text))}${text.endsWith('\n') ? '\n' : ''}`;
  parseProjectFile(file, out);
  return out;
}
