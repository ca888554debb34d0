import { errorMessage } from '../api/types.js';
import type { DeskStore } from '../store.js';

const MAX = 5 * 1024 * 1024;

/** Reads the file as text, hands it to importPostman, selects the result and shows any warnings. */
export async function importFile(store: DeskStore, file: File): Promise<void> {
  const { api, toast } = store.getState();
  if (file.size > MAX) {
    toast('error', `${file.name} was not imported`, 'The file is larger than 5 MB');
    return;
  }
  try {
    const text = await file.text();
    const result = await api.importPostman({ fileName: file.name, text });
    await store.getState().refresh();
    store.getState().select(result.environment.id);
    if (result.warnings.length > 0) store.getState().setDialog({ kind: 'import-result', result });
    else toast('success', `${result.created ? 'Imported' : 'Updated'} ${result.environment.name}`, `from ${file.name}`);
  } catch (e) {
    toast('error', `${file.name} was not imported`, errorMessage(e));
  }
}
