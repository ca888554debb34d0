/**
 * "Open project file…" in Electron (issue 24): the native open dialog's options and what its answer
 * means, kept apart from the `electron` import so they are tested without Electron. Electron filters by
 * extension only, so any .json can be chosen: linkProjectFile checks it as any project file.
 */
export const PROJECT_FILE_DIALOG = {
  title: 'Open project file',
  buttonLabel: 'Link',
  properties: ['openFile'] as Array<'openFile'>,
  filters: [
    { name: 'TokenDesk project file (tokendesk.json)', extensions: ['json'] },
    { name: 'All files', extensions: ['*'] },
  ],
};

/** The chosen file's path, or undefined when the dialog was cancelled (nothing is linked then). */
export function chosenFile(r: { canceled: boolean; filePaths: readonly string[] }): string | undefined {
  return r.canceled ? undefined : r.filePaths[0];
}
