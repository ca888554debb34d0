import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The name a project file has (schema.ts says the same; this leaf imports no zod: the `token` fast path reads it). */
const FILE_NAME = 'tokendesk.json';

/**
 * The project file that governs `cwd`: the nearest `tokendesk.json` from `cwd` upward, up to the
 * repository's root (the folder holding `.git`, a folder or a worktree's file) and not beyond it, so a
 * file above the repository (in a shared /tmp, a parent checkout) never applies to it. Outside any
 * repository only `cwd` itself is looked at, for the same reason. Synchronous and without zod:
 * the `token` fast path asks it too (cli/fast-token.ts).
 */
export function findProjectFile(cwd: string): string | undefined {
  const candidates: string[] = [];
  for (let dir = cwd; ; dir = dirname(dir)) {
    candidates.push(dir);
    if (statSync(join(dir, '.git'), { throwIfNoEntry: false })) {
      for (const d of candidates) {
        const file = join(d, FILE_NAME);
        if (statSync(file, { throwIfNoEntry: false })?.isFile()) return file;
      }
      return undefined;
    }
    if (dirname(dir) === dir) break;
  }
  const here = join(cwd, FILE_NAME);
  return statSync(here, { throwIfNoEntry: false })?.isFile() ? here : undefined;
}
