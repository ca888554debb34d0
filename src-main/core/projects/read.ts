import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { TokenDeskError } from '../errors.js';
import { FileTooLargeError, NotRegularFileError, readRegularFile } from '../fs/read-regular-file.js';
import { parseJson, TOO_DEEP_TEXT } from '../text/parse-json.js';
import { describeIssue } from '../../contract/issues.js';
import { MAX_PROJECT_FILE_BYTES, PROJECT_FILE_VERSION, ProjectFileSchema, type ProjectFile } from './schema.js';
import { secretInProjectFile } from './guard.js';
import { checkProjectEnvironments } from './convert.js';

export interface LoadedProjectFile {
  /** The file's real path (symbolic links resolved): part of its environments' identity. */
  file: string;
  project: ProjectFile;
  /** The text as read, for a write-back that keeps its formatting (write-back.ts). */
  text: string;
  /** The text's revision (textRevision): kept with its environments, so an edit made on an older text is refused. */
  revision: string;
}

/** A text's revision: what an edit in the window was made on, compared with the file before it is written. */
export function textRevision(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** A project file's problem as the user reads it: the file, the field, the reason; never the value. */
function invalid(file: string, what: string): TokenDeskError {
  return new TokenDeskError('invalid_input', `The project file ${file} is not used: ${what}`);
}

/**
 * Parses a project file's text: JSON, then the secret guard on every field (first, so a secret is
 * named even in an otherwise broken file), then the schema and each environment against its kind's
 * declared settings (the rules config.json holds them to).
 */
export function parseProjectFile(file: string, text: string): ProjectFile {
  const parsed = parseJson(text.startsWith('\uFEFF') ? text.slice(1) : text);
  if (!parsed.ok) throw invalid(file, parsed.problem === 'too_deep' ? `it is ${TOO_DEEP_TEXT}` : 'it is not valid JSON');
  const secret = secretInProjectFile(parsed.value);
  if (secret) throw invalid(file, `${secret.path}: ${secret.why}. A project file holds no secret; remove it from the file (and from the repository's history)`);
  const version = (parsed.value as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > PROJECT_FILE_VERSION) {
    throw invalid(file, `it was written for a newer TokenDesk (format version ${version}, this one reads ${PROJECT_FILE_VERSION}); update TokenDesk`);
  }
  const result = ProjectFileSchema.safeParse(parsed.value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw invalid(file, issue ? describeIssue(issue, { pathStyle: 'brackets', terse: true }) : 'it does not match the project file format');
  }
  const problem = checkProjectEnvironments(file, result.data);
  if (problem) throw invalid(file, problem);
  return result.data;
}

/** Reads and checks the project file at `path` (a regular file, at most 1 MiB; links resolved first). */
export async function readProjectFile(path: string): Promise<LoadedProjectFile> {
  let file: string;
  try {
    file = await realpath(path);
  } catch (e) {
    throw new TokenDeskError('not_found', `The project file ${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'I/O error'})`, { cause: e });
  }
  let text: string | undefined;
  try {
    text = (await readRegularFile(file, MAX_PROJECT_FILE_BYTES))?.toString('utf8');
  } catch (e) {
    if (e instanceof NotRegularFileError) throw invalid(file, `it is not a regular file (${e.kind})`);
    if (e instanceof FileTooLargeError) throw invalid(file, `it is larger than ${MAX_PROJECT_FILE_BYTES / 1024 / 1024} MiB`);
    throw invalid(file, `it cannot be read (${(e as NodeJS.ErrnoException).code ?? 'I/O error'})`);
  }
  if (text === undefined) throw new TokenDeskError('not_found', `The project file ${file} is gone`);
  return { file, project: parseProjectFile(file, text), text, revision: textRevision(text) };
}
