import { randomInt, randomUUID } from 'node:crypto';
import { AuthError } from './auth-errors.js';

/** GoTrue `sessions` row (only what the demo needs). */
export interface AuthSession {
  id: string;
  userId: string;
  /** Unix seconds of the sign-in, used for the `amr` timestamp. */
  signedInAt: number;
  /** AMR claims of the session (`mfa_amr_claims`), oldest first; the JWT lists them newest first. */
  amr: Array<{ method: string; timestamp: number }>;
  /** `sessions.aal`: aal2 once a factor was verified in this session. */
  aal: 'aal1' | 'aal2';
  /** `sessions.factor_id` of the factor that raised the session to aal2. */
  factorId?: string;
}

/** GoTrue legacy `refresh_tokens` row: a 12-char token linked to its parent. */
interface RefreshRow {
  seq: number;
  token: string;
  sessionId: string;
  parent: string | null;
  revoked: boolean;
  /** ms; set when the row is created and when it is revoked (the reuse window starts here). */
  updatedAt: number;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `crypto.SecureAlphanumeric(12)`, lower-case as GoTrue's legacy tokens are. */
function legacyToken(): string {
  let s = '';
  for (let i = 0; i < 12; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

export class RefreshStore {
  private readonly sessions = new Map<string, AuthSession>();
  private readonly tokens = new Map<string, RefreshRow>();
  private seq = 0;

  constructor(
    private readonly now: () => number,
    private readonly reuseIntervalMs: number,
    /** Counters for tests: a revoked token presented again, and the session families that died of it. */
    private readonly stats: { refreshReplays: number; familyRevocations: number } = { refreshReplays: 0, familyRevocations: 0 },
  ) {}

  createSession(userId: string, method = 'password'): { session: AuthSession; refreshToken: string } {
    const signedInAt = Math.floor(this.now() / 1000);
    const session: AuthSession = { id: randomUUID(), userId, signedInAt, amr: [{ method, timestamp: signedInAt }], aal: 'aal1' };
    this.sessions.set(session.id, session);
    return { session, refreshToken: this.mint(session.id, null).token };
  }

  getSession(id: string): AuthSession | undefined {
    return this.sessions.get(id);
  }

  /** The session a refresh token belongs to, without using it (for the ban check). */
  peek(token: string): { sessionId: string } | undefined {
    return this.tokens.get(token);
  }

  /**
   * Legacy rotation, spec §5.1 rules 1-4, in GoTrue's order. Returns the refresh token to hand out.
   * Pre-validation of the token format is the caller's job.
   */
  refresh(token: string): { session: AuthSession; refreshToken: string } {
    const row = this.tokens.get(token);
    if (!row) throw new AuthError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
    const session = this.sessions.get(row.sessionId);
    if (!session) throw new AuthError(400, 'session_not_found', 'Invalid Refresh Token: No Valid Session Found');

    if (row.revoked) {
      this.stats.refreshReplays++;
      const active = this.currentlyActive(session.id);
      // Rule 2: idempotent refresh of the active token's parent, with no time limit.
      if (active && active.parent === row.token) return { session, refreshToken: active.token };
      // Rule 4: outside the reuse interval the whole family dies; the session row survives.
      if (this.now() > row.updatedAt + this.reuseIntervalMs) {
        // `RevokeTokenFamily`: UPDATE … SET revoked=true, updated_at=now() WHERE revoked=false. The
        // token active at detection is thereby inside its own reuse window (rule 3) for one interval.
        for (const t of this.tokens.values()) {
          if (t.sessionId === session.id && !t.revoked) {
            t.revoked = true;
            t.updatedAt = this.now();
          }
        }
        this.stats.familyRevocations++;
        throw new AuthError(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used');
      }
      // Rule 3: inside the interval, swap again (a second branch; the active token stays valid).
      // The swap saves the row again and the ORM bumps updated_at, so the window slides: it counts
      // from the last reuse, not from the first use.
      row.updatedAt = this.now();
      return { session, refreshToken: this.mint(session.id, row.token).token };
    }
    // Rule 1: normal swap.
    row.revoked = true;
    row.updatedAt = this.now();
    return { session, refreshToken: this.mint(session.id, row.token).token };
  }

  /**
   * `updateMFASessionAndClaims` for legacy tokens: the AMR claim is added, the session becomes aal2,
   * and the session's latest token is swapped so the aal1 token cannot mint aal2 sessions.
   */
  raiseToAal2(sessionId: string, method: string, factorId: string): { session: AuthSession; refreshToken: string } | undefined {
    const session = this.sessions.get(sessionId);
    if (!session) return undefined;
    const ts = Math.floor(this.now() / 1000);
    session.amr = [...session.amr.filter((c) => c.method !== method), { method, timestamp: ts }];
    session.aal = 'aal2';
    session.factorId = factorId;
    let latest: RefreshRow | undefined;
    for (const t of this.tokens.values()) if (t.sessionId === sessionId && (!latest || t.seq > latest.seq)) latest = t;
    if (latest) {
      latest.revoked = true;
      latest.updatedAt = this.now();
    }
    return { session, refreshToken: this.mint(sessionId, latest?.token ?? null).token };
  }

  /** `InvalidateSessionsWithAALLessThan`: other aal1 sessions of the user end when one reaches aal2. */
  deleteAal1Sessions(userId: string): void {
    for (const s of [...this.sessions.values()]) {
      if (s.userId === userId && s.aal === 'aal1') this.deleteSessions(userId, undefined, s.id);
    }
  }

  /** Logout: deleting a session cascades to its refresh tokens (migration 20220811173540). */
  deleteSessions(userId: string, keep?: string, only?: string): void {
    for (const s of [...this.sessions.values()]) {
      if (s.userId !== userId) continue;
      if (keep !== undefined && s.id === keep) continue;
      if (only !== undefined && s.id !== only) continue;
      this.sessions.delete(s.id);
      for (const [tok, row] of this.tokens) if (row.sessionId === s.id) this.tokens.delete(tok);
    }
  }

  /** `FindCurrentlyActiveRefreshToken`: newest unrevoked token of the session. */
  private currentlyActive(sessionId: string): RefreshRow | undefined {
    let best: RefreshRow | undefined;
    for (const t of this.tokens.values()) {
      if (t.sessionId === sessionId && !t.revoked && (!best || t.seq > best.seq)) best = t;
    }
    return best;
  }

  private mint(sessionId: string, parent: string | null): RefreshRow {
    let token = legacyToken();
    while (this.tokens.has(token)) token = legacyToken();
    const row: RefreshRow = { seq: ++this.seq, token, sessionId, parent, revoked: false, updatedAt: this.now() };
    this.tokens.set(token, row);
    return row;
  }
}
