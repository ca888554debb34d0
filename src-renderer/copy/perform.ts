import type { ApiInput, CopyItem } from '../../src-main/contract/api.js';
import { errorMessage } from '../api/types.js';
import type { DeskStore } from '../store.js';
import { downloadFile, writeClipboard } from './web-clipboard.js';

/** Every copy's toast is the same one, updated: repeated copies do not stack over the token panel. */
const COPY_SLOT = { slot: 'copy' };

export function copiedText(label: string, clearsInSeconds: number | null, omitted: readonly string[] = []): { text: string; detail: string } {
  const clears = clearsInSeconds === null ? 'The clipboard is not cleared automatically' : clearsInSeconds > 0 ? `Clipboard clears in ${clearsInSeconds} s` : 'Clipboard is not cleared (disabled in settings)';
  // What was left out on purpose (the single-use refresh token) is said, so nobody wonders where it went.
  return { text: `Copied ${label}`, detail: omitted.length ? `${clears}. ${omitted.join(' ')}` : clears };
}

/**
 * Asks the main process for the item; Electron writes the clipboard itself, the web shell gets the text
 * back and writes it here. The toast says what, for whom, where, and when the clipboard clears.
 * Returns the error message (for an inline error) or undefined.
 */
export async function performCopy(store: DeskStore, envId: string, item: CopyItem): Promise<string | undefined> {
  const { api, toast } = store.getState();
  try {
    const r = await api.copy({ envId, item });
    if (r.text !== undefined) {
      await writeClipboard(r.text, r.clearsInSeconds, (cleared) => {
        if (cleared) store.getState().toast('info', 'Clipboard cleared', `It held the ${r.label}`, COPY_SLOT);
      });
    }
    const { text, detail } = copiedText(r.label, r.clearsInSeconds, r.omitted);
    toast('success', text, detail, COPY_SLOT);
    return undefined;
  } catch (e) {
    const msg = errorMessage(e);
    toast('error', 'Nothing was copied', msg, COPY_SLOT);
    return msg;
  }
}

/** What the window saves: the Postman environment (with or without secrets) and the live pair's environment or script. */
export type SaveFormat = Extract<ApiInput<'saveExport'>['format'], 'postman' | 'postman-live' | 'postman-script'>;

const SAVED: Record<SaveFormat, { what: string; detail: (includeSecrets: boolean) => string }> = {
  postman: { what: 'Postman environment', detail: (s) => (s ? 'It contains secrets: keep it out of shared workspaces' : 'Secrets were left out') },
  'postman-live': { what: 'live Postman environment', detail: (s) => (s ? 'It holds the endpoint’s secret and no token: keep it to yourself' : 'The endpoint’s secret was left out') },
  'postman-script': { what: 'Postman pre-request script', detail: () => 'No secret in it' },
};

export async function performExport(store: DeskStore, envId: string, includeSecrets: boolean, format: SaveFormat = 'postman'): Promise<string | undefined> {
  const { api, toast, includeRefreshToken } = store.getState();
  const { what, detail } = SAVED[format];
  try {
    const r = await api.saveExport({ envId, format, includeSecrets, includeRefreshToken: format === 'postman' && includeSecrets && includeRefreshToken });
    if (r.fileName !== undefined && r.content !== undefined) {
      downloadFile(r.fileName, r.content);
      toast('success', `Downloaded ${r.fileName}`, detail(includeSecrets));
    } else if (r.savedTo) {
      // The file's name is short; its folder is where the save dialog put it.
      toast('success', `Saved ${what}`, r.savedTo.split(/[\\/]/).pop() ?? r.savedTo);
    }
    return undefined;
  } catch (e) {
    const msg = errorMessage(e);
    toast('error', `The ${what} was not saved`, msg);
    return msg;
  }
}
