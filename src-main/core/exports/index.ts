import { TokenDeskError } from '../errors.js';
import { escapeUnsafeInJson } from '../text/sanitize.js';
import { toCurl } from './curl.js';
import { toDotenv } from './dotenv.js';
import { toJson } from './json.js';
import type { ExportInput } from './model.js';
import { toPostmanEnvironment } from './postman.js';

export { SECRET_ROLES, isSecretRole, variableName, type Provider } from './names.js';
export { exportVariables, omittedNotes, REFRESH_TOKEN_OMITTED, type ExportInput, type ExportOptions, type ExportVariable } from './model.js';
export { authHeaders, accessTokenHeader, accountHeader, accountQuery, withAccountQuery, REDACTED, type AuthHeader } from './headers.js';
export {
  toPostmanEnvironment,
  toPostmanBulkEdit,
  EXPORTED_USING,
  type PostmanEnvironment,
  type PostmanEnvironmentValue,
} from './postman.js';
export { toCurl, shellQuote, joinUrl, defaultCurlPath, type CurlOptions } from './curl.js';
export { toDotenv, dotenvKey, dotenvValue } from './dotenv.js';
export { toJson, buildJsonExport, type JsonExport } from './json.js';
export { parsePostmanFile, roleOfVariable, MAX_IMPORT_BYTES, type ImportedEnvironment } from './import.js';

export const EXPORT_FORMATS = ['postman', 'curl', 'dotenv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface RenderOptions {
  includeSecrets: boolean;
  /** Supabase refresh token: left out unless true (model.ts ExportOptions). */
  includeRefreshToken?: boolean;
  /** curl only. */
  path?: string;
  method?: string;
  /** postman only: the export timestamp. */
  now?: Date;
}

/**
 * One entry point for the CLI, the export dialog and the bridge. File formats end with a newline; the
 * curl line does not, so pasting a copied command into a terminal never runs it by itself.
 */
export function renderExport(format: ExportFormat, input: ExportInput, opts: RenderOptions): string {
  switch (format) {
    case 'postman':
      // Values keep their data; a raw line separator or bidi control becomes a \u escape (text/sanitize.ts).
      return `${escapeUnsafeInJson(JSON.stringify(toPostmanEnvironment(input, opts, opts.now), null, 2))}\n`;
    case 'json':
      return toJson(input, opts);
    case 'dotenv':
      return toDotenv(input, opts);
    case 'curl':
      return toCurl(input, opts);
    default: {
      const unknown: never = format;
      throw new TokenDeskError('invalid_input', `Unknown export format "${String(unknown)}"`);
    }
  }
}
