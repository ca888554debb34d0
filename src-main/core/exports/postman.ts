import { TokenDeskError } from '../errors.js';
import { sanitizeForDisplay } from '../text/sanitize.js';
import { exportVariables, type ExportInput, type ExportOptions } from './model.js';

export const EXPORTED_USING = 'TokenDesk/0.1.0';

export interface PostmanEnvironmentValue {
  key: string;
  value: string;
  type: 'secret' | 'default';
  enabled: boolean;
}

/** Postman environment export (../shared/docs/export-formats.md §3a). */
export interface PostmanEnvironment {
  id: string;
  name: string;
  values: PostmanEnvironmentValue[];
  _postman_variable_scope: 'environment';
  _postman_exported_at: string;
  _postman_exported_using: string;
}

/**
 * Secrets are written as `type: "secret"` (masked in Postman's UI); Postman 12's `secret: true` form is
 * only read, not written, since it is not confirmed against Postman itself.
 */
export function toPostmanEnvironment(input: ExportInput, opts: ExportOptions, now: Date = new Date()): PostmanEnvironment {
  return {
    // Stable: the file it came from, else the environment's own id, so importing a newer export (into
    // Postman or TokenDesk) updates the environment instead of adding a copy.
    id: input.env.postmanId ?? input.env.id,
    name: sanitizeForDisplay(input.env.name),
    values: exportVariables(input, opts).map((v) => ({
      key: v.key,
      value: v.value,
      type: v.secret ? 'secret' : 'default',
      enabled: true,
    })),
    _postman_variable_scope: 'environment',
    _postman_exported_at: now.toISOString(),
    _postman_exported_using: EXPORTED_USING,
  };
}

/**
 * Postman's bulk-edit format: one `key:value` line per variable (Postman splits at the first colon),
 * for pasting into an environment's or a collection's "Bulk Edit" box. No trailing newline.
 */
export function toPostmanBulkEdit(input: ExportInput, opts: ExportOptions): string {
  return exportVariables(input, opts)
    .map((v) => {
      // A colon in the key or a line break anywhere would turn into another variable on paste.
      if (/[:\r\n\u2028\u2029]/.test(v.key)) throw new TokenDeskError('invalid_input', `The variable name ${JSON.stringify(v.key)} cannot be written in Postman's bulk-edit format (it has a colon or a line break)`);
      if (/[\r\n\u2028\u2029]/.test(v.value)) throw new TokenDeskError('invalid_input', `The value of ${v.key} has a line break: Postman's bulk-edit format cannot hold it (export the environment file instead)`);
      return `${v.key}:${v.value}`;
    })
    .join('\n');
}
