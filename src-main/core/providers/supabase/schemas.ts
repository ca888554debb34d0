import { z } from 'zod';

/** The parts of the GoTrue User object (docs/supabase-auth-api.md §2.3) TokenDesk relies on. */
export const userSchema = z.looseObject({
  id: z.string().min(1),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  role: z.string().nullish(),
  aud: z.string().nullish(),
  user_metadata: z.record(z.string(), z.unknown()).nullish(),
  app_metadata: z.record(z.string(), z.unknown()).nullish(),
  email_confirmed_at: z.string().nullish(),
});
export type SupabaseUser = z.output<typeof userSchema>;

/** AccessTokenResponse of /token and /signup (§1.2). `expires_at` is ignored: we use the local clock. */
export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().regex(/^bearer$/i, { message: 'expected "bearer"' }),
  expires_in: z.number().positive(),
  refresh_token: z.string().min(1),
  user: userSchema,
});
export type TokenResponse = z.output<typeof tokenResponseSchema>;
