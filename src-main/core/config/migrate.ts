/**
 * Brings a configuration written by an older format up to CONFIG_VERSION before it is validated.
 * Pure and total: what it does not recognise it leaves for the schema to refuse with its message.
 *
 * Version 1 → 2 (issue 20): identities are keyed by a stable `subject` — the provider's user id
 * (scoped to the environment), so a phone user, a machine client or a token without an email claim is
 * an identity too, and `email` becomes an optional label. A version 1 identity takes its `userId` as
 * its subject, or, when the server named none, `email:<its email, lower-cased>` (what version 1
 * matched it by).
 */
export function migrateConfig(json: unknown): unknown {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return json;
  const cfg = json as Record<string, unknown>;
  if (cfg.version !== 1) return json;
  const identities = Array.isArray(cfg.identities)
    ? cfg.identities.map((i: unknown) => {
        if (typeof i !== 'object' || i === null || Array.isArray(i)) return i;
        const identity = i as Record<string, unknown>;
        if (typeof identity.subject === 'string') return identity;
        const userId = typeof identity.userId === 'string' ? identity.userId.trim() : '';
        const email = typeof identity.email === 'string' ? identity.email.trim().toLowerCase() : '';
        const subject = userId || (email ? emailSubject(email) : undefined);
        return subject ? { ...identity, subject } : identity;
      })
    : cfg.identities;
  return { ...cfg, version: 2, identities };
}

/** The subject of an identity whose server names no user id: its email, which then never changes. */
export function emailSubject(email: string): string {
  return `email:${email.trim().toLowerCase()}`;
}
