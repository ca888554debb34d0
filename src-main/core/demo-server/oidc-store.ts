/**
 * The demo issuer's storage: oidc-provider's adapter interface over plain Maps, one store per issuer
 * (so two demo servers in one process never share a token). Its own rather than oidc-provider's
 * built-in memory adapter for one thing that one cannot do: end every grant of a user at once, which
 * is what the issuer's home page offers ("end Alice's sessions") to show a dead refresh token.
 */
type Payload = Record<string, unknown>;

interface Entry {
  payload: Payload;
  /** Epoch ms; undefined: no expiry. */
  expiresAt: number | undefined;
}

export interface DemoAdapter {
  upsert(id: string, payload: Payload, expiresIn?: number): Promise<void>;
  find(id: string): Promise<Payload | undefined>;
  findByUserCode(userCode: string): Promise<Payload | undefined>;
  findByUid(uid: string): Promise<Payload | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

export class DemoIssuerStore {
  private readonly models = new Map<string, Map<string, Entry>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The adapter class oidc-provider instantiates once per model name (AccessToken, Grant, Session…). */
  adapter(): new (name: string) => DemoAdapter {
    const model = (name: string) => this.model(name);
    const live = (entries: Map<string, Entry>, id: string) => this.live(entries, id);
    const findWhere = (entries: Map<string, Entry>, match: (p: Payload) => boolean) => this.findWhere(entries, match);
    const removeWhere = (match: (p: Payload) => boolean) => this.removeWhere(match);
    const now = this.now;
    return class implements DemoAdapter {
      private readonly entries: Map<string, Entry>;
      constructor(name: string) {
        this.entries = model(name);
      }
      async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
        this.entries.set(id, { payload, expiresAt: expiresIn ? now() + expiresIn * 1000 : undefined });
      }
      async find(id: string): Promise<Payload | undefined> {
        return live(this.entries, id);
      }
      async findByUserCode(userCode: string): Promise<Payload | undefined> {
        return findWhere(this.entries, (p) => p.userCode === userCode);
      }
      async findByUid(uid: string): Promise<Payload | undefined> {
        return findWhere(this.entries, (p) => p.uid === uid);
      }
      async consume(id: string): Promise<void> {
        const e = this.entries.get(id);
        if (e) e.payload = { ...e.payload, consumed: Math.floor(now() / 1000) };
      }
      async destroy(id: string): Promise<void> {
        this.entries.delete(id);
      }
      async revokeByGrantId(grantId: string): Promise<void> {
        removeWhere((p) => p.grantId === grantId);
      }
    };
  }

  /**
   * Ends everything a user was given: their grants and every token and session issued under them.
   * The next refresh is refused with invalid_grant, as a provider's "sign out everywhere" does.
   * Returns how many refresh tokens still usable were ended.
   */
  endUserSessions(accountId: string): number {
    const usable = (e: Entry) => e.payload.accountId === accountId && !e.payload.consumed && (e.expiresAt === undefined || e.expiresAt > this.now());
    const refresh = [...(this.models.get('RefreshToken')?.values() ?? [])].filter(usable).length;
    this.removeWhere((p) => p.accountId === accountId);
    return refresh;
  }

  private model(name: string): Map<string, Entry> {
    let m = this.models.get(name);
    if (!m) this.models.set(name, (m = new Map()));
    return m;
  }

  private live(entries: Map<string, Entry>, id: string): Payload | undefined {
    const e = entries.get(id);
    if (!e) return undefined;
    if (e.expiresAt !== undefined && e.expiresAt <= this.now()) {
      entries.delete(id);
      return undefined;
    }
    return e.payload;
  }

  private findWhere(entries: Map<string, Entry>, match: (p: Payload) => boolean): Payload | undefined {
    for (const [id, e] of entries) if (match(e.payload)) return this.live(entries, id);
    return undefined;
  }

  private removeWhere(match: (p: Payload) => boolean): void {
    for (const m of this.models.values()) for (const [id, e] of m) if (match(e.payload)) m.delete(id);
  }
}
