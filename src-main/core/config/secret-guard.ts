/**
 * Plain variables are written to config.json, so anything that looks like a credential is kept out
 * of them: by name (api_token, client_secret…) or by value (a JWT).
 */
export const SECRET_LOOKING_NAME = /secret|passw|token|key|jwt|bearer|cookie|session|credential/i;
export const JWT_LIKE = /^eyJ[\w-]+\.[\w-]+\.[\w-]*$/;

export function looksLikeSecret(name: string, value: string): boolean {
  return SECRET_LOOKING_NAME.test(name) || JWT_LIKE.test(value.trim());
}
