import { errorCode, errorMessage } from '../api/types.js';
import type { ImportResult } from '../../src-main/contract/types.js';
import type { DeskStore } from '../store.js';

const MAX = 5 * 1024 * 1024;

/** Selects the imported environment and shows the warnings, or says it was imported. */
async function done(store: DeskStore, fileName: string, result: ImportResult): Promise<void> {
  await store.getState().refresh();
  store.getState().select(result.environment.id);
  const signedOut = result.signedOut?.length ? `; signed out: ${result.signedOut.join(', ')}` : '';
  if (result.warnings.length > 0) store.getState().setDialog({ kind: 'import-result', result });
  else store.getState().toast('success', `${result.created ? 'Imported' : 'Updated'} ${result.environment.name}`, `from ${fileName}${signedOut}`);
}

/**
 * Reads the file as text, hands it to importPostman, selects the result and shows any warnings. A file
 * that would change an existing environment's URL is refused by the core with what it would do; that
 * is shown in a dialog, and only its confirm imports it.
 */
export async function importFile(store: DeskStore, file: File): Promise<void> {
  const { api, toast } = store.getState();
  if (file.size > MAX) {
    toast('error', `${file.name} was not imported`, 'The file is larger than 5 MB');
    return;
  }
  let text: string;
  try {
    text = await file.text();
    await done(store, file.name, await api.importPostman({ fileName: file.name, text }));
  } catch (e) {
    if (errorCode(e) !== 'confirmation_required') {
      toast('error', `${file.name} was not imported`, errorMessage(e));
      return;
    }
    const fileText = text!;
    store.getState().setDialog({
      kind: 'confirm',
      title: `Import ${file.name}?`,
      body: errorMessage(e).replace(/ Confirm to import it; nothing was changed$/, ''),
      confirmLabel: 'Change the URL and import',
      danger: true,
      onConfirm: async () => {
        const result = await store.getState().api.importPostman({ fileName: file.name, text: fileText, confirmUrlChange: true });
        // Not awaited: this dialog closes first, so a warnings dialog that follows is not closed with it.
        void done(store, file.name, result);
      },
    });
  }
}
