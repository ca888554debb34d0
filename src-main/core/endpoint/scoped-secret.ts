import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * A secret scoped to one child of `tokendesk exec` (issue 23): `tdx1.<payload>.<mac>`, both base64url.
 * The payload names the environments it may be served (and, where exec chose one, the identities) and
 * when it expires; the MAC is HMAC-SHA256 under a key derived from the per-install secret. So any
 * endpoint holding the install secret (the app's, `tokendesk serve`'s) verifies it without shared
 * state, and a new install secret invalidates every scoped one at once.
 */
export const SCOPED_PREFIX = 'tdx1.';

/** Well past any real scope (a few environment ids), small enough that parsing a hostile one is cheap. */
const MAX_LENGTH = 8192;

/** One environment the secret serves; `identities` restricts it to those (by id) when exec chose one. */
export interface ScopeEntry {
  env: string;
  identities?: string[];
}

export interface Scope {
  entries: ScopeEntry[];
  /** Epoch ms after which the secret is refused like a wrong one. */
  expiresAt: number;
  /** What it was made for, said by the access log (e.g. `exec node`); never secret. */
  madeFor: string;
}

const Payload = z.strictObject({
  v: z.literal(1),
  scope: z.array(z.strictObject({ env: z.string().min(1).max(400), identities: z.array(z.string().min(1).max(400)).min(1).max(50).optional() })).min(1).max(50),
  exp: z.number().int().positive(),
  for: z.string().max(80),
  // Random, so two children started with the same scope in the same millisecond still get different secrets.
  n: z.string().max(40),
});

/** The MAC key: the install secret is never used directly, so a scoped secret's MAC says nothing about it. */
function macKey(installSecret: string): Buffer {
  return createHmac('sha256', installSecret).update('tokendesk endpoint scoped secret v1').digest();
}

function mac(key: Buffer, signed: string): Buffer {
  return createHmac('sha256', key).update(signed).digest();
}

export function makeScopedSecret(installSecret: string, scope: Scope): string {
  const payload: z.infer<typeof Payload> = {
    v: 1,
    scope: scope.entries.map((e) => (e.identities ? { env: e.env, identities: e.identities } : { env: e.env })),
    exp: scope.expiresAt,
    for: scope.madeFor.slice(0, 80),
    n: randomBytes(9).toString('base64url'),
  };
  const signed = `${SCOPED_PREFIX}${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${signed}.${mac(macKey(installSecret), signed).toString('base64url')}`;
}

export const looksScoped = (presented: string): boolean => presented.startsWith(SCOPED_PREFIX);

/** What a status probe sends with its secret, and the endpoint's proof of knowing the install secret answers. */
export const PROBE_NONCE_HEADER = 'x-tokendesk-nonce';
const NONCE = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * What a status probe presents instead of the install secret: whatever listens on the port (another
 * user's program, when the endpoint is not running) may keep what it is sent, and this serves no
 * environment (its scope names none that can exist) and ends in a minute.
 */
export function makeProbeSecret(installSecret: string, now: number): string {
  return makeScopedSecret(installSecret, { entries: [{ env: '(status probe)' }], expiresAt: now + 60_000, madeFor: 'status probe' });
}

/** A fresh nonce for a probe. */
export const probeNonce = (): string => randomBytes(18).toString('base64url');

/**
 * The endpoint's answer to a probe's nonce, made with the install secret: a program that answers 200
 * on the port without it (one squatting the port) is not taken for the endpoint.
 */
export function statusProof(installSecret: string, nonce: string): string | undefined {
  if (!NONCE.test(nonce)) return undefined;
  // A key of its own: a caller choosing nonces gets MACs under no key a scoped secret is checked with.
  const key = createHmac('sha256', installSecret).update('tokendesk endpoint status proof v1').digest();
  return mac(key, nonce).toString('base64url');
}

/** Whether `proof` is the install secret's answer to `nonce` (constant time). */
export function provesSecret(installSecret: string, nonce: string, proof: unknown): boolean {
  const expected = statusProof(installSecret, nonce);
  if (expected === undefined || typeof proof !== 'string' || proof.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(proof), Buffer.from(expected));
}

/**
 * Verifies scoped secrets against one install secret, its key derived once (the endpoint checks every
 * call). `verify` answers the scope, or undefined for anything not made with this install secret,
 * altered, malformed or expired: the endpoint answers all of those with the same 401.
 */
export class ScopedSecretCheck {
  private readonly key: Buffer;

  constructor(installSecret: string) {
    this.key = macKey(installSecret);
  }

  verify(presented: string, now: number): Scope | undefined {
    if (presented.length > MAX_LENGTH || !looksScoped(presented)) return undefined;
    const dot = presented.lastIndexOf('.');
    if (dot <= SCOPED_PREFIX.length) return undefined;
    const signed = presented.slice(0, dot);
    const text = presented.slice(dot + 1);
    const given = Buffer.from(text, 'base64url');
    const expected = mac(this.key, signed);
    // Lengths are public (a SHA-256 MAC is always 32 bytes); the bytes are compared in constant time.
    // Only the canonical spelling: base64's spare bits in the last character would let an altered secret through.
    if (given.length !== expected.length || given.toString('base64url') !== text || !timingSafeEqual(given, expected)) return undefined;
    const payload = parsePayload(signed.slice(SCOPED_PREFIX.length));
    if (!payload || payload.exp <= now) return undefined;
    return { entries: payload.scope, expiresAt: payload.exp, madeFor: payload.for };
  }
}

function parsePayload(b64: string): z.infer<typeof Payload> | undefined {
  try {
    const parsed = Payload.safeParse(JSON.parse(Buffer.from(b64, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** What a scope lets through for one environment: undefined when not at all, else its identities (all when none are named). */
export function scopeFor(scope: Scope, envId: string): { identities?: string[] } | undefined {
  const entry = scope.entries.find((e) => e.env === envId);
  return entry && (entry.identities ? { identities: entry.identities } : {});
}

/**
 * The scope exec hands its child, from every environment it resolved (each with the identity it chose,
 * or none): one entry per environment, restricted to identities only when every use of it named one.
 */
export function mergeScope(targets: ReadonlyArray<{ env: string; identity?: string }>): ScopeEntry[] {
  const byEnv = new Map<string, Set<string> | 'any'>();
  for (const t of targets) {
    const now = byEnv.get(t.env);
    if (t.identity === undefined || now === 'any') byEnv.set(t.env, 'any');
    else byEnv.set(t.env, (now ?? new Set<string>()).add(t.identity));
  }
  return [...byEnv].map(([env, ids]) => (ids === 'any' ? { env } : { env, identities: [...ids] }));
}
