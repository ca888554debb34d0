import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * What every loopback server of TokenDesk checks first (the web bridge, the credential endpoint):
 * listening on 127.0.0.1 is not enough, since any web page the user visits can still send requests to
 * it. The secret stops blind requests; the Host check stops DNS rebinding (evil.test resolving to
 * 127.0.0.1 makes the browser send `Host: evil.test:PORT`).
 */
export type GuardResult = { ok: true } | { ok: false; status: 400 | 401 | 403 | 405 | 413 | 415; message: string };

export const GUARD_OK: GuardResult = { ok: true };

/** Constant-time comparison of the presented secret: hashing first gives timingSafeEqual two equal-length digests. */
export function checkSecret(presented: string | undefined | null, secret: string): GuardResult {
  if (typeof presented !== 'string' || presented.length === 0) return { ok: false, status: 401, message: 'Missing token' };
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(secret).digest();
  return timingSafeEqual(a, b) ? GUARD_OK : { ok: false, status: 401, message: 'Wrong token' };
}

/** Host must name the loopback address and our port: a rebound DNS name (evil.test:PORT) is refused. */
export function checkHost(host: string | undefined, port: number): GuardResult {
  const h = (host ?? '').toLowerCase();
  if (h === `127.0.0.1:${port}` || h === `localhost:${port}`) return GUARD_OK;
  return { ok: false, status: 403, message: 'Forbidden host' };
}

/** checkSecret with the stored secret's digest made once: for a server that checks every call. */
export class SecretCheck {
  private readonly digest: Buffer;

  constructor(secret: string) {
    this.digest = createHash('sha256').update(secret).digest();
  }

  matches(presented: string | undefined | null): boolean {
    if (typeof presented !== 'string' || presented.length === 0) return false;
    return timingSafeEqual(createHash('sha256').update(presented).digest(), this.digest);
  }
}
