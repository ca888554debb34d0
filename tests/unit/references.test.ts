import { describe, expect, it } from 'vitest';
import { parseReference } from '../../src-main/core/references/reference.js';
import { parseEnvFile } from '../../src-main/core/references/env-file.js';
import { parseTemplate } from '../../src-main/core/references/template.js';
import { execCredential, rfc3339 } from '../../src-main/core/credential-helpers/kubectl.js';
import { parseCredentialRequest, renderCredential, safeTransport } from '../../src-main/core/credential-helpers/git.js';

describe('tokendesk:// references', () => {
  it('takes the last segment as the field, so names with spaces and slashes work; %XX is decoded', () => {
    expect(parseReference('tokendesk://Demo Supabase/token')).toEqual({ text: 'tokendesk://Demo Supabase/token', env: 'Demo Supabase', field: 'token' });
    expect(parseReference('tokendesk://team/eu/header')).toMatchObject({ env: 'team/eu', field: 'header' });
    expect(parseReference('tokendesk://what%3F/url')).toMatchObject({ env: 'what?', field: 'url' });
    expect(parseReference('tokendesk://staging/token?identity=id-42')).toMatchObject({ env: 'staging', field: 'token', who: 'id-42' });
    expect(parseReference('tokendesk://staging/token?email=a%2Bb@x.test')).toMatchObject({ who: 'a+b@x.test' });
  });

  it('refuses what it cannot read, saying what is wrong', () => {
    expect(() => parseReference('tokendesk://staging')).toThrow(/write tokendesk:\/\/ENVIRONMENT\/FIELD/);
    expect(() => parseReference('tokendesk://staging/')).toThrow(/write tokendesk:\/\/ENVIRONMENT\/FIELD/);
    expect(() => parseReference('tokendesk:///token')).toThrow(/write tokendesk:\/\/ENVIRONMENT\/FIELD/);
    expect(() => parseReference('tokendesk://a/b?identity=1&email=x')).toThrow(/give one of \?identity= or \?email=, once/);
    expect(() => parseReference('tokendesk://a/b?identity=')).toThrow(/\?identity= needs a value/);
    expect(() => parseReference('tokendesk://100%/b')).toThrow(/not a valid escape/);
    expect(() => parseReference('op://vault/item/field')).toThrow(/must start with tokendesk:\/\//);
  });
});

describe('env files (op run --env-file, dotenv)', () => {
  it('reads comments, export, quotes and inline comments; plain values pass, references are parsed', () => {
    const text = [
      '\uFEFF# a comment',
      '',
      'export A=tokendesk://staging/token',
      'B = "two words # kept" # a comment',
      "C='$NOT_EXPANDED \\n literal'",
      'D="line\\nbreak \\"quoted\\""',
      'E=bare value # comment',
      'F=',
      'G=x#y',
    ].join('\r\n');
    const entries = parseEnvFile(text, 'f.env');
    expect(entries.map((e) => [e.name, e.line, e.ref?.field ?? e.value])).toEqual([
      ['A', 3, 'token'],
      ['B', 4, 'two words # kept'],
      ['C', 5, '$NOT_EXPANDED \\n literal'],
      ['D', 6, 'line\nbreak "quoted"'],
      ['E', 7, 'bare value'],
      ['F', 8, ''],
      ['G', 9, 'x#y'],
    ]);
  });

  it('names the file and line of what it refuses', () => {
    expect(() => parseEnvFile('A=1\n9X=2\n', 'f.env')).toThrow('f.env, line 2: "9X" is not a variable name (letters, digits and _, not starting with a digit). Nothing was run');
    expect(() => parseEnvFile("A='open\n", 'f.env')).toThrow(/^f\.env, line 1: the value's single quote is not closed/);
    expect(() => parseEnvFile('A="x" y\n', 'f.env')).toThrow('f.env, line 1: unexpected text after the closing quote: y. Nothing was run');
    expect(() => parseEnvFile('\n\nA=tokendesk://x\n', 'f.env')).toThrow(/^f\.env, line 3: A: tokendesk:\/\/x: write/);
  });
});

describe('templates (op inject)', () => {
  it('cuts out {{ tokendesk://… }} with its line, and leaves other braces alone', () => {
    const parts = parseTemplate('a {{url}}\nb {{ tokendesk://s/token }} c\n{{tokendesk://s/header}}', 't');
    expect(parts).toEqual([
      { text: 'a {{url}}\nb ' },
      { ref: { text: 'tokendesk://s/token', env: 's', field: 'token' }, line: 2 },
      { text: ' c\n' },
      { ref: { text: 'tokendesk://s/header', env: 's', field: 'header' }, line: 3 },
      { text: '' },
    ]);
    expect(() => parseTemplate('x\n{{ tokendesk://nofield }}', 't')).toThrow(/^t, line 2: tokendesk:\/\/nofield: write .*Nothing was written$/);
  });
});

describe('kubectl ExecCredential', () => {
  const hour = 3_600_000;
  it('expires at the start of the renewal margin (scaled for short tokens), whole seconds in UTC', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0, 500);
    const c = execCredential({ accessToken: 't', obtainedAt: now, expiresAt: now + hour }, 120, now);
    expect(c).toEqual({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 't', expirationTimestamp: '2026-01-01T12:58:00Z' } });
    // A 60 s token: the margin is a quarter of its life (15 s).
    expect(execCredential({ accessToken: 't', obtainedAt: now, expiresAt: now + 60_000 }, 120, now).status.expirationTimestamp).toBe('2026-01-01T12:00:45Z');
    // Already inside the margin (a renewal failed): its real end.
    expect(execCredential({ accessToken: 't', obtainedAt: now - hour, expiresAt: now + 60_000 }, 120, now).status.expirationTimestamp).toBe('2026-01-01T12:01:00Z');
    expect(execCredential({ accessToken: 't', obtainedAt: now, expiresAt: now, noExpiry: true }, 120, now).status).toEqual({ token: 't' });
    expect(rfc3339(Date.UTC(2026, 5, 1, 1, 2, 3, 999))).toBe('2026-06-01T01:02:03Z');
  });
});

describe('git credential protocol', () => {
  it('reads key=value lines up to a blank line, keeps repeated keys, and refuses a value with a line break', () => {
    const req = parseCredentialRequest('protocol=https\nhost=git.example.test:8443\ncapability[]=authtype\ncapability[]=state\n\nignored=1\n');
    expect([...req.entries()]).toEqual([
      ['protocol', ['https']],
      ['host', ['git.example.test:8443']],
      ['capability[]', ['authtype', 'state']],
    ]);
    expect(() => parseCredentialRequest('no equals sign\n')).toThrow(/not key=value/);
    expect(renderCredential([['username', 'a'], ['password', 'b=c']])).toBe('username=a\npassword=b=c\n');
    expect(() => renderCredential([['password', 'a\nhost=evil']])).toThrow(/line break/);
  });

  it('hands a token over https, or over http only to this machine', () => {
    expect(safeTransport({ protocol: 'https', host: 'git.example.test' })).toBe(true);
    expect(safeTransport({ protocol: 'http', host: '127.0.0.1:8080' })).toBe(true);
    expect(safeTransport({ protocol: 'http', host: 'localhost' })).toBe(true);
    expect(safeTransport({ protocol: 'http', host: '[::1]:80' })).toBe(true);
    expect(safeTransport({ protocol: 'http', host: 'git.example.test' })).toBe(false);
    expect(safeTransport({ protocol: 'http', host: '127.0.0.1.evil.test' })).toBe(false);
  });
});
