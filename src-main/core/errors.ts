/**
 * Typed errors with a user-facing message. Every failure that reaches a user (UI, CLI, IPC) is a
 * TokenDeskError; its `message` never contains a secret, so it can be shown and logged as is.
 */
export type ErrorCode =
  // configuration
  | 'config_invalid'
  | 'config_unreadable'
  | 'config_locked'
  | 'config_unwritable'
  | 'not_found'
  | 'already_exists'
  | 'invalid_input'
  /** A change that needs the user's explicit yes (a production environment moved to another server). */
  | 'confirmation_required'
  /** An edit of a file without the revision it was made on (a project file synced by an older TokenDesk): not written. */
  | 'revision_missing'
  /** The environment moved to another server (or went) while a sign-in was talking to the old one. */
  | 'environment_changed'
  /** A file changed on disk since the window read it (a project file after a `git pull`): not overwritten. */
  | 'file_changed'
  /** A file other than the configuration (a project file, an output file, the links list) could not be written: the old one kept. */
  | 'file_unwritable'
  // keychain
  | 'keychain_unavailable'
  | 'keychain_locked'
  | 'keychain_error'
  | 'vault_unreadable'
  | 'vault_key_missing'
  /** The vault is an older copy put back (its generation is below the keychain's): start over, never use it. */
  | 'vault_rolled_back'
  /** The file secret store (TOKENDESK_SECRET_STORE=file): the passphrase does not open the key file. */
  | 'passphrase_wrong'
  /** The file secret store needs its passphrase and nothing can give it (no TOKENDESK_PASSPHRASE_FILE, no terminal). */
  | 'passphrase_missing'
  /** The vault's key is in the other store than the one chosen (TOKENDESK_SECRET_STORE / the setting): not lost, never start-over. */
  | 'secret_store_mismatch'
  // network
  | 'network_dns'
  | 'network_refused'
  | 'network_timeout'
  | 'network_tls'
  | 'network_error'
  | 'response_too_large'
  | 'redirect_refused'
  | 'bad_response'
  | 'server_error'
  | 'rate_limited'
  // auth
  | 'invalid_credentials'
  | 'email_not_confirmed'
  | 'gateway_rejected'
  | 'user_banned'
  | 'weak_password'
  | 'signup_disabled'
  | 'user_already_exists'
  | 'session_expired'
  | 'refresh_rejected'
  | 'not_signed_in'
  | 'auth_error'
  | 'unsupported'
  /** A sign-in flow the user cancelled (nothing stored). */
  | 'flow_cancelled'
  /** A sign-in flow that passed its deadline (nothing stored). */
  | 'flow_timed_out'
  /** An answer to a flow that is not waiting for one, or to a flow that is gone. */
  | 'flow_not_found'
  /** A second wait for the next step of a flow that one caller already waits on. */
  | 'flow_busy'
  /** A fixed loopback port a sign-in must listen on is taken by another program. */
  | 'port_in_use';

export interface TokenDeskErrorJSON {
  code: ErrorCode;
  message: string;
  /** Server-side code (e.g. GoTrue `error_code`), when there was one. */
  serverCode?: string;
  status?: number;
  retryable?: boolean;
}

export class TokenDeskError extends Error {
  readonly code: ErrorCode;
  readonly serverCode: string | undefined;
  readonly status: number | undefined;
  /** True for failures worth retrying (network, timeouts, 5xx, 429): the session is kept. */
  readonly retryable: boolean;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { serverCode?: string; status?: number; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'TokenDeskError';
    this.code = code;
    this.serverCode = opts.serverCode;
    this.status = opts.status;
    this.retryable = opts.retryable ?? false;
  }

  toJSON(): TokenDeskErrorJSON {
    const out: TokenDeskErrorJSON = { code: this.code, message: this.message };
    if (this.serverCode !== undefined) out.serverCode = this.serverCode;
    if (this.status !== undefined) out.status = this.status;
    if (this.retryable) out.retryable = true;
    return out;
  }
}

export function isTokenDeskError(e: unknown): e is TokenDeskError {
  return e instanceof TokenDeskError;
}
