import { resolve } from 'node:path';
import type { Command } from 'commander';
import { withFactory, type Factory } from '../factory.js';
import { UsageError } from '../output.js';
import { findEnvironment, loadProjects, TokenDeskError, writeUserFile } from '../../core/facade.js';

interface ExportOptions {
  default?: string;
  output: string;
  force?: boolean;
}

/**
 * `tokendesk project export NAME…`: a project file (tokendesk.json, docs/PROJECT-FILES.md) from existing
 * environments, for a team to commit. Never a secret: secret settings stay out, secret variables go by
 * name only, and the written text is held to the same guard a file read gets (so what export writes,
 * every teammate's TokenDesk reads).
 */
async function exportProject(f: Factory, names: string[], o: ExportOptions): Promise<void> {
  const cfg = await f.core().config.read();
  const envs = names.map((n) => findEnvironment(cfg, n));
  const ids = new Set<string>();
  for (const e of envs) {
    if (ids.has(e.id)) throw new UsageError(`"${e.name}" is named twice`);
    ids.add(e.id);
  }
  const lower = new Set(envs.map((e) => e.name.toLowerCase()));
  if (lower.size !== envs.length) throw new UsageError('two of these environments have the same name: a project file names each once');
  const def = o.default === undefined ? undefined : envs.find((e) => e.name.toLowerCase() === o.default!.trim().toLowerCase());
  if (o.default !== undefined && !def) throw new UsageError(`--default ${o.default}: not one of the environments exported (${envs.map((e) => e.name).join(', ')})`);
  const projects = await loadProjects();
  const text = `${JSON.stringify(projects.projectFileOf(envs, def?.name), null, 2)}\n`;
  const toStdout = o.output === '-';
  const target = toStdout ? '(standard output)' : resolve(o.output);
  // What a teammate's TokenDesk will check: the same parse, the same guard, before anything is written.
  projects.parseProjectFile(target, text);
  if (toStdout) {
    f.io.stdout.write(text);
    return;
  }
  // Whole or not at all: --force on a full disk keeps the team's old file instead of truncating it.
  await writeUserFile(target, text, { overwrite: o.force === true, mode: 0o644 }).catch((e: unknown) => {
    if (e instanceof TokenDeskError && e.code === 'already_exists') throw new UsageError(`${target} exists: pass --force to replace it`);
    throw e;
  });
  f.term.info(`Wrote ${target}: ${envs.length === 1 ? 'one environment' : `${envs.length} environments`}, no secret (each teammate adds their own keys with "tokendesk env edit")`);
}

export function registerProject(program: Command, f: Factory): void {
  const project = program.command('project').summary('project files: environments a team commits (tokendesk.json)').description(
    'project files (tokendesk.json): environments without secrets that a team commits next to its code.\n' +
      'In a folder under one (up to the repository root) the CLI offers its environments beside your own\n' +
      'and uses its default when --env is not given; your keys and sessions stay in your own vault.',
  );
  project
    .command('export')
    .summary('write a tokendesk.json from environments')
    .description('write a project file from existing environments: names of secrets, never their values')
    .argument('<names...>', 'the environments to put in it')
    .option('--default <name>', 'the environment a command under the file uses without --env')
    .option('-o, --output <file>', 'where to write it ("-" for standard output)', 'tokendesk.json')
    .option('--force', 'replace the file if it exists')
    .action(withFactory(f, exportProject));
}
