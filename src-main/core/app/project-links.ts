import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { durableWrite } from '../fs/durable-write.js';
import { removeStaleTempFiles } from '../fs/temp-files.js';
import { unwritableFile } from '../fs/write-failure.js';
import { readRegularFile } from '../fs/read-regular-file.js';
import { parseJson } from '../text/parse-json.js';
import { TokenDeskError } from '../errors.js';
import type { Core } from '../open.js';
import { readProjectFile } from '../projects/read.js';
import { syncProjectFile } from '../projects/sync.js';
import { patchedProjectText, type ProjectEnvironmentPatch } from '../projects/write-back.js';
import { secretKeys } from '../secrets/types.js';
import { settingsOf } from '../../contract/settings.js';
import type { Environment } from '../config/schema.js';
import type { ProjectFileView } from '../../contract/types.js';

export type { ProjectFileView };

/**
 * Writes the team's file in place of the old one, whole or not at all (durableWrite): a full disk, a
 * read-only checkout or a killed app leaves the old file. Its mode is kept (a group-writable checkout
 * stays so), and a temp file a killed write left in the repository is swept first, before anyone commits it.
 */
async function writeProjectFile(file: string, text: string): Promise<void> {
  await removeStaleTempFiles(file);
  // Windows keeps only a read-only bit in the mode: a read-only file's mode would make the temp file one
  // Windows cannot remove after a failed rename, so there the temp is plainly writable.
  const mode = process.platform === 'win32' ? 0o644 : await stat(file).then((st) => st.mode & 0o777, () => 0o644);
  await durableWrite(file, text, { mode }).catch((e: unknown) => {
    throw unwritableFile('file_unwritable', 'The edit', file, e);
  });
}

/** The files the app was given ("Open project file…"), kept apart from config.json: no other reader needs them. */
const LINKS_FILE = 'projects.json';
const LinksSchema = z.object({ version: z.literal(1), files: z.array(z.string().min(1).max(4096)).max(100) });

/** How long after the last change event the file is read again: an editor's save, a `git pull`, is several events. */
export const PROJECT_WATCH_DEBOUNCE_MS = 150;

/**
 * The app's project files (issue 24): linked once, read and synced into config.json (their
 * environments then appear like any other, grouped by file in the window), and watched, so an edit on
 * disk (a `git pull`) shows without a restart. Each file's folder is watched, not the file: editors and
 * git replace a file by renaming, which would orphan a watch on the file itself. A file that becomes
 * unusable (a secret added, a bad field) keeps its last synced environments and says why.
 */
export class ProjectLinks {
  private readonly views = new Map<string, ProjectFileView>();
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  readonly ready: Promise<void>;

  constructor(
    private readonly core: Pick<Core, 'home' | 'config' | 'envs' | 'secrets'>,
    /** Called after a file was read again (its environments may have changed, or it became unusable). */
    private readonly onChange: () => void,
  ) {
    this.ready = this.serial(async () => {
      for (const file of await this.stored()) {
        this.views.set(file, { file });
        // Nothing awaits `ready` with a catch: an unexpected failure (a lock or file-system error) is
        // this file's problem, shown on it, never an unhandled rejection that ends the app.
        await this.sync(file).catch((e: unknown) => {
          this.views.set(file, { file, error: `It could not be read now (${e instanceof Error ? e.message : String(e)}); it is read again when it changes` });
        });
        this.watchFile(file);
      }
    });
  }

  list(): ProjectFileView[] {
    return [...this.views.values()].map((v) => ({ ...v }));
  }

  /** Links a project file: read and checked first (a file with a secret is refused, nothing linked), then remembered and watched. */
  async link(path: string): Promise<ProjectFileView> {
    return this.serial(async () => {
      const loaded = await readProjectFile(path);
      await syncProjectFile(this.core, loaded);
      const known = this.views.has(loaded.file);
      this.views.set(loaded.file, { file: loaded.file });
      if (!known) {
        await this.save().catch((e: unknown) => {
          this.views.delete(loaded.file);
          throw unwritableFile('file_unwritable', 'The list of linked project files', this.linksFile, e);
        });
        this.watchFile(loaded.file);
      }
      return { file: loaded.file };
    });
  }

  /**
   * Edits a project environment in its file (the file is its source): the file's formatting and unknown
   * fields kept (projects/write-back.ts), checked by the secret guard before it is written, then synced.
   * `revision` is the text the form showed (env.project.revision), for a file linked here or one only the
   * CLI synced alike: without one nothing is written, since nothing tells what the form was made on.
   */
  async editInFile(envId: string, patch: ProjectEnvironmentPatch, revision: string | null): Promise<{ file: string }> {
    return this.serial(async () => {
      const env = await this.projectEnvironment(envId);
      const file = env.project!.file;
      const loaded = await readProjectFile(file);
      if (revision === null) {
        await this.sync(file);
        throw new TokenDeskError('revision_missing', `TokenDesk had not read ${file} as it is now (it was synced by an older TokenDesk): nothing was written. Close the form to see the file's values, then edit again`);
      }
      // Edited meanwhile (a `git pull`, an editor): the form shows the old values, so writing them would undo that change.
      if (loaded.revision !== revision) {
        await this.sync(file);
        throw new TokenDeskError('file_changed', `${file} changed on disk since this form was opened: nothing was written. Close the form to see the file's values, then edit again`);
      }
      const text = patchedProjectText(file, loaded.text, env.name, patch);
      await writeProjectFile(file, text);
      await this.sync(file);
      return { file };
    });
  }

  /** A copy of a project environment as the user's own (its keys copied too, from the vault), under `name`. */
  async copyToOwn(envId: string, name: string): Promise<Environment> {
    const env = await this.projectEnvironment(envId);
    const all = await this.core.secrets.loadAll();
    const secrets: Record<string, string> = {};
    for (const s of settingsOf(env.provider)) {
      const v = s.secret ? all.get(secretKeys.setting(env.id, s.name)) : undefined;
      if (v !== undefined) secrets[s.name] = v;
    }
    const secretVariables: Record<string, string> = {};
    for (const n of env.secretVariables ?? []) {
      const v = all.get(secretKeys.variable(env.id, n));
      if (v !== undefined) secretVariables[n] = v;
    }
    return this.core.envs.add({
      name,
      provider: env.provider,
      baseUrl: env.baseUrl,
      ...(env.label !== undefined && { label: env.label }),
      color: env.color,
      production: env.production,
      variables: { ...env.variables },
      secretVariables,
      variableNames: { ...env.variableNames },
      ...(env.accountTransport && { accountTransport: env.accountTransport }),
      settings: { ...env.settings },
      secrets,
    });
  }

  private async projectEnvironment(envId: string): Promise<Environment> {
    const env = (await this.core.config.read()).environments.find((e) => e.id === envId);
    if (!env?.project) throw new TokenDeskError('not_found', 'That environment is not one of a project file (it may have been removed)');
    return env;
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    for (const w of this.watchers.values()) w.close();
  }

  /** One read or sync at a time: two syncs of one file must not interleave their config writes. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Reads a file again into config.json. Only a linked file has a view: a file only the CLI synced, edited
   * in the window, is not made linked by it (the next save() would remember it, unwatched).
   */
  private async sync(file: string): Promise<void> {
    const linked = this.views.has(file);
    try {
      await syncProjectFile(this.core, await readProjectFile(file));
      if (linked) this.views.set(file, { file });
    } catch (e) {
      if (!(e instanceof TokenDeskError)) throw e;
      if (linked) this.views.set(file, { file, error: e.message });
    }
  }

  private watchFile(file: string): void {
    if (this.watchers.has(file) || this.closed) return;
    const name = basename(file);
    try {
      const w = watch(dirname(file), (_event, changed) => {
        if (changed !== null && changed !== name) return;
        clearTimeout(this.timers.get(file));
        this.timers.set(
          file,
          setTimeout(() => {
            void this.serial(() => this.sync(file)).then(() => !this.closed && this.onChange(), () => undefined);
          }, PROJECT_WATCH_DEBOUNCE_MS),
        );
      });
      w.on('error', () => undefined); // the folder went: the file's last environments stay
      this.watchers.set(file, w);
    } catch {
      // A folder that cannot be watched: the file is read again at the next start.
    }
  }

  private async stored(): Promise<string[]> {
    const bytes = await readRegularFile(this.linksFile, 1024 * 1024).catch(() => undefined);
    if (!bytes) return [];
    const parsed = parseJson(bytes.toString('utf8'));
    const r = parsed.ok ? LinksSchema.safeParse(parsed.value) : undefined;
    return r?.success ? r.data.files : [];
  }

  private async save(): Promise<void> {
    const doc = { version: 1, files: [...this.views.keys()] };
    // One save at a time (serial): a temp file beside it is a killed app's, never a live write's.
    await removeStaleTempFiles(this.linksFile);
    await durableWrite(this.linksFile, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
  }

  private get linksFile(): string {
    return join(this.core.home, LINKS_FILE);
  }
}
