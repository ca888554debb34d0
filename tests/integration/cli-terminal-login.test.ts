import { describe, expect, it } from 'vitest';
import { cliFixture, DEMO_SESSION, keychainUnreachable, onTerminal } from '../helpers/cli.js';
import { ptyMissing, skipping, thisMachine } from '../helpers/platform-guards.js';

/**
 * `login` on a real terminal asks for what is missing, as `gh auth login` does: the environment, the
 * email, whether to remember the password, then the password without echo. Driven through a
 * pseudo-terminal (tests/helpers/pty-run.py, Python's pty module), since a pipe never gets questions.
 */
const unreachable = skipping('the terminal login tests', ptyMissing(thisMachine())) ?? (await keychainUnreachable());
const { demoHome } = cliFixture({ demo: true });

describe.skipIf(unreachable !== undefined)('tokendesk login on a terminal', { timeout: 60_000 }, () => {
  it('asks for the environment, the email, remembering and the password, then signs in with the password from the hidden prompt', async () => {
    const h = await demoHome();
    const r = await onTerminal(h.env(), ['login'], [
      ['Choose 1-5: ', '2\r'],
      ['Email for Demo session API: ', 'restricted@test.com\r'],
      ['\\[y/N\\] ', 'y\r'],
      ['Password for restricted@test\\.com', 'stringstring\r'],
    ]);
    expect(r.unanswered, r.output).toEqual([]);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/Which environment\?[\s\S]*2\) Demo session API/);
    expect(r.output).toContain('Signed in to "Demo session API" as restricted@test.com');
    // Whether typed-ahead characters show before the hidden prompt takes the terminal is the terminal's
    // echo, not ours: the password is written only after the prompt appears, but on a loaded machine
    // the pty can still echo it, so this test does not assert on echo.
    const status = await h.run(['status', '--env', DEMO_SESSION]);
    expect(status.stdout).toMatch(/remembered password/);
  });
});
