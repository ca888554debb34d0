/**
 * The rules of what TokenDesk stores (config.json, the vault's session entries) that two readers must
 * agree on: the core's zod schemas (config/schema.ts, providers/token-syntax.ts,
 * sessions/session-codec.ts) and the `tokendesk token` fast path (cli/fast-*.ts), which reads the same
 * files without zod to stay within its start-up budget (issue 9). Declared once here, so the two cannot
 * drift: a new version, limit or provider kind changes both.
 *
 * A leaf: no zod, no node built-ins, and from the contract only the kind list (contract/provider-kinds.ts, pure data).
 * The fast path bundles this file; tests/integration/cli-fast-token.test.ts checks the built entry
 * stays free of zod.
 */
import { PROVIDER_KINDS, type ProviderKind } from '../contract/provider-kinds.js';

/**
 * config.json's `version`: the schema accepts this one, an older one is migrated first
 * (config/migrate.ts), a newer file is left untouched.
 */
export const CONFIG_VERSION = 2;
/** The versions the fast path reads as they are: what it reads of them (ids, names, emails) is the same in both. */
export const FAST_READABLE_VERSIONS: readonly number[] = [1, 2];

/** A config file larger than this is not read (config/store.ts, and the fast path before it). */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/** Ids (environments, identities, the CLI default) and environment names: 1..100 characters. */
export const MAX_ID_CHARS = 100;
export const MAX_ENV_NAME_CHARS = 100;
/** An identity's email as stored: 1..320 characters (RFC 5321's 64 + @ + 255). */
export const MAX_EMAIL_CHARS = 320;
/**
 * An identity's subject (config version 2): a user id, or `email:` and an email, so more than
 * MAX_EMAIL_CHARS + 6: every email version 1 accepted migrates (config/migrate.ts).
 */
export const MAX_SUBJECT_CHARS = 400;

/** settings.marginSeconds: an integer 0..3600, 120 when absent. */
export const MAX_MARGIN_SECONDS = 3600;
export const DEFAULT_MARGIN_SECONDS = 120;
/** settings.clipboardClearSeconds: an integer 0..3600 (0 turns it off), 60 when absent. */
export const MAX_CLIPBOARD_CLEAR_SECONDS = 3600;
export const DEFAULT_CLIPBOARD_CLEAR_SECONDS = 60;

/**
 * The kinds an environment in config.json and a session in the vault may name: the whole catalogue,
 * and so every kind the fast path serves (a kind it did not know would turn `token`'s fast path off
 * for every environment of a config holding one).
 */
export const STORED_KINDS = PROVIDER_KINDS;

export function isStoredKind(v: unknown): v is ProviderKind {
  return (STORED_KINDS as readonly unknown[]).includes(v);
}

/** Real tokens are at most a few KiB (a JWT with many claims); anything larger is not a token. */
export const MAX_TOKEN_CHARS = 16 * 1024;

/**
 * RFC 6750 `b64token`: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=". What every
 * stored token must be, since it is pasted into `Authorization: Bearer …` headers
 * (providers/token-syntax.ts says why a value is not one).
 */
export const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

export function isTokenSyntax(v: unknown): v is string {
  return typeof v === 'string' && v.length <= MAX_TOKEN_CHARS && B64TOKEN.test(v);
}
