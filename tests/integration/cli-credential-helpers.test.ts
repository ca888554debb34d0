import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CLI, cliFixture, collect, DEMO_SESSION, DEMO_SUPABASE, keychainUnreachable, type CliHome } from '../helpers/cli.js';
import { startDemoServer } from '../../src-main/core/demo-server/index.js';
import { movableClock } from '../helpers/clock.js';
import { startGitHttpServer } from '../helpers/git-http-server.js';
import { spawn } from 'node:child_process';

const unreachable = await keychainUnreachable();
const { demo, signedIn } = cliFixture({ demo: true });

/**
 * client.authentication.k8s.io/v1 ExecCredential as documented: kubernetes.io "client-go credential
 * plugins" and k8s.io/client-go/pkg/apis/clientauthentication/v1/types.go (ExecCredentialStatus:
 * expirationTimestamp *metav1.Time, token string, clientCertificateData/clientKeyData). metav1.Time is
 * RFC 3339 in JSON. Strict: a field kubectl does not know is a mistake of ours.
 */
const ExecCredentialV1 = z.strictObject({
  apiVersion: z.literal('client.authentication.k8s.io/v1'),
  kind: z.literal('ExecCredential'),
  spec: z.strictObject({ cluster: z.unknown().optional(), interactive: z.boolean().optional() }).optional(),
  status: z.strictObject({
    expirationTimestamp: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/).optional(),
    token: z.string().min(1),
    clientCertificateData: z.string().optional(),
    clientKeyData: z.string().optional(),
  }),
});

function jwtExp(token: string): number {
  return (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { exp: number }).exp;
}

/** Whether the demo server accepts this access token (GET /auth/v1/user with it). */
async function liveToken(token: string): Promise<string | undefined> {
  const r = await fetch(`${demo().url}/auth/v1/user`, { headers: { apikey: demo().anonKey, Authorization: `Bearer ${token}` } });
  return r.ok ? ((await r.json()) as { email: string }).email : undefined;
}

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

/** A throwaway self-signed certificate for 127.0.0.1: client-go sends exec credentials only over TLS. */
function selfSigned(dir: string): { key: string; cert: string } {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert]);
  if (r.status !== 0) throw new Error(`openssl: ${r.stderr.toString()}`);
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}
const hasGit = spawnSync('git', ['--version']).status === 0;

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return collect(spawn(cmd, args, { env, cwd }), { input, timeoutMs: 30_000 });
}

describe.skipIf(unreachable !== undefined)('kubectl exec credential plugin', { timeout: 90_000 }, () => {
  it('prints a v1 ExecCredential with the fresh token and, as expirationTimestamp, the start of the renewal margin', async () => {
    const h = await signedIn();
    const r = await h.run(['kubectl-credential', '--env', DEMO_SUPABASE]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const cred = ExecCredentialV1.parse(JSON.parse(r.stdout));
    expect(await liveToken(cred.status.token)).toBe('owner@connectgain.test');
    // Demo tokens live an hour; the default margin is 120 s: kubectl asks again 120 s before the end.
    expect(Date.parse(cred.status.expirationTimestamp!) / 1000).toBe(jwtExp(cred.status.token) - 120);

    // The session API's opaque token (no JWT) gets its server's expiry the same way.
    const s = ExecCredentialV1.parse(JSON.parse((await h.run(['kubectl-credential', '--env', DEMO_SESSION])).stdout));
    expect(s.status.token).toMatch(/^[0-9a-f]{64}$/);

    // kubectl asking for another version is told what to set.
    const old = await h.run(['kubectl-credential', '--env', DEMO_SUPABASE], { env: { KUBERNETES_EXEC_INFO: '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential"}' } });
    expect(old.code).toBe(1);
    expect(old.stderr).toBe('tokendesk: kubectl asked for client.authentication.k8s.io/v1beta1; set apiVersion: client.authentication.k8s.io/v1 in the kubeconfig\'s exec entry\n');
  });

  it('renews first when the token is inside the margin', async () => {
    const clock = movableClock();
    const server = await startDemoServer({ port: 0, accessTokenTtlSeconds: 600, now: clock.now });
    const h = await signedInAt(server.url, clock.now);
    try {
      const before = await h.runInProcess(['kubectl-credential', '--env', DEMO_SUPABASE], { now: clock.now });
      const first = ExecCredentialV1.parse(JSON.parse(before.stdout)).status.token;
      clock.advance(500_000); // 100 s left of 600: inside the 120 s margin
      const after = await h.runInProcess(['kubectl-credential', '--env', DEMO_SUPABASE], { now: clock.now });
      expect(after.code, after.stderr).toBe(0);
      const renewed = ExecCredentialV1.parse(JSON.parse(after.stdout)).status;
      expect(server.stats.refreshGrants).toBe(1);
      expect(renewed.token).not.toBe(first);
      expect(Date.parse(renewed.expirationTimestamp!) / 1000).toBe(jwtExp(renewed.token) - 120);
    } finally {
      await server.close();
    }
  });

  it.skipIf(!hasKubectl || !hasOpenssl)('kubectl itself runs the plugin and sends the token to the API server (skipped without kubectl and openssl on PATH)', async () => {
    const h = await signedIn();
    const seen: string[] = [];
    const tls = selfSigned(h.work);
    // A tiny "API server": accepts a request only with a bearer token the demo server accepts.
    const api = createServer(tls, (req, res) => {
      void (async () => {
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        const who = token ? await liveToken(token) : undefined;
        if (token) seen.push(token);
        if (!who) return res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"kind":"Status","apiVersion":"v1","status":"Failure","code":401}');
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ path: req.url, user: who }));
      })();
    });
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    try {
      const kube = join(h.work, 'kube');
      mkdirSync(kube);
      const config = [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        `- name: local\n  cluster:\n    server: https://127.0.0.1:${(api.address() as AddressInfo).port}\n    certificate-authority-data: ${Buffer.from(tls.cert).toString('base64')}`,
        'users:',
        `- name: td\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: tokendesk\n      args: [kubectl-credential, --env, "${DEMO_SUPABASE}"]\n      interactiveMode: Never`,
        'contexts:',
        '- name: local\n  context:\n    cluster: local\n    user: td',
        'current-context: local',
        '',
      ].join('\n');
      writeFileSync(join(kube, 'config'), config);
      const r = await run('kubectl', ['get', '--raw', '/api/tokendesk-check'], h.env({ KUBECONFIG: join(kube, 'config'), HOME: h.work }), h.work);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ path: '/api/tokendesk-check', user: 'owner@connectgain.test' });
      // Every request (the gcloud dispatcher asks /version first) carried the one token the plugin gave.
      expect(seen.length).toBeGreaterThanOrEqual(1);
      expect(new Set(seen).size).toBe(1);
    } finally {
      await new Promise((r) => api.close(r));
    }
  });
});

/** A fresh home on `url` with the owner signed in, on `now`'s clock. */
async function signedInAt(url: string, now: () => number): Promise<CliHome> {
  const { CliHome } = await import('../helpers/cli.js');
  const h = new CliHome();
  cleanupLater.push(() => h.cleanup());
  expect((await h.runInProcess(['demo-setup', '--url', url])).code).toBe(0);
  const login = await h.runInProcess(['login', '--env', DEMO_SUPABASE, '--email', 'owner@connectgain.test'], { input: 'demo-password\n', now });
  expect(login.code, login.stderr).toBe(0);
  return h;
}
const cleanupLater: Array<() => Promise<void>> = [];
import { afterEach } from 'vitest';
afterEach(async () => {
  for (const c of cleanupLater.splice(0)) await c();
});

describe.skipIf(unreachable !== undefined || !hasGit)('git credential helper', { timeout: 90_000 }, () => {
  it('answers get with the fresh token and its expiry for the environment\'s own host, nothing for another; store and erase succeed', async () => {
    const h = await signedIn();
    const host = new URL(demo().url).host;
    const token = (await h.runInProcess(['token', '--env', DEMO_SUPABASE])).stdout.trim();
    const get = await h.run(['git-credential', 'get', '--env', DEMO_SUPABASE], { input: `protocol=http\nhost=${host}\npath=team/repo.git\n\n` });
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toBe(`protocol=http\nhost=${host}\nusername=owner@connectgain.test\npassword=${token}\npassword_expiry_utc=${jwtExp(token)}\n`);

    // Both demo environments are on one host: without --env the helper says so and answers nothing.
    const ambiguous = await h.run(['git-credential', 'get'], { input: `protocol=http\nhost=${host}\n` });
    expect(ambiguous.code).toBe(0);
    expect(ambiguous.stdout).toBe('');
    const names = (JSON.parse((await h.runInProcess(['env', 'list', '--json'])).stdout) as Array<{ name: string }>).map((e) => e.name);
    expect(ambiguous.stderr).toBe(`tokendesk: warning: several environments are on ${host} (${names.join(', ')}): pass --env NAME to the helper\n`);

    const named = await h.run(['git-credential', 'get', '--env', DEMO_SESSION, '--username', 'ci'], { input: `protocol=http\nhost=${host}\n` });
    expect(named.stdout).toMatch(/^protocol=http\nhost=.*\nusername=ci\npassword=[0-9a-f]{64}\npassword_expiry_utc=\d+\n$/);

    for (const other of ['protocol=https\nhost=github.com\n', `protocol=https\nhost=evil.test\n`]) {
      const r = await h.run(['git-credential', 'get', '--env', DEMO_SUPABASE], { input: other });
      expect(r.code, other).toBe(0);
      expect(r.stdout, other).toBe('');
    }
    // Allowed with --host, but never over plain http to another machine.
    const plain = await h.run(['git-credential', 'get', '--env', DEMO_SUPABASE, '--host', 'git.example.test'], { input: 'protocol=http\nhost=git.example.test\n' });
    expect(plain.stdout).toBe('');
    expect(plain.stderr).toBe('tokendesk: warning: not handing a token to http://git.example.test: only https (or http to this machine)\n');
    const allowed = await h.run(['git-credential', 'get', '--env', DEMO_SUPABASE, '--host', 'git.example.test'], { input: 'protocol=https\nhost=git.example.test\nusername=me\n' });
    expect(allowed.stdout).toBe(`protocol=https\nhost=git.example.test\nusername=me\npassword=${token}\npassword_expiry_utc=${jwtExp(token)}\n`);

    // The only environment on the host is found without --env.
    for (const name of names.filter((n) => n !== DEMO_SUPABASE)) expect((await h.runInProcess(['env', 'remove', name, '--yes'])).code).toBe(0);
    const found = await h.run(['git-credential', 'get'], { input: `protocol=http\nhost=${host}\n` });
    expect(found.stdout).toContain(`password=${token}\n`);

    for (const op of ['store', 'erase']) {
      const r = await h.run(['git-credential', op, '--env', DEMO_SUPABASE], { input: `protocol=http\nhost=${host}\nusername=x\npassword=y\n` });
      expect(r.code, op).toBe(0);
      expect(r.stdout + r.stderr, op).toBe('');
    }
  });

  it('only the environments offered in this folder count: a project file synced elsewhere on the same host does not silence it; host:443 from git matches', async () => {
    const h = await signedIn();
    const host = new URL(demo().url).host;
    const token = (await h.runInProcess(['token', '--env', DEMO_SUPABASE])).stdout.trim();
    const names = (JSON.parse((await h.runInProcess(['env', 'list', '--json'])).stdout) as Array<{ name: string }>).map((e) => e.name);
    for (const name of names.filter((n) => n !== DEMO_SUPABASE)) expect((await h.runInProcess(['env', 'remove', name, '--yes'])).code).toBe(0);
    // A repository's file on the same host, synced when used there.
    const root = join(h.work, 'repo');
    mkdirSync(join(root, '.git'), { recursive: true });
    writeFileSync(join(root, 'tokendesk.json'), `${JSON.stringify({ version: 1, environments: [{ name: 'team', provider: 'session', url: demo().url }] })}\n`);
    const inRepo = (args: string[], input: string) => collect(spawn(process.execPath, [CLI, ...args], { env: h.env(), cwd: root }), { input });
    expect((await inRepo(['env', 'list'], '')).code).toBe(0);
    // Outside the repository the file's environment is not offered: the own one answers.
    const outside = await h.run(['git-credential', 'get'], { input: `protocol=http\nhost=${host}\n` });
    expect(outside.stderr).toBe('');
    expect(outside.stdout).toContain(`password=${token}\n`);
    // Inside it both are offered on that host: said, and nothing given.
    const inside = await inRepo(['git-credential', 'get'], `protocol=http\nhost=${host}\n`);
    expect(inside.stdout).toBe('');
    expect(inside.stderr).toContain(`several environments are on ${host}`);
    // git writes the port the remote URL spells: https://git.example.test:443/… asks for host:443.
    const port443 = await h.run(['git-credential', 'get', '--env', DEMO_SUPABASE, '--host', 'git.example.test'], { input: 'protocol=https\nhost=git.example.test:443\nusername=me\n' });
    expect(port443.stdout).toBe(`protocol=https\nhost=git.example.test:443\nusername=me\npassword=${token}\npassword_expiry_utc=${jwtExp(token)}\n`);
    expect((await h.runInProcess(['env', 'add', 'forge', '--provider', 'session', '--url', 'https://forge.example.test'])).code).toBe(0);
    const ownHost = await h.run(['git-credential', 'get', '--env', 'forge'], { input: 'protocol=https\nhost=forge.example.test:443\n' });
    // Matched (the helper went on to find a session, and there is none); a mismatch would answer nothing, silently.
    expect(ownHost.stdout).toBe('');
    expect(ownHost.stderr).toMatch(/sign in|signed in|login/i);
  });

  it('git credential fill and a real git clone over smart HTTP get the token from the helper', async () => {
    const h = await signedIn();
    const token = (await h.runInProcess(['token', '--env', DEMO_SUPABASE])).stdout.trim();
    const host = new URL(demo().url).host;
    const gitEnv = h.env({ HOME: h.work, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', GIT_ASKPASS: '', SSH_ASKPASS: '' });
    const helper = `!tokendesk git-credential --env '${DEMO_SUPABASE}'`;

    const fill = await run('git', ['-c', `credential.helper=${helper}`, 'credential', 'fill'], gitEnv, h.work, `protocol=http\nhost=${host}\n\n`);
    expect(fill.code, fill.stderr).toBe(0);
    expect(fill.stdout).toContain(`username=owner@connectgain.test\npassword=${token}\n`);

    // Another host: the helper answers nothing, git has no prompt to fall back on, so it fails without the token.
    const other = await run('git', ['-c', `credential.helper=${helper}`, 'credential', 'fill'], gitEnv, h.work, 'protocol=https\nhost=example.org\n\n');
    expect(other.code).not.toBe(0);
    expect(other.stdout + other.stderr).not.toContain(token);

    // A bare repository served by git http-backend; the server accepts the password only if the demo server accepts it as a token.
    const root = join(h.work, 'srv');
    mkdirSync(root);
    const seed = join(h.work, 'seed');
    for (const args of [['init', '-q', '-b', 'main', seed], ['-C', seed, '-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'hello'], ['clone', '-q', '--bare', seed, join(root, 'repo.git')]]) {
      const r = await run('git', args, gitEnv, h.work);
      expect(r.code, r.stderr).toBe(0);
    }
    const server = await startGitHttpServer(root, async (_user, password) => (await liveToken(password)) !== undefined);
    try {
      // The server is on 127.0.0.1 like the demo server, another port: allowed with --host.
      const gitHost = new URL(server.url).host;
      const cloneHelper = `${helper} --host ${gitHost}`;
      const clone = await run('git', ['-c', `credential.helper=${cloneHelper}`, 'clone', '-q', `${server.url}/repo.git`, 'cloned'], gitEnv, h.work);
      expect(clone.code, clone.stderr).toBe(0);
      expect(readFileSync(join(h.work, 'cloned', '.git', 'HEAD'), 'utf8')).toBe('ref: refs/heads/main\n');
      expect(server.passwords).toContain(token);

      // Without the helper, the same clone is refused.
      const refused = await run('git', ['clone', '-q', `${server.url}/repo.git`, 'refused'], gitEnv, h.work);
      expect(refused.code).not.toBe(0);
    } finally {
      await server.close();
    }
  });
});
void execFile;
