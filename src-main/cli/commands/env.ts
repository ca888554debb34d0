import { identityLabel } from '../../contract/identity-label.js';
import { Command, InvalidArgumentError, Option } from 'commander';
import { askLine, canPrompt } from '../prompt.js';
import { addSettingOptions, settingsFromFlags, settingsShown } from './env-settings.js';
import { EXIT, UsageError } from '../output.js';
import { collect, jsonOption, KEYS_HELP, pairCollector, parseBaseUrl, parseColor, transportParser } from './common.js';
import type { AccountTransport } from '../../contract/types.js';
import { plainHttpWarning } from '../../contract/validators.js';
import { capabilitiesOf, loopbackRedirectUri, PROVIDER_KINDS, PROVIDERS, signInMethodsOf, type ProviderKind } from '../../contract/providers.js';
import { settingsOf } from '../../contract/settings.js';
import { withFactory, type Factory } from '../factory.js';
import { offered, projectContext } from '../project-context.js';
import { envRef } from '../default-env.js';
import { buildExportInput, loadExports, originChangeText, refuseFileFields, secretKeys, secretVariablesAsSecrets, TokenDeskError, type Environment, type EnvironmentInput, type VariableRole } from '../../core/facade.js';

const ROLES: readonly VariableRole[] = ['url', 'anon_key', 'api_key', 'access_token', 'refresh_token', 'id_token', 'account_id'];

/** `--var-name ROLE=NAME`: renames an exported variable; an empty NAME restores the default. */
function varNameCollector(value: string, previous: Record<string, string> | undefined): Record<string, string> {
  const pairs = pairCollector('--var-name')(value, previous);
  for (const role of Object.keys(pairs)) {
    if (!ROLES.includes(role as VariableRole)) throw new InvalidArgumentError(`ROLE must be one of ${ROLES.join(', ')}`);
  }
  return pairs;
}

function applyVarNames(current: Environment['variableNames'], changes: Record<string, string> | undefined): Environment['variableNames'] {
  const next: Environment['variableNames'] = { ...current };
  for (const [role, name] of Object.entries(changes ?? {})) {
    if (name.trim() === '') delete next[role as VariableRole];
    else next[role as VariableRole] = name.trim();
  }
  return next;
}

const providerOption = () =>
  new Option('-p, --provider <kind>', PROVIDER_KINDS.map((k) => `${k} (${PROVIDERS[k].cliSummary})`).join(' or ')).choices(PROVIDER_KINDS).makeOptionMandatory();

function describe(env: Environment): string {
  return `"${env.name}" (${env.provider}, ${env.baseUrl}${env.production ? ', production' : ''})`;
}

/** Accepted, but said on stderr as the window says it under the field (the same rule: contract/validators.ts). */
function warnPlainHttp(f: Factory, baseUrl: string): void {
  const warning = plainHttpWarning(baseUrl);
  if (warning) f.term.warn(`${warning} (${baseUrl}); use https:// unless you trust every network in between`);
}

/** Said after add/edit: where secret-looking `--var` values went. */
function keptInKeychain(names: readonly string[]): string {
  return `${names.length === 1 ? 'The variable' : 'The variables'} ${names.join(', ')} ${names.length === 1 ? 'looks' : 'look'} like a secret: kept in the OS keychain, not the configuration file`;
}

/** The fixed options; each declared setting's flag (env-settings.ts) is there too, by its attribute name. */
interface AddOptions extends Record<string, unknown> {
  provider: ProviderKind;
  url: string;
  var?: Record<string, string>;
  varName?: Record<string, string>;
  production?: boolean;
  label?: string;
  color?: string;
  accountHeader?: AccountTransport;
  accountQuery?: AccountTransport;
  account?: boolean;
}

/** --account-header / --account-query / --no-account: at most one; undefined when none was given. */
function transportFrom(o: { accountHeader?: AccountTransport; accountQuery?: AccountTransport; account?: boolean }, cmd: Command): AccountTransport | undefined {
  const given = [o.accountHeader, o.accountQuery, o.account === false ? ({ kind: 'none' } as const) : undefined].filter((t) => t !== undefined);
  if (given.length > 1) cmd.error('error: give only one of --account-header, --account-query and --no-account', { exitCode: 2 });
  return given[0];
}

function transportText(t: AccountTransport | undefined): string {
  if (!t || t.kind === 'none') return 'not sent (the server uses the primary account)';
  return t.kind === 'header' ? `header ${t.name}` : `query parameter ${t.name}`;
}

/**
 * What the user typed that the core refuses (a URL with the provider's path, a control character):
 * bad usage, exit 2, like the malformed --url that commander refuses (issue 25); nothing was stored.
 * Only the core's verdict on the arguments: a key that could not be read from stdin stays an error (1), as for login.
 */
async function badValueIsUsage<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    throw e instanceof TokenDeskError && e.code === 'invalid_input' && !(e instanceof UsageError) ? new UsageError(e.message) : e;
  }
}

/** A blank name in the user's words, not the schema's ("Too small: expected string to have >=1 characters"). */
function requireName(name: string, what: string): void {
  if (name.trim() === '') throw new UsageError(`${what}a name is required, e.g. staging or production`);
}

async function add(f: Factory, name: string, o: AddOptions, cmd: Command): Promise<void> {
  requireName(name, '');
  const transport = transportFrom(o, cmd);
  const input: EnvironmentInput = {
    name,
    provider: o.provider,
    baseUrl: o.url,
    variables: o.var ?? {},
    variableNames: applyVarNames({}, o.varName),
  };
  if (o.production !== undefined) input.production = o.production;
  if (o.label !== undefined) input.label = o.label;
  if (o.color !== undefined) input.color = o.color;
  if (transport !== undefined) input.accountTransport = transport;
  // A missing required flag is said before any key is read from a prompt or stdin.
  const { settings, secrets } = await settingsFromFlags(f, o.provider, o, 'add');
  if (settings) input.settings = settings;
  if (secrets) input.secrets = secrets;
  const env = await badValueIsUsage(f.core().envs.add(input));
  f.term.out(`Added environment ${describe(env)}`);
  warnPlainHttp(f, env.baseUrl);
  if (env.secretVariables?.length) f.term.out(keptInKeychain(env.secretVariables));
  if (env.production) f.term.out('It is marked production: exporting its secrets needs --yes (change with: env edit --no-production)');
}

/** The fixed options; each declared setting's flag (and --remove-<flag>) is there too, by its attribute name. */
interface EditOptions extends Record<string, unknown> {
  name?: string;
  url?: string;
  var?: Record<string, string>;
  unsetVar?: string[];
  varName?: Record<string, string>;
  production?: boolean;
  label?: string;
  color?: string;
  accountHeader?: AccountTransport;
  accountQuery?: AccountTransport;
  account?: boolean;
  yes?: boolean;
}

/**
 * A yes for a change that needs one: --yes, else a question when a person is at a terminal, else a
 * refusal (exit 2) that says how to confirm. "No" is not a success either: a script can tell.
 */
export async function confirmChange(f: Factory, yes: boolean | undefined, what: string, question: string): Promise<boolean> {
  if (yes) return true;
  if (!canPrompt(f.io)) throw new TokenDeskError('confirmation_required', `${what}: confirm with --yes (it asks only when standard input and standard error are a terminal); nothing was changed`);
  if (/^y(es)?$/i.test(await askLine(f, `${question} [y/N] `))) return true;
  f.term.errLine('Nothing was changed.');
  f.setExitCode(EXIT.error);
  return false;
}

/** What `env edit` may still do for a project environment: the user's own keys and secret variable values. */
function projectEditHint(env: Environment): string {
  const keys = settingsOf(env.provider).filter((s) => s.secret).map((s) => `--${s.flag}`);
  const vars = (env.secretVariables ?? []).map((n) => `--var ${n}=…`);
  const yours = [...keys, ...vars];
  return `Change them in that file (TokenDesk reads it again on the next command), or copy the environment to your own in the app.${yours.length > 0 ? ` Your own keys are set here: ${yours.join(', ')}.` : ''}`;
}

async function edit(f: Factory, ref: string, o: EditOptions, cmd: Command): Promise<void> {
  const core = f.core();
  if (o.name !== undefined) requireName(o.name, '--name: ');
  // Resolved as --env is: under a project file its environments are offered (read and synced first) by name.
  // A blank NAME (an unset shell variable) names none: never the default environment, which envRef would give.
  if (ref.trim() === '') throw new UsageError('env edit: NAME is empty: name the environment to edit');
  const current = await core.envs.resolve(await envRef(f, ref));
  let patch: Partial<EnvironmentInput> = {};
  if (o.name !== undefined) patch.name = o.name;
  if (o.url !== undefined) patch.baseUrl = o.url;
  if (o.production !== undefined) patch.production = o.production;
  if (o.label !== undefined) patch.label = o.label;
  if (o.color !== undefined) patch.color = o.color;
  const transport = transportFrom(o, cmd);
  if (transport !== undefined) patch.accountTransport = transport;
  // Patches, applied to the stored environment under the config lock: ten edits at once keep all ten
  // changes (a full set built from a read here would drop the others'). A value that looks like a
  // credential goes to the keychain (EnvironmentService); secret variables stay unless unset.
  if (o.var) patch.setVariables = o.var;
  if (o.unsetVar) patch.unsetVariables = o.unsetVar;
  if (o.varName) patch.setVariableNames = o.varName as NonNullable<EnvironmentInput['setVariableNames']>;
  const { settings, secrets } = await settingsFromFlags(f, current.provider, o, 'edit');
  if (settings) patch.settings = settings;
  if (secrets) patch.secrets = secrets;
  if (Object.keys(patch).length === 0) cmd.error('error: nothing to change: give at least one option', { exitCode: 2 });
  if (current.project) {
    refuseFileFields(current, patch, projectEditHint(current));
    patch = secretVariablesAsSecrets(patch);
  }
  // Another server (scheme, host or port of the URL or of an issuer): said before it happens; production asks (or takes --yes).
  const move = patch.baseUrl !== undefined || patch.settings !== undefined ? await badValueIsUsage(core.envs.originChange(current.id, patch.baseUrl, patch)) : undefined;
  if (move) {
    f.term.warn(originChangeText(move));
    if (move.production || patch.production === true) {
      if (!(await confirmChange(f, o.yes, `"${move.environment.name}" is a production environment`, `Move the production environment "${move.environment.name}" to ${move.to}?`))) return;
      patch.confirmOriginChange = true;
    }
  }
  const { environment: env, signedOut, warnings } = await badValueIsUsage(core.envs.edit(current.id, patch));
  f.term.out(`Updated environment ${describe(env)}`);
  if (patch.baseUrl !== undefined) warnPlainHttp(f, env.baseUrl);
  if (signedOut.length) f.term.out(`Signed out (the environment moved to another server): ${signedOut.join(', ')}; sign in again with "tokendesk login"`);
  for (const w of warnings) f.term.warn(w);
  if (transport !== undefined) f.term.out(`The active account is ${transportText(env.accountTransport)}`);
  const newSecret = (env.secretVariables ?? []).filter((n) => o.var && Object.prototype.hasOwnProperty.call(o.var, n));
  if (newSecret.length) f.term.out(keptInKeychain(newSecret));
}

async function list(f: Factory, o: { json?: boolean }): Promise<void> {
  // The user's own environments and, under a project file, the file's (issue 24), marked as such.
  const project = await projectContext(f);
  const cfg = await f.core().config.read();
  const envs = offered(cfg, project);
  const defaultId = project?.defaultId ?? cfg.settings.cliDefaultEnvironment;
  const isDefault = (env: Environment): boolean => defaultId === env.id;
  const activeEmail = (env: Environment): string | undefined =>
    (() => { const a = cfg.identities.find((i) => i.id === cfg.activeIdentity[env.id]); return a && identityLabel(a); })();
  if (o.json) {
    const doc = envs.map((e) => ({
      name: e.name,
      id: e.id,
      project: e.project?.file ?? null,
      provider: e.provider,
      url: e.baseUrl,
      production: e.production,
      label: e.label ?? null,
      identities: cfg.identities.filter((i) => i.envId === e.id).map((i) => identityLabel(i)),
      activeIdentity: activeEmail(e) ?? null,
      default: isDefault(e),
    }));
    f.term.outJson(doc);
    return;
  }
  if (envs.length === 0) {
    f.term.out('No environments yet. Add one with "tokendesk env add", or try the demo: "tokendesk demo-server" then "tokendesk demo-setup".');
    return;
  }
  const rows = envs.map((e) => [
    `${e.project ? 'project:' : ''}${e.name}${isDefault(e) ? ' (default)' : ''}`,
    e.provider,
    e.baseUrl,
    activeEmail(e) ?? '-',
    e.production ? 'production' : '',
  ]);
  f.term.out(table([['NAME', 'PROVIDER', 'URL', 'ACTIVE IDENTITY', ''], ...rows]));
  if (project) f.term.out(`project: = from ${project.file}`);
}

/** Left-aligned columns, two spaces apart. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n');
}

/** Plain variables with their values; secret ones masked, saying where the value is. */
function variableList(env: Environment, held: ReadonlyMap<string, string>): string {
  const plain = Object.entries(env.variables).map(([k, v]) => `${k}=${v}`);
  const secret = (env.secretVariables ?? []).map((n) => `${n}=${held.has(n) ? '•••• (in the keychain)' : '(secret, missing from the keychain)'}`);
  const items = [...plain, ...secret];
  return items.length ? items.join(', ') : 'none';
}

async function show(f: Factory, ref: string, o: { json?: boolean }): Promise<void> {
  const core = f.core();
  const { variableName } = await loadExports();
  const env = await core.envs.resolve(ref);
  const cfg = await core.config.read();
  // What the keychain holds for it (core/exports/input.ts), to say whether each is stored, never its value.
  const all = await core.secrets.loadAll();
  const held = buildExportInput(env, all).secrets;
  const [anon, api] = [held.anonKey, held.apiKey];
  const shown = settingsShown(env, new Set(settingsOf(env.provider).filter((s) => s.secret && all.has(secretKeys.setting(env.id, s.name))).map((s) => s.name)));
  const heldVariables = held.variables ?? new Map<string, string>();
  // The roles its provider exports (catalogue exportedRoles, as exports/model.ts writes them).
  const can = capabilitiesOf(env.provider);
  const roles = ROLES.filter((r) => can.exportedRoles.includes(r));
  const names = Object.fromEntries(roles.map((r) => [r, variableName(env, r)]));
  const identities = cfg.identities.filter((i) => i.envId === env.id);
  const redirect = loopbackRedirectUri(env.provider, shown.settings);
  const doc = {
    name: env.name,
    provider: env.provider,
    url: env.baseUrl,
    production: env.production,
    label: env.label ?? null,
    color: env.color,
    // Whether each key is stored, never its value.
    secrets: { anonKey: anon !== undefined, apiKey: api !== undefined },
    // The kind's declared settings: values (defaults filled in), secrets by name with whether each is stored.
    settings: shown.settings,
    secretSettings: shown.secretSettings,
    variables: env.variables,
    // Names only: their values are in the keychain (missing ones are listed as false).
    secretVariables: Object.fromEntries((env.secretVariables ?? []).map((n) => [n, heldVariables.has(n)])),
    exportedNames: names,
    accountTransport: env.accountTransport ?? { kind: 'none' },
    default: cfg.settings.cliDefaultEnvironment === env.id,
    // What `login --method` takes, the first being the default.
    signInMethods: signInMethodsOf(env.provider, env.settings).map((m) => ({ id: m.id, label: m.label })),
    identities: identities.map((i) => ({ id: i.id, email: i.email ?? null, label: identityLabel(i), active: cfg.activeIdentity[env.id] === i.id })),
    // The browser sign-in's redirect URI to register at the provider (null for a kind without one).
    redirectUri: redirect?.uri ?? null,
  };
  if (o.json) return f.term.outJson(doc);
  // One column for every value, the longest label included (a setting's label such as "identifier field" too).
  const width = Math.max(13, ...shown.rows.map(([label]) => label.length + 2));
  const row = (label: string, value: string): string => `  ${`${label}:`.padEnd(width)}${value}`;
  const lines = [
    `${env.name}${env.production ? '  [production]' : ''}${cfg.settings.cliDefaultEnvironment === env.id ? '  (default)' : ''}`,
    row('provider', env.provider),
    row('url', env.baseUrl),
    row('sign-in', signInMethodsOf(env.provider, env.settings).map((m, n) => `${m.id} (${m.label.toLowerCase()}${n === 0 ? ', default' : ''})`).join(', ')),
    ...(env.label ? [row('label', env.label)] : []),
    ...shown.rows.map(([label, value]) => row(label, value)),
    ...(redirect ? [row('redirect URI', `${redirect.uri}${redirect.anyPort ? ' (register it; the port is chosen at each sign-in)' : ' (register it)'}`)] : []),
    row('variables', variableList(env, heldVariables)),
    ...(can.hasAccounts ? [row('account', transportText(env.accountTransport))] : []),
    row('exported as', Object.entries(names).map(([r, n]) => (r === n ? n : `${r}→${n}`)).join(', ')),
    row('identities', identities.length ? identities.map((i) => `${identityLabel(i)}${cfg.activeIdentity[env.id] === i.id ? ' (active)' : ''}`).join(', ') : 'none'),
  ];
  f.term.out(lines.join('\n'));
}

async function remove(f: Factory, ref: string, o: { yes?: boolean }): Promise<void> {
  const core = f.core();
  const cfg = await core.config.read();
  const target = await core.envs.resolve(ref);
  // Production asks first, as the window's remove dialog does; a script says --yes.
  if (target.production && !(await confirmChange(f, o.yes, `"${target.name}" is a production environment`, `Remove the production environment "${target.name}", its identities and all their secrets?`))) return;
  const env = await core.envs.remove(target.id);
  const n = cfg.identities.filter((i) => i.envId === env.id).length;
  f.term.out(`Removed environment "${env.name}"${n ? ` and its ${n} ${n === 1 ? 'identity' : 'identities'} (their secrets were deleted from the keychain)` : ''}`);
}

/** `env use NAME`: the default for every command's --env, like gh's default host; `--none` clears it. */
async function use(f: Factory, ref: string | undefined, o: { none?: boolean }, cmd: Command): Promise<void> {
  const core = f.core();
  if (ref !== undefined && o.none) cmd.error('error: give a NAME or --none, not both', { exitCode: 2 });
  if (ref === undefined && !o.none) {
    const cfg = await core.config.read();
    const current = cfg.environments.find((e) => e.id === cfg.settings.cliDefaultEnvironment);
    f.term.out(current ? `Default environment: "${current.name}"` : 'No default environment: commands need --env NAME (set one with "tokendesk env use NAME")');
    return;
  }
  const env = ref === undefined ? undefined : await core.envs.resolve(ref);
  await core.config.update((cfg) => {
    const settings = { ...cfg.settings };
    if (env) settings.cliDefaultEnvironment = env.id;
    else delete settings.cliDefaultEnvironment;
    return { ...cfg, settings };
  });
  f.term.out(env ? `Default environment: "${env.name}" (commands use it when --env is not given)` : 'No default environment any more: commands need --env NAME');
}

export function registerEnv(program: Command, f: Factory): void {
  const env = program.command('env')
    .summary('add, list, show, edit, remove environments')
    .description('add, list, show, edit and remove environments');

  const envAdd = env
    .command('add')
    .summary('add an environment (keys go to the keychain)')
    .description('add an environment; its anon key and API key go to the OS keychain')
    .argument('<name>', 'a name such as staging or production')
    .addOption(providerOption())
    .requiredOption('--url <url>', 'base URL (Supabase project URL, or the session API root)', parseBaseUrl);
  addSettingOptions(envAdd, 'add')
    .addHelpText('after', KEYS_HELP)
    .option('--var <KEY=VALUE>', 'extra exported variable, e.g. organization_id=…; one that looks like a credential goes to the keychain (repeatable)', pairCollector('--var'))
    .option('--var-name <ROLE=NAME>', `rename an exported variable; ROLE is ${ROLES.join(', ')} (repeatable)`, varNameCollector)
    .option('--production', 'mark as production (default: guessed from the name/host)')
    .option('--no-production', 'mark as not production')
    .option('--label <text>', 'short label shown in the app')
    .option('--color <#rrggbb>', 'colour shown in the app', parseColor)
    .option('--account-header <name>', 'send the active tenant account in this header, e.g. X-Account-Id', transportParser('header'))
    .option('--account-query <name>', 'send the active tenant account as this query parameter, e.g. accountId', transportParser('query'))
    .option('--no-account', 'do not send the account (the server uses the primary one)')
    .addHelpText(
      'after',
      '\nExamples:\n  tokendesk env add staging --provider supabase --url https://abc.supabase.co --anon-key - --var organization_id=42\n  tokendesk env add local --provider session --url http://localhost:3000 --account-header X-Account-Id',
    )
    .action(withFactory(f, add));

  env
    .command('use')
    .summary('set the default environment for --env')
    .description('set the environment commands use when --env is not given (like gh\'s default host); without NAME, show it')
    .argument('[name]', 'the environment to use by default')
    .option('--none', 'clear the default')
    .addHelpText('after', '\nExample:\n  tokendesk env use staging && tokendesk token')
    .action(withFactory(f, use));

  env.command('list').alias('ls').description('list environments').addOption(jsonOption()).action(withFactory(f, list));

  env.command('show')
    .summary('show one environment (never a secret value)').description('show one environment (which secrets are stored, never their values)').argument('<name>').addOption(jsonOption()).action(withFactory(f, show));

  const envEdit = env
    .command('edit')
    .description('change an environment: name, URL, keys, variables')
    .argument('<name>', 'the environment to change')
    .option('--name <new-name>', 'rename it')
    .option('--url <url>', 'new base URL', parseBaseUrl);
  addSettingOptions(envEdit, 'edit')
    .addHelpText('after', KEYS_HELP)
    .option('--var <KEY=VALUE>', 'set an extra variable; one that looks like a credential goes to the keychain (repeatable)', pairCollector('--var'))
    .option('--unset-var <KEY>', 'remove an extra variable (repeatable)', collect)
    .option('--var-name <ROLE=NAME>', 'rename an exported variable; ROLE= restores the default (repeatable)', varNameCollector)
    .option('--production', 'mark as production')
    .option('--no-production', 'mark as not production')
    .option('--label <text>', 'short label shown in the app')
    .option('--color <#rrggbb>', 'colour shown in the app', parseColor)
    .option('--account-header <name>', 'send the active tenant account in this header, e.g. X-Account-Id', transportParser('header'))
    .option('--account-query <name>', 'send the active tenant account as this query parameter, e.g. accountId', transportParser('query'))
    .option('--no-account', 'do not send the account (the server uses the primary one)')
    .option('-y, --yes', 'move a production environment to another server without asking (needed when standard input is not a terminal)')
    .addHelpText(
      'after',
      '\nA --url on another server (scheme, host or port) signs out the environment\'s identities: their sessions are\nended at the old URL and no token or password is sent to the new one. A path-only change keeps them.',
    )
    .action(withFactory(f, edit));

  env
    .command('remove')
    .summary('remove an environment and all its secrets')
    .alias('rm')
    .description('remove an environment, its identities and all their secrets')
    .argument('<name>')
    .option('-y, --yes', 'remove a production environment without asking (needed when standard input is not a terminal)')
    .action(withFactory(f, remove));
}
