import type { FlowAnswers } from '../../contract/flows.js';
import { TokenDeskError } from '../errors.js';
import type { FlowIO } from './types.js';

/**
 * A FlowIO with nobody at the other end: a renewal that re-runs a sign-in method (catalogue renewal
 * `rerun`) with what the user let TokenDesk remember. A question those answers do not cover, or a step
 * that needs the user (a browser, a device code), fails with `needs_user`-like `unsupported`: the
 * session then ends with the usual "sign in again".
 */
export function unattendedIO(answers: FlowAnswers, signal: AbortSignal = new AbortController().signal): FlowIO {
  return {
    signal,
    ask: async (question) => {
      const missing = question.fields.find((f) => f.required && f.kind !== 'checkbox' && !(answers[f.name] ?? '').trim());
      if (missing || question.error) throw new TokenDeskError('unsupported', `Renewing needs ${(missing?.label ?? 'an answer').toLowerCase()} from you: sign in again`);
      return answers;
    },
    show: (notice) => {
      throw new TokenDeskError('unsupported', `Renewing needs you (${notice.title.toLowerCase()}): sign in again`);
    },
    commit: () => !signal.aborted,
  };
}
