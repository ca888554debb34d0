import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliFixture, keychainUnreachable, type CliHome } from '../helpers/cli.js';

const unreachable = await keychainUnreachable();
const { demoHome } = cliFixture({ demo: true });

const has = (shell: string) => spawnSync(shell, ['-c', 'exit 0']).status === 0;

/**
 * Completes `line` (the cursor at its end) with the real bash: the script is sourced, COMP_WORDS and
 * COMP_CWORD set as bash's readline would (words split on blanks, a trailing blank starts an empty
 * word), the completion function called, and COMPREPLY printed one per line.
 */
function complete(h: CliHome, script: string, words: string[]): string[] {
  const file = join(h.work, 'tokendesk.bash');
  writeFileSync(file, script);
  const arr = words.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('bash', ['-c', `source ${JSON.stringify(file)}; COMP_WORDS=(${arr}); COMP_CWORD=${words.length - 1}; COMP_LINE="\${COMP_WORDS[*]}"; _tokendesk; printf '%s\\n' "\${COMPREPLY[@]}"`], {
    env: h.env(),
    cwd: h.work,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.split('\n').filter((l) => l !== '');
}

/**
 * zsh's answer for `line`: the script is sourced and its function called as the completion system
 * would (words, CURRENT, PREFIX), with compadd standing in for the widget that shows the candidates:
 * it prints those that start with the word under the cursor, as zsh's default matching does.
 */
function completeZsh(h: CliHome, file: string, line: string): string[] {
  const driver = [
    'compdef() { : }',
    '_files() { : }',
    `source ${JSON.stringify(file)}`,
    'compadd() { setopt localoptions noksharrays; if [[ $1 == -a ]]; then set -- "${(@P)2}"; elif [[ $1 == -- ]]; then shift; fi; local w; for w in "$@"; do [[ $w == ${PREFIX}* ]] && print -r -- "$w"; done; return 0 }',
    'words=("${(@Q)${(z)LINE}}")',
    "[[ $LINE == *' ' ]] && words+=('')",
    'CURRENT=${#words}',
    'PREFIX=${words[-1]}',
    '_tokendesk',
  ].join('\n');
  const r = spawnSync('zsh', ['-f', '-c', driver], { env: { ...h.env(), LINE: line }, cwd: h.work, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.split('\n').filter((l) => l !== '');
}

/** fish's own answer for `line` (`complete -C`), the candidates without their descriptions. */
function completeFish(h: CliHome, file: string, line: string): string[] {
  const r = spawnSync('fish', ['--no-config', '-c', `source ${JSON.stringify(file)}; complete -C ${JSON.stringify(line)}`], { env: h.env(), cwd: h.work, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t')[0]!);
}

describe.skipIf(unreachable !== undefined)('shell completion', { timeout: 90_000 }, () => {
  it.skipIf(!has('bash'))('bash completes commands, subcommands, options, choices and environment names read at Tab time', async () => {
    const h = await demoHome();
    const out = await h.run(['completion', 'bash']);
    expect(out.code, out.stderr).toBe(0);
    expect(spawnSync('bash', ['-n'], { input: out.stdout }).status).toBe(0);
    const s = out.stdout;
    const names = (JSON.parse((await h.runInProcess(['env', 'list', '--json'])).stdout) as Array<{ name: string }>).map((e) => e.name);
    expect(names).toContain('Demo Supabase');

    expect(complete(h, s, ['tokendesk', 'ex'])).toEqual(['export', 'exec']);
    expect(complete(h, s, ['tokendesk', 'k'])).toEqual(['kubectl-credential']);
    expect(complete(h, s, ['tokendesk', 'env', ''])).toEqual(['add', 'use', 'list', 'show', 'edit', 'remove']);
    expect(complete(h, s, ['tokendesk', 'token', '--e'])).toEqual(['--env', '--email']);
    expect(complete(h, s, ['tokendesk', 'exec', '--env'])).toEqual(['--env', '--envfile']);
    // Every environment, escaped for the shell; a prefix narrows; an opening quote is kept.
    expect(complete(h, s, ['tokendesk', 'token', '--env', ''])).toEqual(names.map((n) => n.replace(/ /g, '\\ ')));
    expect(complete(h, s, ['tokendesk', 'token', '-e', 'Demo\\ Su'])).toEqual(['Demo\\ Supabase']);
    expect(complete(h, s, ['tokendesk', 'login', '--env', '"Demo Su'])).toEqual(['"Demo Supabase"']);
    expect(complete(h, s, ['tokendesk', 'env', 'use', 'Demo\\ Su'])).toEqual(['Demo\\ Supabase']);
    // An option's value is skipped when finding the command: `--env X` then a subcommand's options.
    expect(complete(h, s, ['tokendesk', '--help'])).toEqual(['--help']);
    expect(complete(h, s, ['tokendesk', 'export', '--env', 'Demo\\ Supabase', '--format', 'p'])).toEqual(['postman', 'postman-script']);
    expect(complete(h, s, ['tokendesk', 'git-credential', ''])).toEqual(['get', 'store', 'erase']);
    expect(complete(h, s, ['tokendesk', 'completion', ''])).toEqual(['bash', 'zsh', 'fish']);
    // After --, exec's command: files of the current folder, nothing of ours.
    writeFileSync(join(h.work, 'run-me.sh'), '');
    expect(complete(h, s, ['tokendesk', 'exec', '--', 'run-'])).toEqual(['run-me.sh']);
    expect(complete(h, s, ['tokendesk', 'inject', '-i', 'run-'])).toEqual(['run-me.sh']);
    // A URL path is not a file: nothing offered.
    expect(complete(h, s, ['tokendesk', 'env', 'add', 'x', '--login-path', 'run-'])).toEqual([]);

    // A new environment completes at once: the names are read at each Tab, not baked into the script.
    expect((await h.runInProcess(['env', 'add', 'Staging EU', '--provider', 'session', '--url', 'https://api.example.test'])).code).toBe(0);
    expect(complete(h, s, ['tokendesk', 'switch', '--env', 'Stag'])).toEqual(['Staging\\ EU']);
  });

  it('the Tab query answers from the config alone, and prints nothing rather than an error when it cannot', async () => {
    const h = await demoHome();
    const fast = await h.run(['__complete', 'environments']);
    expect(fast.code).toBe(0);
    expect(fast.stderr).toBe('');
    const names = (JSON.parse((await h.runInProcess(['env', 'list', '--json'])).stdout) as Array<{ name: string }>).map((e) => e.name);
    expect(fast.stdout).toBe(`${names.join('\n')}\n`);
    // The full CLI gives the same answer (the fast path off).
    const full = await h.run(['__complete', 'environments'], { env: { TOKENDESK_FAST_PATH: '0' } });
    expect(full.stdout).toBe(fast.stdout);
    // No configuration folder: no names, no error.
    const none = await h.run(['__complete', 'environments'], { env: { TOKENDESK_HOME: join(h.work, 'nothing-here') } });
    expect(none).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  // The same answers from zsh and fish, each running the script it was given (CI installs both).
  for (const shell of ['zsh', 'fish'] as const) {
    it.skipIf(!has(shell))(`${shell} completes commands, choices and environment names read at Tab time (needs ${shell}; CI installs it)`, async () => {
      const h = await demoHome();
      const out = await h.run(['completion', shell]);
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout).toContain('tokendesk __complete environments');
      const file = join(h.work, `tokendesk.${shell}`);
      writeFileSync(file, out.stdout);
      const check = spawnSync(shell, ['-n', file], { encoding: 'utf8' });
      expect(check.status, check.stderr).toBe(0);
      const names = (JSON.parse((await h.runInProcess(['env', 'list', '--json'])).stdout) as Array<{ name: string }>).map((e) => e.name);
      // Sorted: fish lists candidates in its own order.
      const tab = (line: string) => (shell === 'zsh' ? completeZsh(h, file, line) : completeFish(h, file, line)).sort();

      expect(tab('tokendesk ex')).toEqual(['exec', 'export']);
      expect(tab('tokendesk env ')).toEqual(['add', 'edit', 'list', 'remove', 'show', 'use']);
      expect(tab('tokendesk export --format p')).toEqual(['postman', 'postman-script']);
      expect(tab('tokendesk token --env ')).toEqual([...names].sort());
      expect((await h.runInProcess(['env', 'add', 'Staging EU', '--provider', 'session', '--url', 'https://api.example.test'])).code).toBe(0);
      expect(tab('tokendesk switch --env Stag')).toEqual(['Staging EU']);
    });
  }
});
