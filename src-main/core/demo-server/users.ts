/**
 * Demo identities for both seed APIs. Everything here is public on purpose: the README lists it,
 * and each server instance works on its own copy so tests never see each other's signups.
 */

/** HS256 JWT {iss:"supabase",ref:"tokendesk-demo",role:"anon",iat:1735689600,exp:2051222400}, signed with DEMO_JWT_SECRET. */
export const DEMO_ANON_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6InRva2VuZGVzay1kZW1vIiwicm9sZSI6ImFub24iLCJpYXQiOjE3MzU2ODk2MDAsImV4cCI6MjA1MTIyMjQwMH0.SM_Fm3lMg_Y12t33pvW-71zhDugiL83tglZtvkdrk88';
/** The seed's `X-API-Key` (cg_…) for the external functions endpoints. */
export const DEMO_API_KEY = 'cg_demo_4f1c9a7e2b8d6035e1a94c7b';
export const DEMO_ORGANIZATION_ID = '40e9bb4c-3b1c-4e5b-8c7d-2f5a9b8e1c3d';

export const SUPABASE_DEMO_PASSWORD = 'demo-password';
export const SESSION_DEMO_PASSWORD = 'stringstring';
/** The demo MFA user's TOTP secret (base32, SHA-1, 6 digits, 30 s): public, listed in the README. */
export const DEMO_TOTP_SECRET = 'TOKENDESKDEMOMFATOTPSECRET234567';
/** The demo phone user's number as GoTrue stores it (E.164 without the '+'). */
export const DEMO_PHONE = '15550100001';
/** A password that predates the current policy: sign-in succeeds with a weak_password warning. */
export const DEMO_WEAK_PASSWORD = 'demo';

const SEED_TIME = '2025-01-17T10:30:00Z';

/** One `identities` row. */
export interface DemoIdentity {
  provider: string;
  /** The provider's id for the user (`identities.provider_id`). */
  providerId: string;
  data: Record<string, unknown>;
  createdAt: string;
}

/** One `mfa_factors` row. */
export interface DemoFactor {
  id: string;
  factorType: 'totp';
  status: 'verified' | 'unverified';
  friendlyName: string;
  secret: string;
  createdAt: string;
  updatedAt: string;
  lastChallengedAt?: string;
}

export interface SupabaseUser {
  id: string;
  email: string;
  /** E.164 without '+', '' when none. */
  phone: string;
  password: string;
  label: string;
  emailConfirmedAt?: string;
  phoneConfirmedAt?: string;
  confirmationSentAt?: string;
  /** `confirmation_token`: hash of the emailed or texted sign-up code ('pkce_' prefixed for PKCE). */
  confirmationToken?: string;
  recoverySentAt?: string;
  /** `recovery_token`: hash of the magic-link / email sign-in code. */
  recoveryToken?: string;
  bannedUntil?: string;
  lastSignInAt?: string;
  userMetadata: Record<string, unknown>;
  appMetadata: Record<string, unknown>;
  identities: DemoIdentity[];
  factors: DemoFactor[];
  createdAt: string;
  updatedAt: string;
  /** The profiles row served by /rest/v1/profiles. */
  profileRole: string;
}

function seedUser(id: string, email: string, first: string, last: string, role: string, extra: Partial<SupabaseUser> = {}): SupabaseUser {
  const userMetadata = { first_name: first, last_name: last, full_name: `${first} ${last}` };
  return {
    id,
    email,
    phone: '',
    password: SUPABASE_DEMO_PASSWORD,
    label: `${first} ${last} (${role})`,
    emailConfirmedAt: SEED_TIME,
    userMetadata,
    appMetadata: { provider: 'email', providers: ['email'], organization_id: DEMO_ORGANIZATION_ID },
    identities: [{ provider: 'email', providerId: id, data: { email, sub: id, ...userMetadata }, createdAt: SEED_TIME }],
    factors: [],
    createdAt: SEED_TIME,
    updatedAt: SEED_TIME,
    profileRole: role,
    ...extra,
  };
}

export function seedSupabaseUsers(): SupabaseUser[] {
  const phoneId = '0b3a1f52-6c1e-4d8a-9f2b-1a2b3c4d5e06';
  return [
    seedUser('0b3a1f52-6c1e-4d8a-9f2b-1a2b3c4d5e01', 'owner@connectgain.test', 'Olive', 'Owner', 'owner'),
    seedUser('0b3a1f52-6c1e-4d8a-9f2b-1a2b3c4d5e02', 'agent@connectgain.test', 'Andy', 'Agent', 'agent'),
    seedUser('0b3a1f52-6c1e-4d8a-9f2b-1a2b3c4d5e03', 'unconfirmed@connectgain.test', 'Una', 'Unconfirmed', 'agent', {
      emailConfirmedAt: undefined,
      confirmationSentAt: SEED_TIME,
    }),
    seedUser('0b3a1f52-6c1e-4d8a-9f2b-1a2b3c4d5e04', 'banned@connectgain.test', 'Ben', 'Banned', 'agent', {
      bannedUntil: '2999-01-01T00:00:00Z',
    }),
    seedUser('0b3a1f52-6c1e-4d8a-9f2b-1a2b3c4d5e05', 'mfa@connectgain.test', 'Mia', 'Factor', 'owner', {
      label: 'Mia Factor (owner, TOTP second factor)',
      factors: [
        {
          id: '5f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
          factorType: 'totp',
          status: 'verified',
          friendlyName: 'Demo authenticator',
          secret: DEMO_TOTP_SECRET,
          createdAt: SEED_TIME,
          updatedAt: SEED_TIME,
        },
      ],
    }),
    seedUser(phoneId, '', 'Phil', 'Phone', 'agent', {
      label: 'Phil Phone (agent, signs in by phone)',
      phone: DEMO_PHONE,
      emailConfirmedAt: undefined,
      phoneConfirmedAt: SEED_TIME,
      appMetadata: { provider: 'phone', providers: ['phone'], organization_id: DEMO_ORGANIZATION_ID },
      identities: [
        {
          provider: 'phone',
          providerId: phoneId,
          data: { sub: phoneId, phone: DEMO_PHONE, email_verified: false, phone_verified: true },
          createdAt: SEED_TIME,
        },
      ],
    }),
    seedUser('0b3a1f52-6c1e-4d8a-9f2b-1a2b3c4d5e07', 'weak@connectgain.test', 'Wes', 'Weak', 'agent', {
      label: 'Wes Weak (agent, password below the policy)',
      password: DEMO_WEAK_PASSWORD,
    }),
  ];
}

/** GoTrue's `Factor` JSON. */
function factorJson(f: DemoFactor): Record<string, unknown> {
  return {
    id: f.id,
    created_at: f.createdAt,
    updated_at: f.updatedAt,
    status: f.status,
    friendly_name: f.friendlyName,
    factor_type: f.factorType,
    phone: '',
    last_challenged_at: f.lastChallengedAt ?? null,
  };
}

/** The GoTrue User object (§2.3): optional timestamps are omitted, not null. */
export function userJson(u: SupabaseUser): Record<string, unknown> {
  const identities = u.identities.map((i) => ({
    identity_id: uuidFrom(u.id, i.provider),
    id: i.providerId,
    user_id: u.id,
    identity_data: {
      ...i.data,
      ...(i.provider === 'email' ? { email_verified: u.emailConfirmedAt !== undefined, phone_verified: false } : {}),
    },
    provider: i.provider,
    last_sign_in_at: u.lastSignInAt ?? i.createdAt,
    created_at: i.createdAt,
    updated_at: u.updatedAt,
    email: typeof i.data.email === 'string' ? i.data.email : '',
  }));
  const confirmedAt = u.emailConfirmedAt ?? u.phoneConfirmedAt;
  return {
    id: u.id,
    aud: 'authenticated',
    role: 'authenticated',
    email: u.email,
    ...(u.emailConfirmedAt ? { email_confirmed_at: u.emailConfirmedAt } : {}),
    phone: u.phone,
    ...(u.phoneConfirmedAt ? { phone_confirmed_at: u.phoneConfirmedAt } : {}),
    ...(u.confirmationSentAt ? { confirmation_sent_at: u.confirmationSentAt } : {}),
    ...(confirmedAt ? { confirmed_at: confirmedAt } : {}),
    ...(u.recoverySentAt ? { recovery_sent_at: u.recoverySentAt } : {}),
    ...(u.lastSignInAt ? { last_sign_in_at: u.lastSignInAt } : {}),
    app_metadata: u.appMetadata,
    user_metadata: u.userMetadata,
    identities,
    ...(u.factors.length > 0 ? { factors: u.factors.map(factorJson) } : {}),
    created_at: u.createdAt,
    updated_at: u.updatedAt,
    ...(u.bannedUntil ? { banned_until: u.bannedUntil } : {}),
    is_anonymous: false,
  };
}

/** A stable uuid-shaped id derived from another and a tag (identity ids only need to look right). */
function uuidFrom(id: string, tag: string): string {
  const hex = Buffer.from(tag).toString('hex').padEnd(8, '0').slice(0, 8);
  return `${hex}${id.slice(8)}`;
}

// ---------------------------------------------------------------- session API (seed 003)

export interface SessionAccount {
  accountName: string;
  accountId: string;
  internalUser: boolean;
}

export interface SessionUser {
  id: number;
  email: string;
  password: string;
  label: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
  /** The first account is the primary one. */
  accounts: SessionAccount[];
  roles: string[];
  permissionsFromRoles: string[];
  flatPermissionsList: string[];
}

export function seedSessionUsers(): SessionUser[] {
  const manyPerms = Array.from({ length: 5000 }, (_, i) => `benchPermission${String(i + 1).padStart(4, '0')}`);
  manyPerms[0] = 'readApplications';
  return [
    {
      id: 1,
      email: 'test@test.com',
      password: SESSION_DEMO_PASSWORD,
      label: 'Super admin',
      active: true,
      createdAt: '2024-05-19 19:12:50.576',
      updatedAt: '2024-05-19 19:12:50.575',
      accounts: [{ accountName: 'Account 1', accountId: '2311', internalUser: true }],
      roles: ['superAdmin'],
      permissionsFromRoles: ['readApplications', 'writeApplications'],
      flatPermissionsList: ['readApplications', 'writeApplications', 'miscPermission', 'anotherPermission'],
    },
    {
      id: 2,
      email: 'restricted@test.com',
      password: SESSION_DEMO_PASSWORD,
      label: 'Restricted viewer (two accounts)',
      active: true,
      createdAt: '2024-05-20 09:00:00.000',
      updatedAt: '2024-05-20 09:00:00.000',
      accounts: [
        { accountName: 'Acme Corp', accountId: '4100', internalUser: false },
        { accountName: 'Globex', accountId: '4200', internalUser: false },
      ],
      roles: ['viewer'],
      permissionsFromRoles: ['readApplications'],
      flatPermissionsList: ['readApplications', 'exportReports'],
    },
    {
      id: 3,
      email: 'many@test.com',
      password: SESSION_DEMO_PASSWORD,
      label: '5,000 permissions (benchmarks)',
      active: true,
      createdAt: '2024-05-21 12:00:00.000',
      updatedAt: '2024-05-21 12:00:00.000',
      accounts: [{ accountName: 'Bench Account', accountId: '9000', internalUser: true }],
      roles: ['benchmark'],
      permissionsFromRoles: manyPerms.slice(0, 2500),
      flatPermissionsList: manyPerms,
    },
    {
      id: 4,
      email: 'nopermissions@test.com',
      password: SESSION_DEMO_PASSWORD,
      label: 'No permissions (sees the 403s)',
      active: true,
      createdAt: '2024-05-22 08:00:00.000',
      updatedAt: '2024-05-22 08:00:00.000',
      accounts: [{ accountName: 'Account 1', accountId: '2311', internalUser: false }],
      roles: ['guest'],
      permissionsFromRoles: [],
      flatPermissionsList: [],
    },
  ];
}

/** The seed's profile object, keys in the seed's order (token/expiresAt are appended by the caller). */
export function sessionProfileJson(u: SessionUser): Record<string, unknown> {
  const account = (a: SessionAccount, primary: boolean): Record<string, unknown> => ({
    accountName: a.accountName,
    accountId: a.accountId,
    userBelongsToThisAccount: true,
    usersPrimaryAccount: primary,
    internalUser: a.internalUser,
  });
  const primary = u.accounts[0];
  return {
    id: u.id,
    email: u.email,
    active: u.active,
    createdBy: 'seed',
    updatedBy: 'seed',
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
    primaryAccount: primary ? account(primary, true) : null,
    accounts: u.accounts.map((a, i) => account(a, i === 0)),
    flatRolesList: u.roles,
    flatPermissionsList: u.flatPermissionsList,
    permissionsFromRoles: u.permissionsFromRoles,
  };
}
