/**
 * The demo OpenID issuer's users and clients (issue 21). Public on purpose: the README, the issuer's
 * own home page and `tokendesk demo-server` list them.
 */
export const OIDC_DEMO_PASSWORD = 'demo-password';

/** Where the issuer is mounted on the demo server: its URL is `<demo server>/oidc`. */
export const OIDC_MOUNT = '/oidc';

export interface OidcDemoUser {
  /** The subject (`sub`): stable, not the email, as real providers do. */
  sub: string;
  email: string;
  name: string;
  givenName: string;
  familyName: string;
  label: string;
}

export const OIDC_DEMO_USERS: readonly OidcDemoUser[] = [
  { sub: 'a1c3e5f7-0000-4000-8000-00000000a11c', email: 'alice@oidc.test', name: 'Alice Admin', givenName: 'Alice', familyName: 'Admin', label: 'Alice Admin' },
  { sub: 'b0b0b0b0-0000-4000-8000-000000000b0b', email: 'bob@oidc.test', name: 'Bob Builder', givenName: 'Bob', familyName: 'Builder', label: 'Bob Builder' },
];

/** A public native client (RFC 8252): PKCE, a loopback redirect on any port, the device flow, refresh. */
export const OIDC_DEMO_PUBLIC_CLIENT = 'tokendesk-demo';
/** A confidential client for client credentials (RFC 6749 §4.4), authenticated with client_secret_basic. */
export const OIDC_DEMO_MACHINE_CLIENT = 'tokendesk-demo-machine';
export const OIDC_DEMO_MACHINE_SECRET = 'demo-machine-secret-7c2e';

export function findDemoUser(login: string): OidcDemoUser | undefined {
  const l = login.trim().toLowerCase();
  return OIDC_DEMO_USERS.find((u) => u.email === l);
}
