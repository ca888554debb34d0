/**
 * The one formatter for schema validation issues (zod's `issues`), for every message that names a
 * bad field: API calls, the configuration, imported files, server answers, environment input. Each
 * caller picks how a path reads; the rules (which issue, how a path is spelled, what a nested record
 * key's reason is) live here once. zod 4 messages never echo the input, so a secret cannot leak
 * through one. No runtime imports: the contract is bundled into the preload and the renderer.
 */

export interface IssueLike {
  readonly path: ReadonlyArray<PropertyKey>;
  readonly message: string;
  readonly code?: string;
  readonly expected?: unknown;
  /** A bad record key or union branch nests its real reason here ("Invalid key in record" says nothing). */
  readonly issues?: ReadonlyArray<IssueLike>;
}

export interface IssueFormat {
  /** `dots`: a.0.b (the default); `brackets`: a[0].b, as JSON paths read in a file. */
  pathStyle?: 'dots' | 'brackets';
  /** The first path segment as the user knows it (`baseUrl` -> `URL`); later segments are joined with spaces. */
  labels?: Readonly<Record<string, string>>;
  /** What an issue without a path is called; without one, the message stands alone. */
  rootName?: string;
  /** "expected string" for a wrong type instead of zod's sentence, and no "Invalid input:" prefix. */
  terse?: boolean;
}

/** A path as text: `a.0.b` or `a[0].b`. */
export function issuePath(path: ReadonlyArray<PropertyKey>, style: IssueFormat['pathStyle'] = 'dots'): string {
  if (style === 'dots') return path.map(String).join('.');
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out;
}

function messageOf(issue: IssueLike, fmt: IssueFormat): string {
  const nested = issue.issues?.[0]?.message;
  if (nested !== undefined) return nested;
  if (!fmt.terse) return issue.message;
  return issue.code === 'invalid_type' && issue.expected !== undefined ? `expected ${String(issue.expected)}` : issue.message.replace(/^Invalid input:\s*/i, '');
}

/** `where: message` for one issue (`where` per `fmt`); just the message when it has no path and no rootName. */
export function describeIssue(issue: IssueLike, fmt: IssueFormat = {}): string {
  let where: string;
  if (fmt.labels && issue.path.length > 0) {
    const [field, ...rest] = issue.path.map(String);
    where = [fmt.labels[field!] ?? field, ...rest].join(' ');
  } else {
    where = issue.path.length > 0 ? issuePath(issue.path, fmt.pathStyle) : (fmt.rootName ?? '');
  }
  const message = messageOf(issue, fmt);
  return where ? `${where}: ${message}` : message;
}

/** The first `max` issues (default all), described and joined with `separator` ("; "). */
export function describeIssues(issues: ReadonlyArray<IssueLike>, fmt: IssueFormat & { max?: number; separator?: string } = {}): string {
  return issues
    .slice(0, fmt.max ?? issues.length)
    .map((i) => describeIssue(i, fmt))
    .join(fmt.separator ?? '; ');
}
