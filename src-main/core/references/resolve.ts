import { TokenDeskError } from '../errors.js';
import type { Config } from '../config/schema.js';
import { findEnvironment } from '../environments/service.js';
import type { FreshToken } from '../sessions/manager.js';
import { buildExportInput } from '../exports/input.js';
import { exportVariables, type ExportInput, type ExportVariable } from '../exports/model.js';
import { accessTokenHeader, authHeaders } from '../exports/headers.js';
import { dotenvKey } from '../exports/dotenv.js';
import { FIELDS, type Reference } from './reference.js';

/** What resolving needs of the core: the config, the vault, and a fresh token (renewed first when due). */
export interface ResolveDeps {
  readConfig(): Promise<Config>;
  loadSecrets(): Promise<ReadonlyMap<string, string>>;
  freshToken(envId: string, who: string | undefined): Promise<FreshToken>;
}

/** A reference and where it was written ("env.tpl, line 3"), for messages. */
export interface Located {
  ref: Reference;
  where: string;
}

export interface Resolved {
  values: string[];
  /** Renewal warnings (a still-valid token that could not be renewed) and single-use refresh tokens handed out. */
  warnings: string[];
}

const SESSION_FIELDS = new Set<string>(['token', 'header', 'headers', 'refresh_token']);

/** The exported variable a field names: its key as exported, its role (access_token…), then its KEY in an env file's spelling. */
function findVariable(vars: ExportVariable[], field: string): ExportVariable | undefined {
  return vars.find((v) => v.key === field) ?? vars.find((v) => v.role === field) ?? vars.find((v) => dotenvKey(v.key) === dotenvKey(field));
}

function variablesOf(input: ExportInput): ExportVariable[] {
  return exportVariables(input, { includeSecrets: true, includeRefreshToken: true });
}

/** Whether the field's value comes from a session (so the environment must be signed in, and the token fresh). */
function needsSession(input: ExportInput, field: string): boolean {
  if (SESSION_FIELDS.has(field)) return true;
  const role = findVariable(variablesOf(input), field)?.role;
  return role === 'access_token' || role === 'refresh_token';
}

/** Whether the field's value is a secret (a token, a key, a secret variable); url and plain variables are not. */
function isSecretField(input: ExportInput, field: string): boolean {
  return SESSION_FIELDS.has(field) || findVariable(variablesOf(input), field)?.secret === true;
}

function fieldValue(input: ExportInput, ref: Reference): string {
  const none = (what: string) => new TokenDeskError('not_found', `"${input.env.name}" has no ${what}`);
  switch (ref.field) {
    case 'token':
      return input.secrets.accessToken ?? '';
    case 'header':
      return accessTokenHeader(input)?.value ?? '';
    case 'headers':
      return authHeaders(input).map((h) => `${h.name}: ${h.value}`).join('\n');
    case 'refresh_token':
      if (!input.secrets.refreshToken) throw none('refresh token (this kind of session renews without one, or it was never given one)');
      return input.secrets.refreshToken;
  }
  const vars = variablesOf(input);
  const v = findVariable(vars, ref.field);
  if (!v) {
    const known = [...new Set([...Object.keys(FIELDS), ...vars.map((x) => x.key)])].join(', ');
    throw new TokenDeskError('not_found', `"${input.env.name}" has no field "${ref.field}" (known: ${known})`);
  }
  if (v.value === '' && v.secret) throw none(`value stored for ${v.key}`);
  return v.value;
}

/**
 * Resolves every reference, each environment and identity once (one renewal at most, one vault read),
 * before anything is run or written: the first failure is an error naming where the reference was
 * written, and nothing is handed out. Errors keep their code (not signed in still exits 4).
 */
export async function resolveReferences(items: readonly Located[], deps: ResolveDeps, opts: { productionSecrets?: boolean } = {}): Promise<Resolved> {
  const warnings: string[] = [];
  if (items.length === 0) return { values: [], warnings };
  const cfg = await deps.readConfig();
  const secrets = await deps.loadSecrets();
  const inputs = new Map<string, Promise<ExportInput>>();
  const values: string[] = [];
  for (const { ref, where } of items) {
    try {
      const env = findEnvironment(cfg, ref.env);
      const plain = buildExportInput(env, secrets);
      // A production secret written to a file is what the product promises never to do by accident (export asks the same).
      if (env.production && opts.productionSecrets === false && isSecretField(plain, ref.field)) {
        throw new TokenDeskError('invalid_input', `"${env.name}" is a production environment: writing its secrets to a file needs --yes`);
      }
      let input = plain;
      if (needsSession(plain, ref.field)) {
        const key = `${env.id}\n${ref.who ?? ''}`;
        let pending = inputs.get(key);
        if (!pending) {
          pending = deps.freshToken(env.id, ref.who).then((fresh) => {
            if (fresh.warning) warnings.push(fresh.warning);
            return buildExportInput(fresh.env, secrets, fresh);
          });
          inputs.set(key, pending);
        }
        input = await pending;
      }
      values.push(fieldValue(input, ref));
      if (ref.field === 'refresh_token' || findVariable(variablesOf(input), ref.field)?.role === 'refresh_token') {
        warnings.push(`${where} hands out the refresh token of "${env.name}": it is single-use, so a tool that spends it ends TokenDesk's own session`);
      }
    } catch (e) {
      if (e instanceof TokenDeskError) throw new TokenDeskError(e.code, `${where}: ${ref.text}: ${e.message}`, { cause: e });
      throw e;
    }
  }
  return { values, warnings };
}
