import { z } from 'zod';
import { bearerTokenSchema } from '../token-syntax.js';

/** The parts of the GoTrue User object (../shared/docs/supabase-auth-api.md §2.3) TokenDesk relies on. */
export const userSchema = z.looseObject({
  id: z.string().min(1),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  role: z.string().nullish(),
  aud: z.string().nullish(),
  user_metadata: z.record(z.string(), z.unknown()).nullish(),
  app_metadata: z.record(z.string(), z.unknown()).nullish(),
  email_confirmed_at: z.string().nullish(),
  // The user's MFA factors (GoTrue loads them with the user): a verified TOTP one means a second step.
  factors: z
    .array(z.looseObject({ id: z.string().min(1).max(200), factor_type: z.string().nullish(), status: z.string().nullish(), friendly_name: z.string().nullish() }))
    .max(50)
    .nullish()
    .catch(undefined),
});
export type SupabaseUser = z.output<typeof userSchema>;

/** AccessTokenResponse of /token and /signup (§1.2). `expires_at` is ignored: we use the local clock. */
export const tokenResponseSchema = z.looseObject({
  access_token: bearerTokenSchema('an access token'),
  token_type: z.string().regex(/^bearer$/i, { message: 'expected "bearer"' }),
  // JSON.parse reads 1e309 as Infinity, which zod refuses as a number: make it the largest finite
  // number so it is clamped like any other absurdly long lifetime (lifetime.ts), not refused.
  expires_in: z.preprocess((v) => (v === Infinity ? Number.MAX_VALUE : v), z.number().positive()),
  refresh_token: bearerTokenSchema('a refresh token'),
  user: userSchema,
  // A correct password that fails the project's current policy (§1.2): a note for the user, not a refusal.
  weak_password: z.looseObject({ message: z.string().max(1000).nullish(), reasons: z.array(z.string().max(100)).max(10).nullish() }).nullish().catch(undefined),
});

/** POST /factors/{id}/challenge for TOTP: the challenge's id (and when it lapses). */
export const challengeSchema = z.looseObject({ id: z.string().min(1).max(200) });
export type TokenResponse = z.output<typeof tokenResponseSchema>;
