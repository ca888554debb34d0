import { expect } from 'vitest';
import { TokenDeskError } from '../../src-main/core/errors.js';

/** Awaits a promise that must fail with a TokenDeskError (optionally of `code`) and returns the error. */
export async function rejection(p: Promise<unknown>, code?: string): Promise<TokenDeskError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TokenDeskError);
  if (code !== undefined) expect((e as TokenDeskError).code).toBe(code);
  return e as TokenDeskError;
}
