import { sanitizeForDisplay } from '../text/sanitize.js';
import { parseJson, TOO_DEEP_TEXT } from '../text/parse-json.js';
import { PROVIDERS, PROVIDER_KINDS, type ImportHints, type ProviderKind } from '../../contract/providers.js';
import { checkBaseUrl } from '../../contract/validators.js';
import { z } from 'zod';
import type { VariableRole } from '../config/schema.js';
import { TokenDeskError } from '../errors.js';
import { looksLikeSecret } from '../config/secret-guard.js';
import { quoteName, variableMap, variableNameProblem } from '../environments/variables.js';
import { issuePath } from '../../contract/issues.js';

/** Postman files are small; anything bigger is almost certainly the wrong file. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

export interface ImportedEnvironment {
  name: string;
  baseUrl?: string;
  provider: ProviderKind;
  /** Which kind of Postman file it came from. */
  source: 'environment' | 'globals' | 'collection';
  /** Non-secret extras such as `organization_id` (a map without a prototype). */
  variables: Record<string, string>;
  /** Extras typed secret in the file or that look like credentials: they go to the keychain. */
  secretVariables: Record<string, string>;
  secrets: { anonKey?: string; apiKey?: string; accessToken?: string; refreshToken?: string };
  accountId?: string;
  /** The file's Postman `id`: kept so an export writes it back and a later import of the same file updates this environment. */
  postmanId?: string;
  /** role → the variable name the file used for it, so a re-export keeps the user's names. */
  variableNames: Partial<Record<VariableRole, string>>;
  /** Human-readable notes on what was skipped or guessed; they name variables, never values. */
  warnings: string[];
  /**
   * Expected, harmless facts worth one quiet line (not a warning): secrets without a value, which is
   * what every fresh export has since Postman exports only initial values.
   */
  notes: string[];
}

// ---------- file shapes (../shared/docs/export-formats.md §3a, §3b) ----------

const Scalar = z.union([z.string(), z.number(), z.boolean()], { error: 'must be a string, number or boolean' });
const keyField = z.string({ error: (iss) => (iss.input === undefined ? 'is missing' : 'must be a string') });

const EnvValue = z.looseObject({
  key: keyField,
  value: Scalar.optional(),
  type: z.string({ error: 'must be a string' }).optional(),
  enabled: z.boolean({ error: 'must be true or false' }).optional(),
  secret: z.boolean({ error: 'must be true or false' }).optional(),
});

const EnvFile = z.looseObject({
  id: z.unknown().optional(),
  name: z.string({ error: 'must be a string' }).optional(),
  values: z.array(EnvValue, { error: 'must be an array' }),
  _postman_variable_scope: z
    .enum(['environment', 'globals'], { error: 'must be "environment" or "globals"' })
    .optional(),
});

const CollectionVariable = z
  .looseObject({
    id: z.string({ error: 'must be a string' }).optional(),
    key: z.string({ error: 'must be a string' }).optional(),
    value: Scalar.optional(),
    type: z.string({ error: 'must be a string' }).optional(),
    disabled: z.boolean({ error: 'must be true or false' }).optional(),
    secret: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .refine((v) => v.key !== undefined || v.id !== undefined, { error: 'needs a "key" or an "id"' });

const CollectionFile = z.looseObject({
  info: z.looseObject({ name: z.string({ error: 'must be a string' }).optional() }, { error: 'must be an object' }).optional(),
  variable: z.array(CollectionVariable, { error: 'must be an array' }),
});

// ---------- variable roles ----------

/** Recognised names, compared after camelCase → snake_case and lower-casing (baseUrl → base_url). */
const ROLE_ALIASES: Record<VariableRole, readonly string[]> = {
  url: ['url', 'base_url', 'supabase_url'],
  // `apikey` is Supabase's gateway header name, so a variable called that holds the anon key.
  anon_key: ['anon_key', 'apikey', 'supabase_anon_key'],
  api_key: ['api_key', 'x_api_key'],
  access_token: ['user_jwt_token', 'access_token', 'token', 'jwt', 'auth_token', 'bearer_token'],
  refresh_token: ['refresh_token'],
  id_token: ['id_token'],
  account_id: ['account_id'],
};

function normalizeName(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[-.\s]+/g, '_');
}

export function roleOfVariable(key: string): VariableRole | undefined {
  const n = normalizeName(key);
  for (const [role, aliases] of Object.entries(ROLE_ALIASES) as [VariableRole, readonly string[]][]) {
    if (aliases.includes(n)) return role;
  }
  return undefined;
}

const SECRET_ROLE_FIELD = {
  anon_key: 'anonKey',
  api_key: 'apiKey',
  access_token: 'accessToken',
  refresh_token: 'refreshToken',
} as const;

const TEMPLATE_ONLY = /^\s*\{\{[^{}]*\}\}\s*$/;

interface RawVariable {
  key: string;
  value: string;
  secret: boolean;
  enabled: boolean;
}

// ---------- parsing ----------

function fail(message: string): never {
  throw new TokenDeskError('invalid_input', message);
}

function parseWith<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue ? issuePath(issue.path, 'brackets') : '';
  fail(`Invalid Postman ${what}: ${where ? `"${where}" ` : ''}${issue?.message ?? 'unexpected shape'}`);
}

function scalarToString(v: string | number | boolean | undefined): string {
  return v === undefined ? '' : String(v);
}

/**
 * Parses a Postman environment/globals export or a v2.0/v2.1 collection's `variable` array into what
 * TokenDesk needs to create an environment. Throws TokenDeskError('invalid_input') naming the problem;
 * messages and warnings name variables, never their values.
 */
export function parsePostmanFile(text: string): ImportedEnvironment {
  if (text.length > MAX_IMPORT_BYTES || Buffer.byteLength(text, 'utf8') > MAX_IMPORT_BYTES) {
    fail('File is larger than 5 MB; a Postman environment or collection export is much smaller');
  }
  const body = text.replace(/^\uFEFF/, ''); // Windows editors add a BOM
  if (body.trim() === '') fail('File is empty');
  let protoFields = 0;
  // `__proto__` keys are dropped while parsing: no later copy can turn one into a prototype.
  const parsed = parseJson(body, (key, value: unknown) => {
    if (key !== '__proto__') return value;
    protoFields++;
    return undefined;
  });
  // The SyntaxError text quotes the file, which may hold a token: keep it out of the message.
  if (!parsed.ok) fail(parsed.problem === 'too_deep' ? `File is ${TOO_DEEP_TEXT}; a Postman export is much flatter` : 'File is not valid JSON');
  const data = parsed.value;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    fail('Not a Postman environment or collection: the file must contain a JSON object');
  }
  const obj = data as Record<string, unknown>;

  let source: ImportedEnvironment['source'];
  let fileName: string | undefined;
  let postmanId: string | undefined;
  let raw: RawVariable[];
  if ('values' in obj) {
    const env = parseWith(EnvFile, obj, 'environment');
    source = env._postman_variable_scope === 'globals' ? 'globals' : 'environment';
    fileName = env.name;
    if (typeof env.id === 'string' && /^[A-Za-z0-9_.-]{1,100}$/.test(env.id)) postmanId = env.id;
    raw = env.values.map((v) => ({
      key: v.key,
      value: scalarToString(v.value),
      // Older/current exports: type "secret"; Postman 12+: secret: true with type "default".
      secret: v.type === 'secret' || v.secret === true,
      enabled: v.enabled !== false,
    }));
  } else if ('variable' in obj) {
    const col = parseWith(CollectionFile, obj, 'collection');
    source = 'collection';
    fileName = col.info?.name;
    raw = col.variable.map((v) => ({
      key: v.key ?? v.id ?? '',
      value: scalarToString(v.value),
      secret: v.type === 'secret' || v.secret === true,
      enabled: v.disabled !== true,
    }));
  } else if (Array.isArray(obj.requests)) {
    fail('Postman collection v1 is not supported: export it again as Collection v2.1');
  } else {
    fail('Not a Postman environment or collection: missing "values" or "variable"');
  }

  const out = classify(raw, source, text);
  if (protoFields > 0) out.warnings.push(`Ignored ${protoFields === 1 ? 'a "__proto__" field' : `${protoFields} "__proto__" fields`} in the file`);
  out.name = pickName(fileName, source, out.warnings);
  if (postmanId) out.postmanId = postmanId;
  return out;
}

function pickName(fileName: string | undefined, source: ImportedEnvironment['source'], warnings: string[]): string {
  const given = (fileName ?? '').trim();
  // A name is shown on terminals and in the tray: escape sequences and bidi controls are taken out.
  let name = sanitizeForDisplay(given).replace(/\s+/g, ' ').trim();
  if (name && name !== given) warnings.push(`The file's name had control characters; using "${name}"`);
  if (!name) {
    name = source === 'globals' ? 'Postman globals' : 'Imported environment';
    warnings.push(`The file has no name; using "${name}"`);
  }
  if (name.length > 100) {
    name = name.slice(0, 100).trim();
    warnings.push('The name was longer than 100 characters and was shortened');
  }
  return name;
}

function parseBaseUrl(key: string, value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    fail(`Variable "${key}" is not a valid URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') fail(`Variable "${key}" is not an http(s) URL`);
  return value.replace(/\/+$/, '');
}

function classify(raw: RawVariable[], source: ImportedEnvironment['source'], text: string): ImportedEnvironment {
  const out: ImportedEnvironment = {
    name: '',
    provider: fallbackKind(),
    source,
    variables: variableMap(),
    secretVariables: variableMap(),
    secrets: {},
    variableNames: {},
    warnings: [],
    notes: [],
  };
  const emptySecrets: string[] = [];
  const warn = (w: string): void => {
    out.warnings.push(w);
  };
  const seenKeys = new Set<string>();

  for (const v of raw) {
    const key = v.key.trim();
    if (!key) {
      warn('Skipped a variable with an empty name');
      continue;
    }
    if (key.length > 100) {
      warn(`Skipped a variable whose name is longer than 100 characters ("${key.slice(0, 40)}…")`);
      continue;
    }
    if (!v.enabled) {
      warn(`Skipped disabled variable "${key}"`);
      continue;
    }
    if (seenKeys.has(key)) {
      warn(`Variable "${key}" appears more than once; using the first`);
      continue;
    }
    seenKeys.add(key);

    let value = v.value;
    if (TEMPLATE_ONLY.test(value)) {
      warn(`Variable "${key}" only refers to another variable (${value.trim()}); imported as empty`);
      value = '';
    }

    const role = roleOfVariable(key);
    if (role && out.variableNames[role] === undefined) {
      out.variableNames[role] = key;
      applyRole(out, role, key, value.trim(), v.secret, emptySecrets);
      continue;
    }
    if (role) warn(`Variable "${key}" looks like the ${role} too; using "${out.variableNames[role]}"`);
    if (role && role in SECRET_ROLE_FIELD) {
      warn(`Skipped "${key}": it is a second ${role}, and TokenDesk keeps one (in the keychain)`);
      continue;
    }
    const problem = variableNameProblem(key);
    if (problem) {
      warn(`Skipped the variable ${quoteName(key)}: ${problem}`);
      continue;
    }
    if (v.secret || (value !== '' && looksLikeSecret(key, value))) {
      if (value === '') {
        emptySecrets.push(key);
        continue;
      }
      // Kept, but never in the plaintext config: the keychain holds the value, the config its name.
      out.secretVariables[key] = value;
      warn(`Variable "${key}" is a secret: it goes to the OS keychain, not the configuration file`);
      continue;
    }
    out.variables[key] = value;
  }

  out.provider = guessProvider(out, text);
  if (out.baseUrl) {
    // The same rule as the form and the CLI (contract/validators.ts); a file is what it is, so an
    // obvious fix (a path TokenDesk adds itself, credentials in the URL) is applied and said.
    const checked = checkBaseUrl(out.baseUrl, out.provider);
    const name = out.variableNames.url ?? 'url';
    if (!checked.ok && checked.suggestion === undefined) fail(`Variable "${name}": ${checked.message}`);
    if (!checked.ok && checked.suggestion !== undefined) {
      out.baseUrl = checked.suggestion;
      warn(`Variable "${name}" was changed to ${checked.suggestion}: ${checked.message}`);
    }
  }
  if (out.baseUrl === undefined) warn('No base URL variable (url, baseUrl, base_url, supabase_url) with a value was found');
  if (emptySecrets.length > 0) {
    const names = emptySecrets.map((k) => `"${k}"`).join(', ');
    out.notes.push(`${emptySecrets.length === 1 ? 'Secret' : 'Secrets'} without a value, skipped: ${names} (Postman exports only initial values)`);
  }
  return out;
}

function applyRole(out: ImportedEnvironment, role: VariableRole, key: string, value: string, typedSecret: boolean, emptySecrets: string[]): void {
  if (role === 'url') {
    if (value) out.baseUrl = parseBaseUrl(key, value);
    return;
  }
  if (role === 'account_id') {
    // Kept as a plain variable under the file's name: exported again, and sent as the account until an identity picks one.
    if (value) {
      out.accountId = value;
      out.variables[key] = value;
    }
    return;
  }
  // An ID token is a sign-in's own, never taken from a file: the variable name is kept for exports.
  if (role === 'id_token') return;
  const field = SECRET_ROLE_FIELD[role];
  if (value) out.secrets[field] = value;
  // Empty tokens say nothing (tokens are never imported); an empty key is worth the quiet note.
  else if (typedSecret && field !== 'accessToken' && field !== 'refreshToken') emptySecrets.push(key);
}

/**
 * The first kind whose import hints show in the file (catalogue `importHints`: a role's variable, the
 * base URL's host, a request path in a collection), else the kind that takes files showing none.
 */
function guessProvider(out: ImportedEnvironment, text: string): ProviderKind {
  const host = out.baseUrl ? new URL(out.baseUrl).hostname : undefined;
  const shows = ({ roles, host: hostPattern, text: textPattern }: ImportHints): boolean =>
    (roles ?? []).some((r) => out.variableNames[r] !== undefined) ||
    (hostPattern !== undefined && host !== undefined && hostPattern.test(host)) ||
    (textPattern !== undefined && textPattern.test(text));
  return PROVIDER_KINDS.find((k) => shows(PROVIDERS[k].importHints)) ?? fallbackKind();
}

function fallbackKind(): ProviderKind {
  const kind = PROVIDER_KINDS.find((k) => PROVIDERS[k].importHints.fallback);
  // The catalogue declares one (tests/unit/provider-catalogue.test.ts); without it nothing can be imported.
  if (kind === undefined) throw new TokenDeskError('invalid_input', 'No provider takes imported Postman files');
  return kind;
}
