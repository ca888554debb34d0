import { UsageError } from './output.js';
import { Command, CommanderError } from 'commander';
import { version } from '../../package.json';
import { registerDemo } from './commands/demo.js';
import { registerEndpoint } from './commands/endpoint.js';
import { registerEnv } from './commands/env.js';
import { registerExec } from './commands/exec.js';
import { registerExport } from './commands/export.js';
import { registerImport } from './commands/import.js';
import { registerLogin } from './commands/login.js';
import { registerProject } from './commands/project.js';
import { registerRequest } from './commands/request.js';
import { registerStatus } from './commands/status.js';
import { registerServe } from './commands/serve.js';
import { registerSwitch } from './commands/switch.js';
import { registerToken } from './commands/token.js';
import { registerVault } from './commands/vault.js';
import { registerInject } from './commands/inject.js';
import { registerRefresh } from './commands/refresh.js';
import { registerKubectlCredential } from './commands/kubectl-credential.js';
import { registerGitCredential } from './commands/git-credential.js';
import { registerCompletion } from './commands/completion.js';
import { envRef } from './default-env.js';
import { EXIT, guardOutputStreams, PROGRAM } from './output.js';
import { processFactory, type Factory } from './factory.js';
import { sanitizeForDisplay } from '../core/facade.js';

const FOOTER = `
Environment variables:
  TOKENDESK_HOME   configuration folder (and its own keychain entries); shared with the desktop app
  TOKENDESK_ENV    default for --env (before the one set with "tokendesk env use", then the only
                   environment, or the only one somebody is signed in to)
  NO_COLOR         no colour or symbols even on a terminal (CLICOLOR_FORCE=1 forces them in a pipe)
  TOKENDESK_DEBUG  print details of unexpected errors

Exit status: 0 success, 1 error, 2 bad usage, 4 sign-in needed (nobody signed in or session ended),
exec: the command's own status.

Secrets live in the OS keychain. Only token, header, export, exec's command, inject and the kubectl and
git credential helpers ever see them.`;

export function buildProgram(f: Factory): Command {
  const program = new Command(PROGRAM)
    .description('TokenDesk: sign in, keep sessions fresh, and hand out tokens, headers and exports from the terminal')
    .version(version, '-V, --version')
    .enablePositionalOptions()
    // Set before the subcommands exist, so every one of them inherits these.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => f.io.stdout.write(text),
      writeErr: (text) => f.io.stderr.write(text),
    })
    .addHelpText('after', FOOTER);

  // Every command with --env acts on one environment: fill in the `env use` default (or fail in one line).
  program.hook('preAction', async (_root, cmd) => {
    if (cmd.name() === 'status' || !cmd.options.some((o) => o.attributeName() === 'env')) return;
    // These pick the environment themselves when none is named: exec --envfile from its references,
    // git-credential from the host git asks about.
    if (cmd.getOptionValue('env') === undefined && (cmd.name() === 'git-credential' || (cmd.name() === 'exec' && cmd.getOptionValue('envfile') !== undefined))) return;
    const prompt = cmd.name() === 'login' || cmd.name() === 'signup';
    cmd.setOptionValue('env', await envRef(f, cmd.getOptionValue('env') as string | undefined, { prompt }));
  });

  // --identity ID names an identity by its id (status --json lists them): the core takes an id wherever
  // it takes an email, so it travels as the command's --email value from here on.
  program.hook('preAction', (_root, cmd) => {
    const id = cmd.getOptionValue('identity') as string | undefined;
    if (id === undefined) return;
    if (cmd.getOptionValue('email') !== undefined) throw new UsageError('give --email or --identity, not both');
    cmd.setOptionValue('email', id);
  });

  registerEnv(program, f);
  registerLogin(program, f);
  registerSwitch(program, f);
  registerStatus(program, f);
  registerToken(program, f);
  registerExport(program, f);
  registerExec(program, f);
  registerImport(program, f);
  registerVault(program, f);
  registerDemo(program, f);
  registerServe(program, f);
  registerEndpoint(program, f);
  registerInject(program, f);
  registerRefresh(program, f);
  registerKubectlCredential(program, f);
  registerGitCredential(program, f);
  registerCompletion(program, f);
  registerProject(program, f);
  registerRequest(program, f);
  briefUsageErrors(program);
  return program;
}

/** "tokendesk env add": the command as the user types it. */
function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * A usage error is two lines on stderr, as the README promises: the error, then commander's
 * suggestion ("(Did you mean login?)") or where the usage is. The whole help (48 lines for `env add`)
 * buried the one line that mattered (issue 25). Set on every command, since each names its own --help.
 */
function briefUsageErrors(cmd: Command): void {
  for (const sub of cmd.commands) briefUsageErrors(sub);
  cmd.showHelpAfterError(false).configureOutput({
    outputError: (text, write) => {
      const [, message = text, suggestion] = /^([\s\S]*?)(?:\n(\(Did you mean [^\n]*\)))?\n*$/.exec(text) ?? [];
      // Usage errors quote the command line back: shown through the same filter as every other line, on one line.
      const line = sanitizeForDisplay(message.replace(/^error: /, '').replace(/\s*[\r\n]+\s*/g, ' '));
      write(`${PROGRAM}: ${line}\n${suggestion ?? `Run "${commandPath(cmd)} --help" for usage.`}\n`);
    },
  });
}

/** Exit status for a commander exit: help and version are successes, anything else is bad usage. */
function commanderStatus(e: CommanderError): number {
  if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.ok;
  // `tokendesk help token` asked for help (exit code 0); `tokendesk env` alone shows it as an error (1).
  if (e.code === 'commander.help' && e.exitCode === 0) return EXIT.ok;
  return EXIT.usage;
}

/** Runs one command line with `f`'s streams and core; resolves to the exit status. */
export async function runCli(argv: readonly string[], f: Factory): Promise<number> {
  try {
    await buildProgram(f).parseAsync([...argv]);
    return f.exitCode() ?? EXIT.ok;
  } catch (e) {
    return e instanceof CommanderError ? commanderStatus(e) : f.term.reportError(e);
  }
}

/** The full CLI (commander, the core) on the process; index.ts runs it when the fast path does not answer. */
export async function main(argv: string[]): Promise<void> {
  guardOutputStreams();
  process.exitCode = await runCli(argv, processFactory());
}

