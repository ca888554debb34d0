import type { Command, Option } from 'commander';

/**
 * What shell completion knows, taken from the commander program itself when the script is printed, so
 * a new command or option completes without touching the scripts. Environment names are not in it:
 * the script asks `tokendesk __complete environments` (fast-complete.ts) each time, so they are current.
 */
export type ValueKind = { kind: 'environment' } | { kind: 'choices'; choices: string[] } | { kind: 'file' } | { kind: 'none' };

export interface CommandSpec {
  /** "" for tokendesk itself, "env add" for a subcommand. */
  path: string;
  subcommands: string[];
  /** Every spelling: --env and -e. */
  flags: string[];
  /** Spellings of the options that take a value, with what completes it. */
  valueOptions: Array<{ flags: string[]; value: ValueKind }>;
  /** What the positional arguments complete to, in order. */
  args: ValueKind[];
}

/** Positional arguments that name an existing environment. */
const ENVIRONMENT_ARGS = new Set(['env use', 'env show', 'env edit', 'env remove']);
const FILE_ARG = /file/i;

function optionValue(o: Option): ValueKind {
  if (o.attributeName() === 'env') return { kind: 'environment' };
  if (o.argChoices?.length) return { kind: 'choices', choices: [...o.argChoices] };
  if (FILE_ARG.test(o.long ?? '') || FILE_ARG.test(o.flags.split(/\s+/).pop() ?? '')) return { kind: 'file' };
  return { kind: 'none' };
}

function visible(cmd: Command): Command[] {
  return cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);
}

export function completionSpecs(program: Command): CommandSpec[] {
  const out: CommandSpec[] = [];
  const walk = (cmd: Command, path: string): void => {
    const options = cmd.options.filter((o) => !o.hidden);
    const spellings = (o: Option) => [o.long, o.short].filter((s): s is string => s !== undefined);
    out.push({
      path,
      subcommands: visible(cmd).map((c) => c.name()),
      flags: [...options.flatMap(spellings), '--help'],
      valueOptions: options.filter((o) => o.required || o.optional).map((o) => ({ flags: spellings(o), value: optionValue(o) })),
      args: cmd.registeredArguments.map((a): ValueKind => {
        if (ENVIRONMENT_ARGS.has(path)) return { kind: 'environment' };
        if (a.argChoices?.length) return { kind: 'choices', choices: [...a.argChoices] };
        return FILE_ARG.test(a.name()) ? { kind: 'file' } : { kind: 'none' };
      }),
    });
    for (const sub of visible(cmd)) walk(sub, path === '' ? sub.name() : `${path} ${sub.name()}`);
  };
  walk(program, '');
  return out;
}
