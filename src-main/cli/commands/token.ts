import type { Command } from 'commander';
import { exportInput, freshToken } from '../fresh.js';
import { emailOption, identityOption, envOption } from './common.js';
import { withFactory, type Factory } from '../factory.js';
import { authHeaders } from '../../core/facade.js';
import { parseDuration } from '../duration.js';

interface TargetOptions {
  env: string;
  email?: string;
}

/**
 * Only the token on stdout, so `$(tokendesk token --env staging)` works; warnings go to stderr.
 * --min-valid renews first when less is left, and fails when even a renewed token would not last.
 * (The fast path, cli/fast-args.ts, takes only --env and --email, so this always comes here.)
 */
async function token(f: Factory, o: TargetOptions & { minValid?: string }): Promise<void> {
  const minValidMs = o.minValid === undefined ? undefined : parseDuration(o.minValid, '--min-valid');
  const fresh = await freshToken(f, o.env, o.email, minValidMs);
  f.term.out(fresh.session.accessToken);
}

async function header(f: Factory, o: TargetOptions): Promise<void> {
  const fresh = await freshToken(f, o.env, o.email);
  const headers = authHeaders(await exportInput(f, fresh));
  f.term.out(headers.map((h) => `${h.name}: ${h.value}`).join('\n'));
}

export function registerToken(program: Command, f: Factory): void {
  program
    .command('token')
    .summary('print only the access token (kept fresh)')
    .description('print the access token (renewed first when it is about to expire), and nothing else')
    .addOption(envOption())
    .addOption(emailOption())
    .addOption(identityOption())
    .option('--min-valid <duration>', 'renew first unless the token has this much life left (90s, 10m, 1h); fail if it cannot')
    .addHelpText('after', '\nExample:\n  curl -H "Authorization: Bearer $(tokendesk token --env staging)" https://api.example.com/me')
    .action(withFactory(f, token));

  program
    .command('header')
    .summary("print a request's auth header lines")
    .description('print the header lines a request needs (apikey, Authorization, X-API-Key), one per line')
    .addOption(envOption())
    .addOption(emailOption())
    .addOption(identityOption())
    .addHelpText('after', '\nExample (bash; curl reads header lines from a file with -H @file):\n  curl -H @<(tokendesk header --env staging) https://api.example.com/me')
    .action(withFactory(f, header));
}
