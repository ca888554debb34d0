import { effectiveMarginMs } from '../sessions/margin.js';

/**
 * kubectl's exec credential plugin answer (client.authentication.k8s.io/v1 ExecCredential,
 * https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins
 * and k8s.io/client-go/pkg/apis/clientauthentication/v1 types.go).
 */
export interface ExecCredential {
  apiVersion: 'client.authentication.k8s.io/v1';
  kind: 'ExecCredential';
  status: { token: string; expirationTimestamp?: string };
}

/** RFC 3339 in UTC, whole seconds (metav1.Time's own encoding). */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * kubectl caches the token until expirationTimestamp and runs the plugin again after it. So the time
 * given is the start of the renewal margin, not the token's end: kubectl asks again when TokenDesk would
 * renew, and no request leaves with a token inside its last minutes. A token already inside the margin
 * (handed out with a warning because it could not be renewed) gets its real end. No expiry: none given,
 * kubectl keeps it until a 401 makes it ask again.
 */
export function execCredential(
  session: { accessToken: string; obtainedAt: number; expiresAt: number; noExpiry?: boolean },
  marginSeconds: number,
  now: number,
): ExecCredential {
  const status: ExecCredential['status'] = { token: session.accessToken };
  if (!session.noExpiry) {
    const renewAt = session.expiresAt - effectiveMarginMs(session.expiresAt - session.obtainedAt, marginSeconds);
    status.expirationTimestamp = rfc3339(renewAt > now ? renewAt : session.expiresAt);
  }
  return { apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status };
}
