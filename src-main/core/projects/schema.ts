import { z } from 'zod';
import { MAX_ENV_NAME_CHARS, STORED_KINDS } from '../stored-rules.js';
import { AccountTransportSchema, VariableRole } from '../config/schema.js';

/**
 * `tokendesk.json`: the environments a team commits next to its code (issue 24), without any secret.
 * Versioned like config.json; a file of a newer version is refused with its number, never guessed at.
 * Unknown fields are allowed (z.looseObject) so a newer TokenDesk's additions survive the app's
 * write-back (projects/write-back.ts); they are still held to the secret guard (guard.ts).
 * Documented in docs/PROJECT-FILES.md.
 */
export const PROJECT_FILE_NAME = 'tokendesk.json';
export const PROJECT_FILE_VERSION = 1;
/** Far above any real project file (a few KiB): a bigger file is not one. */
export const MAX_PROJECT_FILE_BYTES = 1024 * 1024;

const variableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'variable names start with a letter or _ and use letters, digits, _ . -').max(100);

export const ProjectEnvironmentSchema = z.looseObject({
  name: z.string().trim().min(1).max(MAX_ENV_NAME_CHARS),
  provider: z.enum(STORED_KINDS),
  url: z.url({ protocol: /^https?$/, error: 'enter an http(s) URL such as https://api.example.com' }),
  label: z.string().max(50).optional(),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'use a colour like #4f7cff').optional(),
  production: z.boolean().optional(),
  /** The kind's non-secret settings (catalogue `settings`); a secret one is refused (guard.ts, and the config schema's own check). */
  settings: z.record(z.string(), z.string().max(4096)).optional(),
  accountTransport: AccountTransportSchema.optional(),
  /** Non-secret variables with their values. */
  variables: z.record(variableName, z.string().max(4096)).optional(),
  /** Names of the variables each user fills in their own vault (`tokendesk env edit NAME --var …`): names only, never values. */
  secretVariables: z.array(variableName).max(200).optional(),
  /** Exported variable names, by role. */
  variableNames: z.partialRecord(VariableRole, z.string().min(1).max(100)).optional(),
});
export type ProjectEnvironment = z.infer<typeof ProjectEnvironmentSchema>;

export const ProjectFileSchema = z
  .looseObject({
    version: z.literal(PROJECT_FILE_VERSION),
    /** The environment a command run under this folder uses without --env. */
    default: z.string().min(1).max(MAX_ENV_NAME_CHARS).optional(),
    environments: z.array(ProjectEnvironmentSchema).max(100),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.environments.forEach((env, i) => {
      const key = env.name.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['environments', i, 'name'], message: `"${env.name}" is named twice in this file` });
      seen.add(key);
    });
    if (file.default !== undefined && !seen.has(file.default.toLowerCase())) {
      ctx.addIssue({ code: 'custom', path: ['default'], message: `"${file.default}" is not one of this file's environments` });
    }
  });
export type ProjectFile = z.infer<typeof ProjectFileSchema>;
