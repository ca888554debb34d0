import { randomUUID } from 'node:crypto';
import { exportVariables, type ExportInput, type ExportOptions } from './model.js';

export const EXPORTED_USING = 'TokenDesk/0.1.0';

export interface PostmanEnvironmentValue {
  key: string;
  value: string;
  type: 'secret' | 'default';
  enabled: boolean;
}

/** Postman environment export (export-formats.md §3a). */
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
    id: randomUUID(),
    name: input.env.name,
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
