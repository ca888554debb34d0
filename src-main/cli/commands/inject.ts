import type { Command } from 'commander';
import { withFactory, type Factory } from '../factory.js';
import { readUserFile, resolveWith } from '../references.js';
import { parseTemplate, writePrivateFile } from '../../core/facade.js';

interface InjectOptions {
  inFile?: string;
  outFile?: string;
  force?: boolean;
  yes?: boolean;
}

/**
 * `op inject` for TokenDesk: a template's `{{ tokendesk://ENV/FIELD }}` references replaced by fresh
 * values. Everything is resolved before a byte is written, so a bad reference leaves no half file.
 */
async function inject(f: Factory, o: InjectOptions): Promise<void> {
  const source = o.inFile ?? '-';
  const name = source === '-' ? 'standard input' : source;
  const parts = parseTemplate(await readUserFile(f, source, 'template'), name);
  const refs = parts.flatMap((p) => ('ref' in p ? [{ ref: p.ref, where: `${name}, line ${p.line}` }] : []));
  // Into a file, a production environment's secrets need --yes, as `export` asks; on stdout they are the user's, like `token`.
  const values = await resolveWith(f, refs, { productionSecrets: o.outFile === undefined || o.yes === true });
  let next = 0;
  const text = parts.map((p) => ('ref' in p ? values[next++]! : p.text)).join('');
  if (o.outFile === undefined) return f.term.raw(text);
  await writePrivateFile(o.outFile, text, { overwrite: o.force === true });
  f.term.errLine(`Wrote ${o.outFile} (${refs.length} reference${refs.length === 1 ? '' : 's'} filled in; readable by you only)`);
}

export function registerInject(program: Command, f: Factory): void {
  program
    .command('inject')
    .summary('fill tokendesk:// references into a file')
    .description('render a template: each {{ tokendesk://ENVIRONMENT/FIELD }} is replaced by a fresh value')
    .option('-i, --in-file <file>', 'the template (default: standard input)')
    .option('-o, --out-file <file>', 'where to write (mode 0600; default: standard output)')
    .option('-f, --force', 'replace the output file if it exists')
    .option('-y, --yes', "allow writing a production environment's secrets to the file")
    .addHelpText(
      'after',
      [
        '',
        'References: tokendesk://ENVIRONMENT/FIELD[?identity=ID|?email=EMAIL] inside {{ }}, where FIELD is token,',
        'header (the Authorization value), headers, refresh_token, or an exported variable (url, anon_key…).',
        'Other {{ }} (Postman variables, Helm) pass through. A bad reference names its line; nothing is written.',
        "A production environment's secrets go into a file only with --yes (as export asks).",
        '',
        'Example:',
        "  printf 'Authorization: {{ tokendesk://staging/header }}\\n' > request.tpl",
        '  tokendesk inject -i request.tpl -o request.txt',
      ].join('\n'),
    )
    .action(withFactory(f, inject));
}
