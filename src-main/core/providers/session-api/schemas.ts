import { z } from 'zod';
import { bearerTokenSchema } from '../token-syntax.js';

/** Session API answers (seed 003, ../shared/seeds/003_87ca82e3d9a95bc1.txt): login and GET /api/auth/session return the same document. */

const id = z.union([z.string().min(1), z.number()]).transform(String);

export const accountSchema = z.looseObject({
  accountName: z.string(),
  accountId: id,
  userBelongsToThisAccount: z.boolean().nullish(),
  usersPrimaryAccount: z.boolean().nullish(),
  internalUser: z.boolean().nullish(),
});
export type SessionAccount = z.output<typeof accountSchema>;

export const profileBodySchema = z.looseObject({
  id,
  email: z.string(),
  primaryAccount: accountSchema.nullish(),
  accounts: z.array(accountSchema),
  flatRolesList: z.array(z.string()),
  flatPermissionsList: z.array(z.string()),
  permissionsFromRoles: z.array(z.string()).nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  name: z.string().nullish(),
});
export type SessionProfileBody = z.output<typeof profileBodySchema>;

export const loginBodySchema = profileBodySchema.extend({
  token: bearerTokenSchema('a session token'),
  expiresAt: z.string().refine((s) => Number.isFinite(Date.parse(s)), { message: 'expected an ISO date' }),
});
export type SessionLoginBody = z.output<typeof loginBodySchema>;
