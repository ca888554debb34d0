/**
 * What an identity is called wherever it is shown (rows, toasts, messages, the CLI): its email, else
 * its display name, else the user name it signs in with, else its subject (a phone user, a machine client, a token without an email claim).
 * Pure: main, preload and renderer share it.
 */
export function identityLabel(i: { email?: string | undefined; displayName?: string | undefined; loginName?: string | undefined; subject?: string | undefined; id: string }): string {
  return i.email || i.displayName || i.loginName || i.subject || i.id;
}
