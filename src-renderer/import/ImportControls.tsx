import { useEffect, useRef, useState } from 'react';
import { useDesk, useDeskStore } from '../store.js';
import { Button, type ButtonProps } from '../ui/Button.js';
import { Dialog } from '../ui/Dialog.js';
import { UploadIcon } from '../ui/icons.js';
import { importFile } from './run-import.js';

let openPicker: (() => void) | undefined;

/** Opens the file picker from anywhere (buttons, the command palette). */
export function openImportPicker(): void {
  openPicker?.();
}

/** The one hidden file input plus a window-wide drop target; mounted once by the App. */
export function ImportHost() {
  const store = useDeskStore();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    openPicker = () => input.current?.click();
    let depth = 0;
    const hasFiles = (e: DragEvent) => Boolean(e.dataTransfer?.types.includes('Files'));
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setDragging(true);
    };
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      for (const f of [...(e.dataTransfer?.files ?? [])]) void importFile(store, f);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      openPicker = undefined;
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [store]);

  return (
    <>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        multiple
        hidden
        aria-label="Postman environment or collection file"
        data-testid="import-input"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          for (const f of files) void importFile(store, f);
        }}
      />
      {dragging ? (
        <div className="dropzone" aria-hidden="true">
          <div>
            <UploadIcon />
            <strong>Drop a Postman environment or collection</strong>
            <span>Secrets go to the keychain; nothing is stored if the file is invalid.</span>
          </div>
        </div>
      ) : null}
    </>
  );
}

export function OpenImportButton(props: Omit<ButtonProps, 'onClick'>) {
  return (
    <Button icon={<UploadIcon />} onClick={openImportPicker} {...props}>
      Import Postman file
    </Button>
  );
}

export function ImportResultDialog() {
  const dialog = useDesk((s) => s.dialog);
  const setDialog = useDesk((s) => s.setDialog);
  if (dialog?.kind !== 'import-result') return null;
  const { result } = dialog;
  return (
    <Dialog title={`${result.created ? 'Imported' : 'Updated'} ${result.environment.name}`} onClose={() => setDialog(null)}>
      <p>The environment was {result.created ? 'created' : 'updated'}, with {result.warnings.length === 1 ? 'one thing' : `${result.warnings.length} things`} to check:</p>
      <ul className="warnings">
        {result.warnings.map((w) => (
          <li key={w}>{w}</li>
        ))}
      </ul>
      <div className="form-actions">
        <span className="spacer" />
        <Button variant="primary" onClick={() => setDialog(null)}>
          OK
        </Button>
      </div>
    </Dialog>
  );
}
