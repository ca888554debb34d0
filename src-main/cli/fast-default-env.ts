/**
 * The environment a command without --env (and without an `env use` default) acts on: the only one
 * there is, else the only one where somebody is signed in (an identity with a stored session), like
 * gh choosing the only host you are logged in to. Otherwise none, and the command asks "which
 * environment?" (issue 25). One rule for the full CLI (default-env.ts) and the `token` fast path
 * (fast-config.ts), so both print the same token; no imports, since the fast path loads no zod.
 *
 * `signedInEnvIds` undefined: the sessions are not known (not read yet), so only the first rule applies.
 */
export function guessedEnvironmentId(envIds: readonly string[], signedInEnvIds?: ReadonlySet<string>): string | undefined {
  if (envIds.length === 1) return envIds[0];
  const signedIn = envIds.filter((id) => signedInEnvIds?.has(id));
  return signedIn.length === 1 ? signedIn[0] : undefined;
}

/** Whether knowing who is signed in could change the guess: more than one environment, and somebody to be signed in. */
export function guessNeedsSessions(envIds: readonly string[], identityCount: number): boolean {
  return envIds.length > 1 && identityCount > 0;
}
