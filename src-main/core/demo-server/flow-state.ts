import { createHash, randomUUID } from 'node:crypto';
import { AuthError } from './auth-errors.js';

/** One `flow_state` row: a PKCE sign-in waiting for its code to be exchanged. */
export interface FlowState {
  id: string;
  authCode: string;
  /** 's256' or 'plain', as GoTrue stores it. */
  codeChallengeMethod: 's256' | 'plain';
  codeChallenge: string;
  /** github, google, …, or `magiclink` / `email` for emailed links. */
  providerType: string;
  /** The AMR method of the session the exchange creates (oauth, magiclink, email/signup, otp). */
  authMethod: string;
  userId?: string;
  /** Where the browser goes once the flow is done (already checked against the allow list). */
  referrer: string;
  createdAt: number;
  authCodeIssuedAt?: number;
}

const CHALLENGE_RE = /^[a-zA-Z._~0-9-]+$/;

/** `validatePKCEParams`: both or neither, and a challenge of RFC 7636's shape. */
export function validatePkceParams(method: string, challenge: string): void {
  if ((challenge === '') !== (method === '')) {
    throw new AuthError(400, 'validation_failed', 'PKCE flow requires code_challenge_method and code_challenge');
  }
  if (challenge === '') return;
  if (challenge.length < 43 || challenge.length > 128) {
    throw new AuthError(400, 'validation_failed', 'code challenge has to be between 43 and 128 characters');
  }
  if (!CHALLENGE_RE.test(challenge)) {
    throw new AuthError(400, 'validation_failed', 'code challenge can only contain alphanumeric characters, hyphens, periods, underscores and tildes');
  }
}

/** `ParseCodeChallengeMethod`. */
export function parseChallengeMethod(method: string): 's256' | 'plain' | undefined {
  const m = method.toLowerCase();
  return m === 's256' || m === 'plain' ? m : undefined;
}

export class FlowStore {
  private readonly flows = new Map<string, FlowState>();

  constructor(
    private readonly now: () => number,
    private readonly expiryMs: () => number,
  ) {}

  create(f: Omit<FlowState, 'id' | 'authCode' | 'createdAt'>): FlowState {
    const flow: FlowState = { ...f, id: randomUUID(), authCode: randomUUID(), createdAt: this.now() };
    this.flows.set(flow.id, flow);
    return flow;
  }

  byId(id: string): FlowState | undefined {
    return this.flows.get(id);
  }

  /** `FindFlowStateByUserID`: the newest flow of the user for that method (emailed links). */
  latestForUser(userId: string, authMethod: string): FlowState | undefined {
    let best: FlowState | undefined;
    for (const f of this.flows.values()) {
      if (f.userId === userId && f.authMethod === authMethod && (!best || f.createdAt >= best.createdAt)) best = f;
    }
    return best;
  }

  /**
   * POST /token?grant_type=pkce (token.go `PKCE`), in source order: non-empty params, a flow with
   * a user, not expired, verifier matching. The flow is destroyed by a successful exchange only.
   */
  exchange(authCode: string, verifier: string): FlowState & { userId: string } {
    if (authCode === '' || verifier === '') {
      throw new AuthError(400, 'validation_failed', 'invalid request: both auth code and code verifier should be non-empty');
    }
    const flow = [...this.flows.values()].find((f) => f.authCode === authCode);
    if (!flow || flow.userId === undefined) {
      throw new AuthError(404, 'flow_state_not_found', 'invalid flow state, no valid flow state found');
    }
    // `IsExpired`: magic links count from when the code was issued, everything else from creation.
    const from = flow.authCodeIssuedAt !== undefined && flow.authMethod === 'magiclink' ? flow.authCodeIssuedAt : flow.createdAt;
    if (this.now() > from + this.expiryMs()) {
      throw new AuthError(422, 'flow_state_expired', 'invalid flow state, flow state has expired');
    }
    const computed =
      flow.codeChallengeMethod === 's256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
    if (computed !== flow.codeChallenge) {
      throw new AuthError(400, 'bad_code_verifier', 'code challenge does not match previously saved code verifier');
    }
    return flow as FlowState & { userId: string };
  }

  delete(id: string): void {
    this.flows.delete(id);
  }
}
