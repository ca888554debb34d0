import type { ApiMethod, ApiOutput, ApiParsedInput } from '../../contract/api.js';
import type { AppEvent } from '../../contract/types.js';

/**
 * The contract implemented on top of the core, shared by the Electron IPC handlers and the web
 * bridge. `copy` always returns the text and `saveExport` the file content: the shell decides where
 * they go (Electron: the main-process clipboard and a save dialog, stripping them from the answer;
 * web: back to the page). `openExternal` is the shell's job too: the core refuses it (`unsupported`),
 * Electron's dispatch opens allow-listed links, and on the web the page's links open themselves.
 */
export interface AppService {
  handle<M extends ApiMethod>(method: M, input: ApiParsedInput<M>): Promise<ApiOutput<M>>;
  onEvent(listener: (e: AppEvent) => void): () => void;
  /** The OS woke from sleep: renew what fell due at once. */
  onResume?(): Promise<void>;
  close(): Promise<void>;
}
