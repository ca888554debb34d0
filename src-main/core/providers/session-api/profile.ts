import type { Account, Profile } from '../types.js';
import type { SessionAccount, SessionProfileBody } from './schemas.js';

function toAccount(a: SessionAccount, primaryId: string | undefined): Account {
  const account: Account = {
    id: a.accountId,
    name: a.accountName,
    primary: a.usersPrimaryAccount ?? (primaryId !== undefined && a.accountId === primaryId),
  };
  if (typeof a.internalUser === 'boolean') account.internalUser = a.internalUser;
  return account;
}

export function profileFromSessionBody(body: SessionProfileBody): Profile {
  const primaryId = body.primaryAccount?.accountId ?? body.accounts.find((a) => a.usersPrimaryAccount)?.accountId;
  const profile: Profile = {
    userId: body.id,
    email: body.email,
    accounts: body.accounts.map((a) => toAccount(a, primaryId)),
    roles: [...body.flatRolesList],
    permissions: [...body.flatPermissionsList],
    permissionsFromRoles: [...(body.permissionsFromRoles ?? [])],
  };
  if (primaryId !== undefined) profile.primaryAccountId = primaryId;
  const displayName = body.name?.trim() || [body.firstName, body.lastName].filter((s) => s?.trim()).join(' ').trim();
  if (displayName) profile.displayName = displayName;
  return profile;
}
