import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { describeIssue, describeIssues, issuePath } from '../../src-main/contract/issues.js';

/** Real zod issues, so the formatter is held to what zod 4 actually produces. */
const issuesOf = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  if (r.success) throw new Error('expected a failure');
  return r.error.issues;
};

describe('one formatter for validation issues', () => {
  const Shape = z.object({ items: z.array(z.object({ name: z.string() })), baseUrl: z.string().url(), vars: z.record(z.string().regex(/^[a-z]+$/, 'bad name'), z.string()) });
  const issues = issuesOf(Shape, { items: [{ name: 1 }], baseUrl: 'nope', vars: { 'A B': 'x' } });

  it('spells a path with dots, or with brackets for array indexes as a file path reads', () => {
    expect(issuePath(['items', 0, 'name'])).toBe('items.0.name');
    expect(issuePath(['items', 0, 'name'], 'brackets')).toBe('items[0].name');
    expect(issuePath([0, 'a'], 'brackets')).toBe('[0].a');
    expect(issuePath([])).toBe('');
  });

  it('names the field, with the label the user knows and a nested record key’s own reason', () => {
    const text = describeIssues(issues, { labels: { baseUrl: 'URL', vars: 'variable' }, rootName: 'value' });
    expect(text).toMatch(/^items 0 name: Invalid input: expected string, received number; URL: Invalid URL; variable A B: bad name$/);
    expect(describeIssue(issues[0]!, { terse: true })).toBe('items.0.name: expected string');
  });

  it('an issue without a path: the root name when given, otherwise the message alone', () => {
    const [root] = issuesOf(z.string(), 5);
    expect(describeIssue(root!, { rootName: 'body', terse: true })).toBe('body: expected string');
    expect(describeIssue(root!)).toBe('Invalid input: expected string, received number');
    expect(describeIssues(issues, { max: 1 })).toBe('items.0.name: Invalid input: expected string, received number');
  });
});
