import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { AuthError } from './auth-errors.js';
import { nowIso, parseBody, requireUser, weakPassword, type JsonReply, type SupabaseContext } from './supabase-auth.js';
import { userJson } from './users.js';

const updateBody = z.object({
  email: z.string().nullish(),
  phone: z.string().nullish(),
  password: z.string().nullish(),
  data: z.record(z.string(), z.unknown()).nullish(),
  app_metadata: z.record(z.string(), z.unknown()).nullish(),
});

/**
 * PUT /user (user.go `UserUpdate`), the parts the demo plays: password strength, app_metadata
 * refused, an MFA user at aal1 refused (401 insufficient_aal), the same password refused, then the
 * password and the `data` merge (null deletes a key). Email and phone changes are not played.
 */
export async function updateUser(ctx: SupabaseContext, req: IncomingMessage): Promise<JsonReply> {
  const { user, sessionId } = requireUser(ctx, req);
  const p = await parseBody(req, updateBody);
  const password = p.password ?? '';
  if (password !== '') {
    const weak = weakPassword(ctx, password);
    if (weak) throw new AuthError(422, 'weak_password', weak.message, { weak_password: { reasons: weak.reasons } });
  }
  if (p.app_metadata) throw new AuthError(403, 'not_admin', 'Updating app_metadata requires admin privileges');
  const email = p.email ?? '';
  const phone = p.phone ?? '';
  const session = sessionId ? ctx.store.getSession(sessionId) : undefined;
  const mfa = user.factors.some((f) => f.status === 'verified');
  if (mfa && session?.aal !== 'aal2' && (password !== '' || (email !== '' && email !== user.email) || (phone !== '' && phone !== user.phone))) {
    throw new AuthError(401, 'insufficient_aal', 'AAL2 session is required to update email or password when MFA is enabled.');
  }
  if ((email !== '' && email !== user.email) || (phone !== '' && phone !== user.phone)) {
    throw new AuthError(422, 'validation_failed', 'The demo server does not change email addresses or phone numbers');
  }
  if (password !== '' && password === user.password) {
    throw new AuthError(422, 'same_password', 'New password should be different from the old password.');
  }
  if (password !== '') user.password = password;
  if (p.data) {
    const merged: Record<string, unknown> = { ...user.userMetadata };
    for (const [k, v] of Object.entries(p.data)) {
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    user.userMetadata = merged;
  }
  user.updatedAt = nowIso(ctx);
  return { status: 200, body: userJson(user) };
}
