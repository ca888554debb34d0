import type { CommandSpec, ValueKind } from './completion-spec.js';

/**
 * The completion scripts, rendered from the program's specs (completion-spec.ts). Every word in them
 * is a command, option or choice name of ours (letters, digits, -): nothing a user typed is embedded.
 * Environment names come at completion time from `tokendesk __complete environments`, one per line.
 */
export type Shell = 'bash' | 'zsh' | 'fish';
export const SHELLS: readonly Shell[] = ['bash', 'zsh', 'fish'];

const words = (list: readonly string[]) => list.join(' ');

/** A shell `case` pattern for one command path ("" is tokendesk itself). */
const pattern = (path: string) => `'${path}'`;

function valueAction(v: ValueKind, shell: 'bash' | 'zsh'): string {
  switch (v.kind) {
    case 'environment':
      return '_tokendesk_environments';
    case 'choices':
      return shell === 'bash' ? `_tokendesk_words '${words(v.choices)}'` : `compadd -- ${words(v.choices)}`;
    case 'file':
      return shell === 'bash' ? '_tokendesk_files' : '_files';
    case 'none':
      return shell === 'bash' ? 'COMPREPLY=()' : ':';
  }
}

/** The parts bash and zsh share: which words are subcommands, which options take a value, what completes where. */
function tables(specs: readonly CommandSpec[], shell: 'bash' | 'zsh'): string {
  const lines: string[] = [];
  lines.push('_tokendesk_subcommands() {', '  case "$1" in');
  for (const s of specs) if (s.subcommands.length) lines.push(`    ${pattern(s.path)}) echo '${words(s.subcommands)}' ;;`);
  lines.push('  esac', '}');
  lines.push('_tokendesk_flags() {', '  case "$1" in');
  for (const s of specs) lines.push(`    ${pattern(s.path)}) echo '${words(s.flags)}' ;;`);
  lines.push('  esac', '}');
  // Options that take a value: the next word is that value, not a command or an argument.
  lines.push('_tokendesk_takes_value() {', '  case "$1|$2" in');
  const takes = specs.flatMap((s) => s.valueOptions.flatMap((o) => o.flags.map((f) => `'${s.path}|${f}'`)));
  if (takes.length) lines.push(`    ${takes.join('|')}) return 0 ;;`);
  lines.push('  esac', '  return 1', '}');
  lines.push('_tokendesk_option_value() {', '  case "$1|$2" in');
  for (const s of specs) for (const o of s.valueOptions) lines.push(`    ${o.flags.map((f) => `'${s.path}|${f}'`).join('|')}) ${valueAction(o.value, shell)} ;;`);
  lines.push(`    *) ${valueAction({ kind: 'none' }, shell)} ;;`, '  esac', '}');
  lines.push('_tokendesk_argument() {', '  case "$1|$2" in');
  for (const s of specs) s.args.forEach((a, i) => a.kind !== 'none' && lines.push(`    '${s.path}|${i}') ${valueAction(a, shell)} ;;`));
  lines.push(`    *) ${valueAction({ kind: 'none' }, shell)} ;;`, '  esac', '}');
  return lines.join('\n');
}

/**
 * The words before the cursor, read the way commander reads them: subcommands extend the path, an
 * option that takes a value skips its value, `--` ends our options (exec's command follows).
 */
const WALK = `  local cmdpath="" i w skip=0 npos=0 dashdash=0
  for ((i = 1; i < cword; i++)); do
    w="\${tw[i]}"
    if ((skip)); then skip=0; continue; fi
    case "$w" in
      --) dashdash=1; break ;;
      --*=*) ;;
      -*) _tokendesk_takes_value "$cmdpath" "$w" && skip=1 ;;
      *)
        if ((npos == 0)) && [[ " $(_tokendesk_subcommands "$cmdpath") " == *" $w "* ]]; then
          cmdpath="\${cmdpath:+$cmdpath }$w"
        else
          npos=$((npos + 1))
        fi ;;
    esac
  done`;

export function bashScript(specs: readonly CommandSpec[]): string {
  return `# tokendesk completion for bash. Load it with:  source <(tokendesk completion bash)
${tables(specs, 'bash')}
_tokendesk_words() {
  local IFS=$' \\t\\n'
  COMPREPLY=($(compgen -W "$1" -- "$cur"))
}
_tokendesk_files() {
  compopt -o filenames 2>/dev/null
  COMPREPLY=($(compgen -f -- "$cur"))
}
# Names may hold spaces: each is offered escaped (Demo\\ Supabase), or inside the quote already typed.
_tokendesk_environments() {
  local q="" typed="$cur" n names
  case "$typed" in \\"*|\\'*) q="\${typed:0:1}"; typed="\${typed:1}" ;; *) typed="\${typed//\\\\/}" ;; esac
  mapfile -t names < <(tokendesk __complete environments 2>/dev/null)
  COMPREPLY=()
  for n in "\${names[@]}"; do
    [[ "$n" == "$typed"* ]] || continue
    if [[ -n "$q" ]]; then COMPREPLY+=("$q$n$q"); else COMPREPLY+=("$(printf '%q' "$n")"); fi
  done
}
_tokendesk() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cword=$COMP_CWORD
  local -a tw=("\${COMP_WORDS[@]}")
${WALK}
  COMPREPLY=()
  if ((dashdash)); then _tokendesk_files; return 0; fi
  if ((skip)); then _tokendesk_option_value "$cmdpath" "\${tw[cword-1]}"; return 0; fi
  if [[ "$cur" == -* ]]; then _tokendesk_words "$(_tokendesk_flags "$cmdpath")"; return 0; fi
  local subs
  subs="$(_tokendesk_subcommands "$cmdpath")"
  if [[ -n "$subs" ]] && ((npos == 0)); then _tokendesk_words "$subs"; return 0; fi
  _tokendesk_argument "$cmdpath" "$npos"
  return 0
}
complete -F _tokendesk tokendesk
`;
}

export function zshScript(specs: readonly CommandSpec[]): string {
  return `#compdef tokendesk
# tokendesk completion for zsh. Load it with:  source <(tokendesk completion zsh)
# (or save it as _tokendesk in a folder on $fpath)
${tables(specs, 'zsh')}
_tokendesk_environments() {
  local -a names
  names=("\${(@f)$(tokendesk __complete environments 2>/dev/null)}")
  compadd -a names
}
_tokendesk() {
  local cword=$CURRENT cur="\${words[CURRENT]}"
  setopt localoptions ksharrays
  local -a tw=("\${words[@]}")
  (( cword = CURRENT - 1 ))
${WALK}
  if ((dashdash)); then _files; return; fi
  if ((skip)); then _tokendesk_option_value "$cmdpath" "\${tw[cword-1]}"; return; fi
  if [[ "$cur" == -* ]]; then compadd -- \${=$(_tokendesk_flags "$cmdpath")}; return; fi
  local subs
  subs="$(_tokendesk_subcommands "$cmdpath")"
  if [[ -n "$subs" ]] && ((npos == 0)); then compadd -- \${=subs}; return; fi
  _tokendesk_argument "$cmdpath" "$npos"
}
if [[ "$funcstack[1]" == _tokendesk ]]; then _tokendesk "$@"; else compdef _tokendesk tokendesk; fi
`;
}

/** fish: one `complete` line per command, option and choice; conditions on the subcommand seen. */
export function fishScript(specs: readonly CommandSpec[]): string {
  const lines = ['# tokendesk completion for fish. Load it with:  tokendesk completion fish | source', 'complete -c tokendesk -f'];
  const paths = new Set(specs.map((s) => s.path));
  // The command path so far, from the words fish has (subcommands only: options and values are skipped).
  lines.push(
    'function __tokendesk_path',
    '    set -l path',
    '    set -l words (commandline -opc)',
    '    for w in $words[2..-1]',
    '        switch $w',
    '            case "-*"',
    '                continue',
    '        end',
    '        set -l next (string join " " $path $w)',
    `        if contains -- "$next" ${[...paths].filter((p) => p !== '').map((p) => `'${p}'`).join(' ')}`,
    '            set path $path $w',
    '        end',
    '    end',
    '    string join " " $path',
    'end',
    // "$p" of an empty list is "": the top level compares equal to ''.
    'function __tokendesk_at',
    '    set -l p (__tokendesk_path)',
    '    test "$p" = "$argv[1]"',
    'end',
  );
  for (const s of specs) {
    const cond = `-n "__tokendesk_at '${s.path}'"`;
    for (const sub of s.subcommands) lines.push(`complete -c tokendesk ${cond} -a ${sub}`);
    for (const o of s.valueOptions) {
      const long = o.flags.find((x) => x.startsWith('--'))?.slice(2);
      const short = o.flags.find((x) => !x.startsWith('--'))?.slice(1);
      const spell = `${long ? ` -l ${long}` : ''}${short ? ` -s ${short}` : ''}`;
      const v = o.value;
      const values =
        v.kind === 'environment' ? " -x -a '(tokendesk __complete environments 2>/dev/null)'" : v.kind === 'choices' ? ` -x -a '${words(v.choices)}'` : v.kind === 'file' ? ' -r -F' : ' -x';
      lines.push(`complete -c tokendesk ${cond}${spell}${values}`);
    }
    const valued = new Set(s.valueOptions.flatMap((o) => o.flags));
    for (const f of s.flags.filter((x) => !valued.has(x) && x.startsWith('--'))) lines.push(`complete -c tokendesk ${cond} -l ${f.slice(2)}`);
    const first = s.args[0];
    if (first?.kind === 'environment') lines.push(`complete -c tokendesk ${cond} -a '(tokendesk __complete environments 2>/dev/null)'`);
    if (first?.kind === 'choices') lines.push(`complete -c tokendesk ${cond} -a '${words(first.choices)}'`);
    if (first?.kind === 'file') lines.push(`complete -c tokendesk ${cond} -F`);
  }
  return `${lines.join('\n')}\n`;
}
