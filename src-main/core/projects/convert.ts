import { EnvironmentSchema, type Environment } from '../config/schema.js';
import { checkBaseUrl } from '../../contract/validators.js';
import { describeIssue } from '../../contract/issues.js';
import { variableNameProblem } from '../environments/variables.js';
import { projectEnvironmentId } from './identity.js';
import { PROJECT_FILE_VERSION, type ProjectEnvironment, type ProjectFile } from './schema.js';

/**
 * A project file's environment as config.json keeps it (projects/sync.ts writes it there): the file is
 * the source of every field it holds; `createdAt` is kept from the record already stored. Checked by
 * the config's own schema, so a project environment is held to every rule an own one is
 * (a secret setting, a value that looks like a credential, a setting its kind does not declare).
 */
export function toEnvironmentRecord(file: string, pe: ProjectEnvironment, createdAt: number): { ok: true; env: Environment } | { ok: false; problem: string } {
  const url = checkBaseUrl(pe.url, pe.provider, pe.settings ?? {});
  if (!url.ok) return { ok: false, problem: `url: ${url.message}` };
  const names = [...Object.keys(pe.variables ?? {}), ...(pe.secretVariables ?? [])];
  for (const n of names) {
    const why = variableNameProblem(n);
    if (why) return { ok: false, problem: `variable ${JSON.stringify(n)}: ${why}` };
  }
  const parsed = EnvironmentSchema.safeParse({
    id: projectEnvironmentId(file, pe.name),
    name: pe.name.trim(),
    provider: pe.provider,
    baseUrl: url.value,
    ...(pe.label !== undefined && { label: pe.label }),
    ...(pe.color !== undefined && { color: pe.color }),
    production: pe.production ?? false,
    variables: pe.variables ?? {},
    ...(pe.secretVariables?.length && { secretVariables: pe.secretVariables }),
    variableNames: pe.variableNames ?? {},
    ...(pe.accountTransport && pe.accountTransport.kind !== 'none' && { accountTransport: pe.accountTransport }),
    settings: pe.settings ?? {},
    project: { file },
    createdAt,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, problem: issue ? describeIssue(issue, { pathStyle: 'brackets', terse: true }) : 'it is not a valid environment' };
  }
  return { ok: true, env: parsed.data };
}

/** The first environment of the file that config.json would refuse, named with its index and name. */
export function checkProjectEnvironments(file: string, project: ProjectFile): string | undefined {
  for (const [i, pe] of project.environments.entries()) {
    const r = toEnvironmentRecord(file, pe, 0);
    if (!r.ok) return `environments[${i}] ("${pe.name}"): ${r.problem}`;
  }
  return undefined;
}

/**
 * An environment as a project file holds it: everything but its secrets (secret settings stay in the
 * vault; secret variables by name only), its id, and what is the user's own (the Postman id, dates).
 */
export function toProjectEnvironment(env: Environment): ProjectEnvironment {
  return {
    name: env.name,
    provider: env.provider,
    url: env.baseUrl,
    ...(env.label !== undefined && { label: env.label }),
    color: env.color,
    production: env.production,
    ...(Object.keys(env.settings).length > 0 && { settings: { ...env.settings } }),
    ...(env.accountTransport && { accountTransport: env.accountTransport }),
    ...(Object.keys(env.variables).length > 0 && { variables: { ...env.variables } }),
    ...(env.secretVariables?.length && { secretVariables: [...env.secretVariables] }),
    ...(Object.keys(env.variableNames).length > 0 && { variableNames: { ...env.variableNames } }),
  };
}

/** A whole project file from environments (`tokendesk project export`). */
export function projectFileOf(envs: readonly Environment[], defaultName?: string): ProjectFile {
  return {
    version: PROJECT_FILE_VERSION,
    ...(defaultName !== undefined && { default: defaultName }),
    environments: envs.map(toProjectEnvironment),
  };
}
