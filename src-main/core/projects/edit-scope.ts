import type { Environment } from '../config/schema.js';
import type { EnvironmentInput } from '../environments/service.js';
import { TokenDeskError } from '../errors.js';

/**
 * What an edit outside the file may change of a project environment: only what is the user's own, its
 * secret settings (anon key, client secret) and the values of the secret variables the file names. The
 * rest is the file's; changed in config.json it would be undone by the next sync (and a URL put back
 * that way is a move that removes the user's keys), so such an edit is refused, not accepted and lost.
 */
export function fileFieldsIn(env: Pick<Environment, 'secretVariables'>, patch: Partial<EnvironmentInput>): string[] {
  const fields: string[] = [];
  const words: Array<[keyof EnvironmentInput, string]> = [
    ['name', 'name'],
    ['baseUrl', 'URL'],
    ['label', 'label'],
    ['color', 'colour'],
    ['production', 'production flag'],
    ['accountTransport', 'account transport'],
    ['variableNames', 'exported variable names'],
    ['setVariableNames', 'exported variable names'],
    ['variables', 'variables'],
  ];
  for (const [key, word] of words) if (patch[key] !== undefined && !fields.includes(word)) fields.push(word);
  for (const name of Object.keys(patch.settings ?? {})) fields.push(`setting ${name}`);
  const secret = new Set(env.secretVariables ?? []);
  const named = [...Object.keys(patch.setVariables ?? {}), ...Object.keys(patch.secretVariables ?? {})];
  for (const name of named) if (!secret.has(name)) fields.push(`variable ${name}`);
  // Unsetting one takes its name out of the environment, and the names are the file's too.
  for (const name of patch.unsetVariables ?? []) fields.push(`variable ${name}`);
  return fields;
}

/**
 * A project environment's edit with the values of its secret variables sent as secrets whatever they
 * look like: the file says they are secret, so a short value must not turn one into a plain variable.
 */
export function secretVariablesAsSecrets(patch: Partial<EnvironmentInput>): Partial<EnvironmentInput> {
  if (!patch.setVariables) return patch;
  const { setVariables, ...rest } = patch;
  return { ...rest, secretVariables: { ...patch.secretVariables, ...setVariables } };
}

/** Refuses an edit of a project environment's file fields, naming them, the file and `how` to change them. */
export function refuseFileFields(env: Environment, patch: Partial<EnvironmentInput>, how: string): void {
  if (!env.project) return;
  const fields = fileFieldsIn(env, patch);
  if (fields.length === 0) return;
  throw new TokenDeskError(
    'invalid_input',
    `"${env.name}" comes from the project file ${env.project.file}: its ${listed(fields)} ${fields.length === 1 ? 'is' : 'are'} set there. ${how} Nothing was changed`,
  );
}

function listed(items: readonly string[]): string {
  return items.length === 1 ? items[0]! : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]!}`;
}
