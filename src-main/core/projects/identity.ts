import { createHash } from 'node:crypto';

/**
 * The id of a project file's environment in config.json and in the vault's keys (`env/<id>/…`,
 * identities under it): derived from the file's real path and the environment's name, so
 * - the same file read again (another command, another day, a `git pull`) finds the same secrets and sessions;
 * - an own environment named like it, or another repository's file naming the same environment, never
 *   shares them: a file a repository plants cannot reach the secrets of an environment it does not own.
 * `p-` keeps it apart from the random UUIDs of own environments; hex keeps it a valid lock-file name.
 */
export function projectEnvironmentId(file: string, name: string): string {
  const digest = createHash('sha256').update(`tokendesk project environment\n${file}\n${name.trim().toLowerCase()}`).digest('hex');
  return `p-${digest.slice(0, 32)}`;
}

export function isProjectEnvironmentId(id: string): boolean {
  return /^p-[0-9a-f]{32}$/.test(id);
}
