import type { Environment } from '../config/schema.js';
import { escapeUnsafeInJson, sanitizeForDisplay } from '../text/sanitize.js';
import { exportVariables, omittedNotes, type ExportInput, type ExportOptions } from './model.js';

export interface JsonExport {
  environment: string;
  provider: Environment['provider'];
  identity: string | null;
  variables: Record<string, string>;
  /** What was left empty on purpose and why (the refresh token unless asked for). */
  omitted?: string[];
}

export function buildJsonExport(input: ExportInput, opts: ExportOptions): JsonExport {
  const variables: Record<string, string> = {};
  for (const v of exportVariables(input, opts)) variables[v.key] = v.value;
  const omitted = omittedNotes(input, opts);
  return {
    // Labels for people (the email came from a server): cleaned like any displayed text.
    environment: sanitizeForDisplay(input.env.name),
    provider: input.env.provider,
    identity: input.identityEmail === undefined ? null : sanitizeForDisplay(input.identityEmail),
    variables,
    ...(omitted.length > 0 && { omitted }),
  };
}

/**
 * Pretty-printed (2 spaces) with a trailing newline, ready for stdout or a file; line separators and
 * bidi controls left in a value are written as \u escapes (the same data, one line per variable).
 */
export function toJson(input: ExportInput, opts: ExportOptions): string {
  return `${escapeUnsafeInJson(JSON.stringify(buildJsonExport(input, opts), null, 2))}\n`;
}
