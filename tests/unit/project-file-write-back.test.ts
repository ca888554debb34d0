import { describe, expect, it } from 'vitest';
import { patchedProjectText } from '../../src-main/core/projects/write-back.js';
import { parseProjectFile } from '../../src-main/core/projects/read.js';

const FILE = '/repo/tokendesk.json';
const text = `{
    "version": 1,
    "teamOwner": "platform",
    "environments": [
        { "name": "staging", "url": "https://staging.example.com", "provider": "session", "ticket": "OPS-12" },
        { "name": "prod", "provider": "session", "url": "https://api.example.com", "production": true }
    ]
}
`;

describe('project file write-back (the app edits an environment in its file)', () => {
  it('keeps key order, indentation, unknown fields and the final newline; a new field goes last', () => {
    const out = patchedProjectText(FILE, text, 'Staging', { url: 'https://staging2.example.com', color: '#16a34a' });
    const lines = out.split('\n');
    expect(lines[1]).toBe('    "version": 1,');
    expect(lines[2]).toBe('    "teamOwner": "platform",');
    expect(out.endsWith('}\n')).toBe(true);
    // The file's own order (the schema's parse would reorder keys: the text is what the team sees in a diff).
    expect(Object.keys((JSON.parse(out) as { environments: object[] }).environments[0]!)).toEqual(['name', 'url', 'provider', 'ticket', 'color']);
    const staging = parseProjectFile(FILE, out).environments[0]!;
    expect(staging.url).toBe('https://staging2.example.com');
    expect((staging as Record<string, unknown>).ticket).toBe('OPS-12');
    expect(parseProjectFile(FILE, out).environments[1]).toEqual({ name: 'prod', provider: 'session', url: 'https://api.example.com', production: true });
  });

  it('null removes a field; a secret is refused with the field named and nothing returned', () => {
    const out = patchedProjectText(FILE, text, 'prod', { production: null });
    expect(parseProjectFile(FILE, out).environments[1]!.production).toBeUndefined();
    expect(() => patchedProjectText(FILE, text, 'prod', { variables: { db_password: 'hunter2hunter2' } })).toThrow(/environments\[1\]\.variables\.db_password/);
    expect(() => patchedProjectText(FILE, text, 'nope', { color: '#000000' })).toThrow(/no environment named "nope"/);
  });
});

/** A file's text from its lines, with the line ending the team's editor uses. */
const lines = (eol: string, ...ls: string[]): string => `${ls.join(eol)}${eol}`;

describe('project file write-back changes only the edited values in the text (a one-field edit is a one-line diff)', () => {
  const crlf = lines(
    '\r\n',
    '{',
    '  "version": 1,',
    '  "x-team": { "owner": "platform", "channel": "#ops" },',
    '  "environments": [',
    '    {',
    '      "name": "staging",',
    '      "provider": "session",',
    '      "url": "https://staging.example.com",',
    '      "color": "#4f7cff",',
    '      "variables": { "region": "eu" },',
    '      "secretVariables": ["a", "b"],',
    '      "accountTransport": { "kind": "header", "name": "X-Account-Id" },',
    '      "settings": { "loginPath": "/login", "sessionPath": "/me" }',
    '    },',
    '    { "name": "prod", "provider": "session", "url": "https://api.example.com", "production": true, "ticket": "OPS-12" }',
    '  ]',
    '}',
  );

  it('CRLF line endings, one-line objects and arrays and unknown fields stay as they are: only the colour changes', () => {
    expect(patchedProjectText(FILE, crlf, 'staging', { color: '#16a34a' })).toBe(crlf.replace('"#4f7cff"', '"#16a34a"'));
  });

  it('a one-line object stays on its line: a changed value in place, a new key beside its siblings, a dropped key with its comma', () => {
    const out = patchedProjectText(FILE, crlf, 'staging', { variables: { region: 'us', tier: 'gold' }, settings: { loginPath: '/v2/login' } });
    expect(out).toBe(crlf.replace('{ "region": "eu" }', '{ "region": "us", "tier": "gold" }').replace('{ "loginPath": "/login", "sessionPath": "/me" }', '{ "loginPath": "/v2/login" }'));
  });

  it('a key removed from a one-line environment, and a new one added to it, keep its line', () => {
    const out = patchedProjectText(FILE, crlf, 'prod', { production: null, label: 'live' });
    expect(out).toBe(crlf.replace('"production": true, "ticket": "OPS-12" }', '"ticket": "OPS-12", "label": "live" }'));
  });

  it('4-space indentation: new keys go after the last one on their own lines, a new object indented one step in; a removed key takes its comma', () => {
    const file = lines('\n', '{', '    "version": 1,', '    "environments": [', '        {', '            "name": "staging",', '            "provider": "session",', '            "production": false,', '            "url": "https://staging.example.com",', '            "secretVariables": ["a"]', '        }', '    ]', '}');
    const out = patchedProjectText(FILE, file, 'staging', { production: null, label: 'EU', settings: { loginPath: '/login' } });
    expect(out).toBe(
      lines('\n', '{', '    "version": 1,', '    "environments": [', '        {', '            "name": "staging",', '            "provider": "session",', '            "url": "https://staging.example.com",', '            "secretVariables": ["a"],', '            "label": "EU",', '            "settings": {', '                "loginPath": "/login"', '            }', '        }', '    ]', '}'),
    );
  });

  it('tab indentation and CRLF: a new object is written with tabs and CRLF; the first key removed keeps the next one\'s line', () => {
    const file = lines('\r\n', '{', '\t"version": 1,', '\t"environments": [', '\t\t{', '\t\t\t"label": "old",', '\t\t\t"name": "staging",', '\t\t\t"provider": "session",', '\t\t\t"url": "https://staging.example.com",', '\t\t\t"notes": ["keep", "me"]', '\t\t}', '\t]', '}');
    const out = patchedProjectText(FILE, file, 'staging', { label: null, variables: { org: '42' } });
    expect(out).toBe(lines('\r\n', '{', '\t"version": 1,', '\t"environments": [', '\t\t{', '\t\t\t"name": "staging",', '\t\t\t"provider": "session",', '\t\t\t"url": "https://staging.example.com",', '\t\t\t"notes": ["keep", "me"],', '\t\t\t"variables": {', '\t\t\t\t"org": "42"', '\t\t\t}', '\t\t}', '\t]', '}'));
  });

  it('an emptied object stays an object on its line; a removed key\'s line goes whole', () => {
    const out = patchedProjectText(FILE, crlf, 'staging', { variables: {}, accountTransport: null });
    expect(out).toBe(crlf.replace('"variables": { "region": "eu" }', '"variables": {}').replace('      "accountTransport": { "kind": "header", "name": "X-Account-Id" },\r\n', ''));
  });
});
