import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROVIDER_KINDS } from '../../src-main/contract/providers.js';

/**
 * Issue 20: "a provider is its folder plus one catalogue entry and one registry line". Outside
 * src-main/core/providers/ and the catalogue (src-main/contract/providers.ts, and its kind list
 * provider-kinds.ts), no source names a
 * provider kind: generic code asks the catalogue or the provider instead. Adding a kind then needs
 * nothing else, and removing one leaves nothing behind.
 */
const ROOT = resolve(__dirname, '../..');
const SCANNED = ['src-main', 'src-renderer', 'src-preload', 'scripts'];
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;

/** Where kinds are named by design: the providers themselves and their catalogue. */
const OWNERS = ['src-main/core/providers/', 'src-main/contract/providers.ts', 'src-main/contract/provider-kinds.ts'];

/**
 * What may keep naming kinds, and why. A folder or file (ending in /, or a whole path), or a path with
 * the exact text of the line that may stay (`line`).
 */
const ALLOWED: ReadonlyArray<{ path: string; line?: string; why: string }> = [
  // The demo server is the peer of each kind (its own Supabase, session API and token API), and the
  // demo environments and accounts are one per kind on purpose: a new kind gets its demo by choice.
  { path: 'src-main/core/demo-server/', why: 'the demo server speaks each kind\'s protocol' },
  { path: 'src-main/core/app/demo-environments.ts', why: 'one demo environment per kind (the compiler asks for a new one)' },
  { path: 'src-main/core/app/demo-launcher.ts', why: 'the demo accounts of each kind' },
  // The bench measures a sign-in and a refresh of the real Supabase and session kinds, like a test.
  { path: 'scripts/bench-core.ts', why: 'the bench measures named kinds against the demo server' },
  { path: 'scripts/bench-endpoint.ts', why: 'the endpoint bench signs in to a Supabase environment on the demo server' },
  { path: 'scripts/bench-cli.mjs', why: 'the bench signs in to each demo environment the way its kind does (a password, a pasted token)' },
  // The same words in other vocabularies: these are not the provider kind.
  { path: 'src-main/contract/types.ts', line: "export type SignUpOutcome = { kind: 'session'; identity: IdentityView } | { kind: 'confirmation_sent'; email: string };", why: 'a sign-up that signed in' },
  { path: 'src-main/contract/types.ts', line: "| { type: 'state-changed'; reason: 'config' | 'session' | 'demo' }", why: 'an event reason' },
  { path: 'src-main/core/app/service.ts', line: "emit({ type: 'state-changed', reason: 'session' });", why: 'an event reason' },
  { path: 'src-main/core/app/service.ts', line: "changed: () => emit({ type: 'state-changed', reason: 'session' }),", why: 'an event reason' },
  { path: 'src-main/core/app/service.ts', line: "if (results.some((r) => r.result === 'ended')) emit({ type: 'state-changed', reason: 'session' });", why: 'an event reason' },
  { path: 'src-main/core/app/service.ts', line: "return { kind: 'session', identity: await viewOfIdentity(out.identity.id) };", why: 'a sign-up that signed in' },
  { path: 'src-main/core/sessions/manager.ts', line: "): Promise<{ kind: 'session'; identity: Identity; warning?: string } | { kind: 'confirmation_sent'; email: string }> {", why: 'a sign-up that signed in' },
  { path: 'src-main/core/sessions/manager.ts', line: "return warning ? { kind: 'session', identity, warning } : { kind: 'session', identity };", why: 'a sign-up that signed in' },
  { path: 'src-main/core/sessions/session-codec.ts', line: "const field = issuePath(issues[0]?.path ?? []) || 'session';", why: 'the name of the stored record in an error' },
];

const kinds = PROVIDER_KINDS.join('|');
/**
 * A kind used as a kind: a quoted literal ('supabase', "bearer", `session`), or an object key of a
 * per-kind table (`supabase: …`). Words in prose and comments are not matched. `session:` as a key is
 * left out: it is everywhere as a plain field name, and a per-kind table naming it names the other
 * kinds too.
 */
const KIND_LITERAL = new RegExp(`(['"\`])(${kinds})\\1`);
const KIND_KEY = new RegExp(`(^|[{,])\\s*(${PROVIDER_KINDS.filter((k) => k !== 'session').join('|')})\\s*:`);
/** A branch on the kind: `switch (env.provider)`. */
const KIND_SWITCH = /switch\s*\([^)]*\bprovider\)/;

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (SOURCE.test(entry.name)) yield full;
  }
}

/** The line without its comment (a // comment, or a line inside a block comment). */
function code(line: string): string {
  const t = line.trim();
  if (t.startsWith('*') || t.startsWith('/*') || t.startsWith('//')) return '';
  return line.replace(/\s\/\/\s.*$/, '');
}

function allowed(path: string, line: string): boolean {
  return ALLOWED.some((a) => (a.line === undefined ? (a.path.endsWith('/') ? path.startsWith(a.path) : path === a.path) : path === a.path && line.trim() === a.line));
}

function offenders(): string[] {
  const out: string[] = [];
  for (const top of SCANNED) {
    for (const file of files(join(ROOT, top))) {
      const path = relative(ROOT, file).split('\\').join('/');
      if (OWNERS.some((o) => (o.endsWith('/') ? path.startsWith(o) : path === o))) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const c = code(line);
          if (!(KIND_LITERAL.test(c) || KIND_KEY.test(c) || KIND_SWITCH.test(c))) return;
          if (!allowed(path, line)) out.push(`${path}:${i + 1}: ${line.trim()}`);
        });
    }
  }
  return out;
}

describe('provider kinds stay in their folders and the catalogue', () => {
  it('no source outside src-main/core/providers/ and the catalogue names a kind', () => {
    expect(offenders()).toEqual([]);
  });

  it('the scan sees a kind named as a kind (a literal, a table key, a switch) and not in prose', () => {
    expect(KIND_LITERAL.test("if (env.provider === 'supabase') {")).toBe(true);
    expect(KIND_LITERAL.test('provider: "bearer",')).toBe(true);
    expect(KIND_KEY.test('  supabase: { url: "url" },')).toBe(true);
    expect(KIND_KEY.test('const t = { bearer: 1 };')).toBe(true);
    expect(KIND_SWITCH.test('switch (env.provider) {')).toBe(true);
    expect(code(' * the session is refreshed by supabase')).toBe('');
    expect(KIND_LITERAL.test(code('const ttl = 3600; // a supabase session'))).toBe(false);
    expect(KIND_KEY.test('  session: StoredSession;')).toBe(false);
  });
});
