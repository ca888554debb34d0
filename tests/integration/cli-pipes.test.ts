import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { CLI, cliFixture, collect, DEMO_SESSION, DEMO_SUPABASE, keychainUnreachable, stderrLines } from '../helpers/cli.js';
import { devFullMissing, signalsMissing, skipping, thisMachine } from '../helpers/platform-guards.js';

const unreachable = await keychainUnreachable();
const noDevFull = skipping('the full-device tests', devFullMissing(thisMachine()));
const noSignals = skipping('the signal-forwarding test', signalsMissing(thisMachine()));
const { demo: demoServer, signedIn, newHome } = cliFixture({ demo: true });


describe.skipIf(unreachable !== undefined)('tokendesk in pipes and scripts', { timeout: 60_000 }, () => {
  it('$(tokendesk token) in a real curl call that the protected endpoints accept', async () => {
    const h = await signedIn();
    const sb = await h.sh(
      `curl -sS -f "${demoServer().url}/rest/v1/profiles" -H "apikey: ${demoServer().anonKey}" -H "Authorization: Bearer $(tokendesk token --env '${DEMO_SUPABASE}')"`,
    );
    expect(sb.code, sb.stderr).toBe(0);
    expect(JSON.parse(sb.stdout)).toEqual([expect.objectContaining({ email: 'owner@connectgain.test', role: 'owner' })]);

    const sess = await h.sh(`curl -sS -f "${demoServer().url}/api/applications" -H "Authorization: Bearer $(tokendesk token --env '${DEMO_SESSION}')"`);
    expect(sess.code, sess.stderr).toBe(0);
    expect(Array.isArray(JSON.parse(sess.stdout))).toBe(true);

    // Without the token the endpoint refuses: the pipe is what made it pass.
    const anon = await h.sh(`curl -sS -o /dev/null -w '%{http_code}' "${demoServer().url}/api/applications"`);
    expect(anon.stdout).toBe('401');
  });

  it('header lines feed curl -H @file; the exported curl command runs as is', async () => {
    const h = await signedIn();
    const viaHeader = await h.sh(`tokendesk header --env '${DEMO_SUPABASE}' > h.txt && curl -sS -f -H @h.txt "${demoServer().url}/rest/v1/profiles"`);
    expect(viaHeader.code, viaHeader.stderr).toBe(0);
    expect(viaHeader.stdout).toContain('owner@connectgain.test');
    for (const env of [DEMO_SUPABASE, DEMO_SESSION]) {
      const curl = await h.sh(`eval "$(tokendesk export --env '${env}' --format curl) -sS -f"`);
      expect(curl.code, curl.stderr).toBe(0);
      expect(curl.stdout).toMatch(/owner@connectgain\.test|restricted@test\.com/);
    }
  });

  it('exec: the token, header, URL and variables in the child environment; exits with its status', async () => {
    const h = await signedIn();
    const token = (await h.run(['token', '--env', DEMO_SUPABASE])).stdout.trim();
    const r = await h.run([
      'exec', '--env', DEMO_SUPABASE, '--', 'sh', '-c',
      'printf "%s\\n" "$TOKENDESK_TOKEN" "$TOKENDESK_AUTH_HEADER" "$TOKENDESK_URL" "$TOKENDESK_ANON_KEY" "$TOKENDESK_API_KEY" "$TOKENDESK_USER_JWT_TOKEN" "$TOKENDESK_ORGANIZATION_ID" "${TOKENDESK_REFRESH_TOKEN-unset}" "$TOKENDESK_ENV"; exit 7',
    ]);
    expect(r.code).toBe(7);
    expect(r.stdout.split('\n').slice(0, 9)).toEqual([
      token,
      `Bearer ${token}`,
      demoServer().url,
      demoServer().anonKey,
      demoServer().apiKey,
      token,
      '40e9bb4c-3b1c-4e5b-8c7d-2f5a9b8e1c3d',
      'unset', // single-use: never handed to a child
      DEMO_SUPABASE,
    ]);

    // A real request from inside exec, with the session API's account variable.
    const app = await h.run(['exec', '--env', DEMO_SESSION, '--', 'sh', '-c', 'curl -sS -f -H "Authorization: $TOKENDESK_AUTH_HEADER" "$TOKENDESK_URL/api/applications" && echo "account=$TOKENDESK_ACCOUNT_ID"']);
    expect(app.code, app.stderr).toBe(0);
    expect(app.stdout).toContain('account=4100');

    // tokendesk inside exec finds the environment through TOKENDESK_ENV.
    const nested = await h.run(['exec', '--env', DEMO_SUPABASE, '--', 'sh', '-c', 'tokendesk token']);
    expect(nested.stdout.trim()).toBe(token);

    const missing = await h.run(['exec', '--env', DEMO_SUPABASE, '--', 'no-such-command-xyz']);
    expect(missing.code).toBe(127);
    expect(stderrLines(missing)).toEqual(['tokendesk: Command not found: no-such-command-xyz']);
  });

  it.skipIf(noDevFull !== undefined)('stdout on a full device (/dev/full): exit 1 and one line on stderr, no stack trace; a closed pipe stays a quiet exit', async () => {
    const h = newHome();
    const full = openSync('/dev/full', 'w');
    onTestFinished(() => closeSync(full));
    for (const args of [['status'], ['env', 'list', '--json'], ['--help']]) {
      const r = await collect(spawn(process.execPath, [CLI, ...args], { env: h.env(), cwd: h.work, stdio: ['ignore', full, 'pipe'] }));
      expect(r.code, args.join(' ')).toBe(1);
      expect(stderrLines(r), args.join(' ')).toEqual(['tokendesk: could not write to standard output: no space left on the device (ENOSPC)']);
    }
    // stderr just as full: nowhere to say it, the status still tells.
    const both = await collect(spawn(process.execPath, [CLI, 'status'], { env: h.env(), cwd: h.work, stdio: ['ignore', full, full] }));
    expect(both.code).toBe(1);
    // A failure that only needs stderr, on a full stderr: its own status, no crash.
    const errOnly = await collect(spawn(process.execPath, [CLI, 'env', 'show', 'nope'], { env: h.env(), cwd: h.work, stdio: ['ignore', 'pipe', full] }));
    expect(errOnly.code).toBe(1);
    expect(errOnly.stdout).toBe('');

    // `status | head -c 0`: the reader left before anything was written (EPIPE), which is not an error.
    const early = spawn(process.execPath, [CLI, 'status'], { env: h.env(), cwd: h.work, stdio: ['ignore', 'pipe', 'pipe'] });
    early.stdout.destroy();
    const closed = await collect(early);
    expect(closed.code).toBe(0);
    expect(closed.stderr).toBe('');
  });

  it.skipIf(noDevFull !== undefined)('token (its fast path writes fd 1 directly): a full device, a closed pipe and a full non-blocking pipe behave as the full CLI', async () => {
    const h = await signedIn();
    const token = (await h.run(['token', '--env', DEMO_SUPABASE])).stdout.trim();
    expect(token).toMatch(/^eyJ/);
    const full = openSync('/dev/full', 'w');
    onTestFinished(() => closeSync(full));
    for (const fast of ['1', '0']) {
      const env = { ...h.env(), TOKENDESK_FAST_PATH: fast };
      const r = await collect(spawn(process.execPath, [CLI, 'token', '--env', DEMO_SUPABASE], { env, cwd: h.work, stdio: ['ignore', full, 'pipe'] }));
      expect(r.code, `fast path ${fast}`).toBe(1);
      expect(stderrLines(r), `fast path ${fast}`).toEqual(['tokendesk: could not write to standard output: no space left on the device (ENOSPC)']);
      const early = spawn(process.execPath, [CLI, 'token', '--env', DEMO_SUPABASE], { env, cwd: h.work, stdio: ['ignore', 'pipe', 'pipe'] });
      early.stdout.destroy();
      const closed = await collect(early);
      expect(closed.code, `fast path ${fast}`).toBe(0);
      expect(closed.stderr).toBe('');
    }
    // A pipe left non-blocking by whoever set it up (O_NONBLOCK lives on the shared file description)
    // and already full: the direct write gets EAGAIN, and the rest must still arrive, whole, once read.
    const filler = 'f'.repeat(1024);
    const launcher = [
      'import fcntl, os, sys',
      'fcntl.fcntl(1, fcntl.F_SETFL, fcntl.fcntl(1, fcntl.F_GETFL) | os.O_NONBLOCK)',
      'n = 0',
      'try:',
      `    while True: n += os.write(1, b"${filler}")`,
      'except BlockingIOError: pass',
      'os.write(2, str(n).encode())',
      'os.execv(sys.argv[1], sys.argv[1:])',
    ].join('\n');
    // A shell pipeline, so fd 1 is a real pipe (Node's own stdio pipes are socket pairs), read half a second late.
    const pipeline = 'python3 -c "$LAUNCHER" "$NODE" "$CLI" token --env "$ENV_NAME" 2>prefill.txt | (sleep 0.5; cat)';
    const r = await collect(
      spawn('sh', ['-c', pipeline], { env: { ...h.env(), LAUNCHER: launcher, NODE: process.execPath, CLI, ENV_NAME: DEMO_SUPABASE }, cwd: h.work, stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    expect(r.code, r.stderr).toBe(0);
    const filled = readFileSync(join(h.work, 'prefill.txt'), 'utf8');
    const prefill = Number.parseInt(filled, 10);
    expect(prefill).toBeGreaterThan(0); // the pipe really was full before tokendesk started
    expect(r.stdout.length).toBe(prefill + token.length + 1);
    expect(r.stdout.slice(prefill)).toBe(`${token}\n`);
  });

  it.skipIf(noSignals !== undefined)('exec forwards signals to the command and dies by the same signal', async () => {
    const h = await signedIn();
    const child = spawn(process.execPath, [CLI, 'exec', '--env', DEMO_SUPABASE, '--', 'sh', '-c', 'trap "echo got-term; exit 42" TERM; echo ready; while :; do sleep 0.05; done'], {
      env: h.env(),
    });
    const done = collect(child, { timeoutMs: 20_000 });
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (d: Buffer) => {
        if (d.toString().includes('ready')) resolve();
      });
    });
    child.kill('SIGTERM');
    const r = await done;
    expect(r.stdout).toContain('got-term');
    expect(r.code).toBe(42); // the command handled it and chose its status

    // The process that says "ready" is the one that gets the signal (no shell between: a shell that
    // had not yet exec'd its command on a loaded machine would handle SIGINT itself).
    const waiter = "console.log('ready'); setInterval(() => {}, 1000)";
    const child2 = spawn(process.execPath, [CLI, 'exec', '--env', DEMO_SUPABASE, '--', process.execPath, '-e', waiter], { env: h.env() });
    const done2 = collect(child2, { timeoutMs: 20_000 });
    await new Promise<void>((resolve) => child2.stdout!.once('data', () => resolve()));
    child2.kill('SIGINT');
    const r2 = await done2;
    expect(r2.signal, JSON.stringify(r2)).toBe('SIGINT');
  });
});
