import { readFile } from 'node:fs/promises';
import type { Factory } from './factory.js';
import { resolveReferences, TokenDeskError, type Located } from '../core/facade.js';

/** Env files and templates are small text: a bigger one is a wrong path (a binary, a log), said so. */
const MAX_BYTES = 1024 * 1024;

/** A file the user named, as text; `-` is standard input. A missing or huge one is one clear line. */
export async function readUserFile(f: Factory, path: string, what: string): Promise<string> {
  let bytes: Buffer;
  try {
    if (path === '-') {
      const chunks: Buffer[] = [];
      for await (const c of f.io.stdin) chunks.push(Buffer.from(c as Uint8Array));
      bytes = Buffer.concat(chunks);
    } else bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new TokenDeskError('invalid_input', `Cannot read the ${what} ${path} (${code === 'ENOENT' ? 'no such file' : code})`);
  }
  if (bytes.length > MAX_BYTES) throw new TokenDeskError('invalid_input', `The ${what} ${path} is larger than 1 MB`);
  return bytes.toString('utf8');
}

/** Resolves references against this run's core (fresh tokens, renewed first when due); warnings go to stderr. */
export async function resolveWith(f: Factory, items: readonly Located[], opts: { productionSecrets?: boolean } = {}): Promise<string[]> {
  const core = f.core();
  const { values, warnings } = await resolveReferences(items, {
    readConfig: () => core.config.read(),
    loadSecrets: () => core.secrets.loadAll(),
    freshToken: (envId, who) => core.sessions.getFreshToken(envId, who),
  }, opts);
  for (const w of new Set(warnings)) f.term.warn(w);
  return values;
}
