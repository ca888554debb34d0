import { useState } from 'react';
import type { EnvironmentView } from '../../src-main/contract/types.js';
import { useAction } from '../lib/use-action.js';
import { useDesk, useDeskStore } from '../store.js';
import { Button } from '../ui/Button.js';
import { InlineError } from '../ui/Field.js';
import { FolderIcon } from '../ui/icons.js';
import { EnvironmentRow } from './EnvironmentRow.js';

/** "/home/me/src/shop/tokendesk.json" -> "shop": a project is named by its folder. */
export function projectTitle(file: string): string {
  const parts = file.split(/[\\/]/).filter(Boolean);
  return parts.length >= 2 ? parts[parts.length - 2]! : file;
}

/**
 * The environments of one linked project file (tokendesk.json, issue 24), under the project's name:
 * told apart from the user's own of the same name by where they sit, and by the file named on hover.
 */
export function ProjectGroup(props: { file: string; error?: string; envs: EnvironmentView[]; selectedId?: string; onSelect: (id: string) => void }) {
  return (
    <li className="project-group">
      <div className="project-head" title={props.file}>
        <span className="project-title">{projectTitle(props.file)}</span>
        <span className="project-kind">project file</span>
      </div>
      {props.error ? (
        <p className="project-error" role="status">
          {props.error}
        </p>
      ) : null}
      <ul className="env-list nested" aria-label={`Environments of the project ${projectTitle(props.file)}`}>
        {props.envs.map((e) => (
          <EnvironmentRow key={e.id} env={e} selected={e.id === props.selectedId} onSelect={props.onSelect} />
        ))}
      </ul>
    </li>
  );
}

/** How "Open project file…" asks for the file: Electron's native open dialog, or (a browser page has none) its path typed. */
export function projectFileChooser(shell: 'electron' | 'web' | undefined): 'native-dialog' | 'path-field' {
  return shell === 'electron' ? 'native-dialog' : 'path-field';
}

const LINKED_TOAST: [string, string] = ['Project file linked', 'Its environments are listed under the project'];

/** "Open project file…": links a tokendesk.json, chosen in the native dialog or typed. */
export function OpenProjectFile() {
  const shell = useDesk((s) => s.app?.shell);
  return projectFileChooser(shell) === 'native-dialog' ? <OpenWithDialog /> : <OpenByPath />;
}

/** Electron: the main process shows the open dialog and links the chosen file; a refusal (a secret in it) is said here. */
function OpenWithDialog() {
  const store = useDeskStore();
  const { busy, error, run } = useAction();
  return (
    <div className="project-open-native">
      <Button
        variant="ghost"
        icon={<FolderIcon />}
        busy={busy}
        onClick={() =>
          void run(true, async () => {
            const { file } = await store.getState().api.openProjectFile({});
            if (file === undefined) return; // cancelled: nothing linked, nothing to say
            await store.getState().refresh();
            store.getState().toast('success', ...LINKED_TOAST);
          })
        }
      >
        Open project file…
      </Button>
      {error ? <InlineError>{error}</InlineError> : null}
    </div>
  );
}

/** The browser shell: the file's path on this machine, typed. */
function OpenByPath() {
  const store = useDeskStore();
  const [open, setOpen] = useState(false);
  const [path, setPath] = useState('');
  const { busy, error, run } = useAction();
  if (!open) {
    return (
      <Button variant="ghost" icon={<FolderIcon />} onClick={() => setOpen(true)}>
        Open project file…
      </Button>
    );
  }
  return (
    <form
      className="project-open"
      onSubmit={(e) => {
        e.preventDefault();
        void run(true, () => store.getState().api.linkProjectFile({ path: path.trim() }), { refresh: true, toast: LINKED_TOAST }).then((ok) => {
          if (ok) {
            setOpen(false);
            setPath('');
          }
        });
      }}
    >
      <label className="field-label" htmlFor="project-path">
        Path of a tokendesk.json on this machine
      </label>
      <input id="project-path" className="input" value={path} placeholder="/home/you/src/app/tokendesk.json" onChange={(e) => setPath(e.target.value)} autoFocus />
      {error ? <InlineError>{error}</InlineError> : null}
      <div className="project-open-actions">
        <Button variant="primary" type="submit" busy={busy} disabled={path.trim() === ''}>
          Link
        </Button>
        <Button variant="ghost" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
