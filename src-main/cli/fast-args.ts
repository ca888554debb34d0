/** What the fast path acts on: `token`, with at most one --env and one --email. */
export interface PlainTokenArgs {
  /** --env, else TOKENDESK_ENV as commander reads it; undefined means the `env use` default. */
  envRef?: string;
  email?: string;
}

const ENV = new Set(['--env', '-e']);
const EMAIL = new Set(['--email', '-u']);

/**
 * The plain forms only (`token`, `token --env X`, `token -e X --email Y`…). Anything else — help,
 * `--env=X`, a repeated or unknown option, an empty value or one that starts with "-" — is
 * undefined, and commander parses it in the full CLI, with its own messages.
 */
export function plainTokenArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): PlainTokenArgs | undefined {
  if (argv[2] !== 'token') return undefined;
  let envRef: string | undefined;
  let email: string | undefined;
  for (let i = 3; i < argv.length; i += 2) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    if (value === undefined || value === '' || value.startsWith('-')) return undefined;
    if (ENV.has(flag) && envRef === undefined) envRef = value;
    else if (EMAIL.has(flag) && email === undefined) email = value;
    else return undefined;
  }
  // commander's .env('TOKENDESK_ENV'): the variable when --env is not given; blank means the default (default-env.ts).
  envRef ??= env.TOKENDESK_ENV;
  if (envRef !== undefined && envRef.trim() === '') envRef = undefined;
  return { ...(envRef !== undefined && { envRef }), ...(email !== undefined && { email }) };
}
