import { describe, expect, it } from 'vitest';
import { cliFixture, DEMO_SUPABASE, keychainUnreachable, onTerminal, stderrLines } from '../helpers/cli.js';
import { ptyMissing, skipping, thisMachine } from '../helpers/platform-guards.js';

/**
 * Issue 25: `switch` and `logout` without --email offer a numbered choice on a terminal (a pipe gets
 * one line naming --email, or keeps signing out the active identity), and removing a production
 * environment asks first (a pipe needs --yes, exit 2), as the window's dialog does.
 */
const unreachable = skipping('the terminal choice tests', ptyMissing(thisMachine())) ?? await keychainUnreachable();
const { demoHome, newHome } = cliFixture({ demo: true });

/** The demo Supabase environment with two identities signed in: owner, then agent (the active one). */
async function twoIdentities() {
  const h = await demoHome();
  for (const email of ['owner@connectgain.test', 'agent@connectgain.test']) {
    const r = await h.runInProcess(['login', '--env', DEMO_SUPABASE, '--email', email], { input: 'demo-password\n' });
    expect(r.code, r.stderr).toBe(0);
  }
  return h;
}

async function identities(h: Awaited<ReturnType<typeof twoIdentities>>): Promise<Array<{ email: string; active: boolean }>> {
  const show = await h.runInProcess(['env', 'show', DEMO_SUPABASE, '--json']);
  return (JSON.parse(show.stdout) as { identities: Array<{ email: string; active: boolean }> }).identities;
}

describe.skipIf(unreachable !== undefined)('CLI choices on a terminal (issue 25)', { timeout: 90_000 }, () => {
  it('switch without --email lists the identities on a terminal and makes the chosen one active', async () => {
    const h = await twoIdentities();
    const r = await onTerminal(h.env(), ['switch', '--env', DEMO_SUPABASE], [['Choose 1-2: ', '1\r']]);
    expect(r.unanswered, r.output).toEqual([]);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/1\) owner@connectgain\.test\r?\n\s*2\) agent@connectgain\.test \(active\)/);
    expect(r.output).toContain(`Active identity in "${DEMO_SUPABASE}": owner@connectgain.test`);
    expect(await identities(h)).toContainEqual(expect.objectContaining({ email: 'owner@connectgain.test', active: true }));
  });

  it('switch without --email in a pipe names --email in one line, exits 2 and changes nothing', async () => {
    const h = await twoIdentities();
    const r = await h.runInProcess(['switch', '--env', DEMO_SUPABASE]);
    expect(r.code).toBe(2);
    expect(stderrLines(r)).toEqual([expect.stringContaining('--email')]);
    expect(await identities(h)).toContainEqual(expect.objectContaining({ email: 'agent@connectgain.test', active: true }));
  });

  it('logout without --email asks which identity on a terminal and signs out only that one', async () => {
    const h = await twoIdentities();
    const r = await onTerminal(h.env(), ['logout', '--env', DEMO_SUPABASE], [['Choose 1-2: ', '1\r']]);
    expect(r.unanswered, r.output).toEqual([]);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain(`Signed out owner@connectgain.test from "${DEMO_SUPABASE}"`);
    // The active identity kept its session: its token is still handed out.
    const token = await h.runInProcess(['token', '--env', DEMO_SUPABASE, '--email', 'agent@connectgain.test']);
    expect(token.code, token.stderr).toBe(0);
    const gone = await h.runInProcess(['token', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test']);
    expect(gone.code).toBe(4);
  });

  it('logout without --email in a pipe still signs out the active identity without asking', async () => {
    const h = await twoIdentities();
    const r = await h.runInProcess(['logout', '--env', DEMO_SUPABASE]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Signed out agent@connectgain.test from "${DEMO_SUPABASE}"`);
  });

  it('env remove of a production environment asks on a terminal; "n" keeps it, "y" removes it', async () => {
    const h = newHome();
    const add = await h.runInProcess(['env', 'add', 'prod', '--provider', 'session', '--url', 'https://api.example.com', '--production']);
    expect(add.code, add.stderr).toBe(0);
    const no = await onTerminal(h.env(), ['env', 'remove', 'prod'], [['\\[y/N\\] ', 'n\r']]);
    expect(no.unanswered, no.output).toEqual([]);
    expect(no.output).toContain('Remove the production environment "prod"');
    expect(no.code).toBe(1);
    expect(JSON.parse((await h.runInProcess(['env', 'list', '--json'])).stdout)).toHaveLength(1);
    const yes = await onTerminal(h.env(), ['env', 'remove', 'prod'], [['\\[y/N\\] ', 'y\r']]);
    expect(yes.code, yes.output).toBe(0);
    expect(yes.output).toContain('Removed environment "prod"');
    expect(JSON.parse((await h.runInProcess(['env', 'list', '--json'])).stdout)).toEqual([]);
  });

  it('env remove of a production environment in a pipe needs --yes (exit 2, nothing removed); a non-production one does not', async () => {
    const h = newHome();
    await h.runInProcess(['env', 'add', 'prod', '--provider', 'session', '--url', 'https://api.example.com', '--production']);
    await h.runInProcess(['env', 'add', 'dev', '--provider', 'session', '--url', 'http://localhost:3000']);
    const refused = await h.runInProcess(['env', 'remove', 'prod']);
    expect(refused.code).toBe(2);
    expect(stderrLines(refused)).toEqual([expect.stringMatching(/production environment.*--yes/)]);
    expect(JSON.parse((await h.runInProcess(['env', 'list', '--json'])).stdout)).toHaveLength(2);
    expect((await h.runInProcess(['env', 'remove', 'prod', '--yes'])).code).toBe(0);
    expect((await h.runInProcess(['env', 'remove', 'dev'])).code).toBe(0);
    expect(JSON.parse((await h.runInProcess(['env', 'list', '--json'])).stdout)).toEqual([]);
  });
});
