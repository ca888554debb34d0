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
