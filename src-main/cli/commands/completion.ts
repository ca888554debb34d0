import { Argument, type Command } from 'commander';
import { withFactory, type Factory } from '../factory.js';
import { completionSpecs } from '../completion-spec.js';
import { bashScript, fishScript, SHELLS, zshScript, type Shell } from '../completion-scripts.js';

function completion(f: Factory, shell: Shell, _o: unknown, cmd: Command): void {
  let root = cmd;
  while (root.parent) root = root.parent;
  const specs = completionSpecs(root);
  f.term.raw({ bash: bashScript, zsh: zshScript, fish: fishScript }[shell](specs));
}

export function registerCompletion(program: Command, f: Factory): void {
  program
    .command('completion')
    .summary('print a shell completion script (bash, zsh, fish)')
    .description('print the completion script for a shell: commands, options and environment names complete on Tab')
    .addArgument(new Argument('<shell>', 'the shell').choices([...SHELLS]))
    .addHelpText(
      'after',
      [
        '',
        'Load it in the current shell, or from your shell\'s start file:',
        '  bash:  source <(tokendesk completion bash)          (~/.bashrc)',
        '  zsh:   source <(tokendesk completion zsh)           (~/.zshrc, after compinit)',
        '  fish:  tokendesk completion fish | source           (~/.config/fish/config.fish)',
        'Environment names are read from the configuration at each Tab, so new ones complete at once.',
      ].join('\n'),
    )
    .action(withFactory(f, completion));

  // What the scripts call on Tab (index.ts answers it before the full CLI loads; this is the same answer
  // when the fast path is off). Hidden: not a command for people.
  program
    .command('__complete', { hidden: true })
    .argument('<what>')
    .action(
      withFactory(f, async (f2: Factory, what: string) => {
        if (what !== 'environments') return;
        const cfg = await f2.core().config.peek();
        const names = (cfg?.environments ?? []).map((e) => e.name);
        if (names.length > 0) f2.term.out(names.join('\n'));
      }),
    );
}
