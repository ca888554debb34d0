import type { ApiResult } from '../contract/api.js';
import { isTokenDeskError } from '../core/errors.js';

/** The message for anything that is not a TokenDeskError: foreign error text may hold a secret. */
export const GENERIC_ERROR_MESSAGE = 'Something went wrong inside TokenDesk. Try again; if it keeps happening, restart the app.';

/** Turns a thrown value into the error half of an ApiResult, never copying foreign text. */
export function errorEnvelope(e: unknown): Extract<ApiResult<never>, { ok: false }> {
  if (isTokenDeskError(e)) return { ok: false, error: { code: e.code, message: e.message } };
  return { ok: false, error: { code: 'internal', message: GENERIC_ERROR_MESSAGE } };
}

export function failure(code: string, message: string): Extract<ApiResult<never>, { ok: false }> {
  return { ok: false, error: { code, message } };
}
