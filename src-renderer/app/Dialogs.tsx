import { useState } from 'react';
import { useAction } from '../lib/use-action.js';
import { EnvironmentForm } from '../environments/EnvironmentForm.js';
import { CopyToOwn } from '../environments/CopyToOwn.js';
import { ImportResultDialog } from '../import/ImportControls.js';
import { useDesk } from '../store.js';
import { Button } from '../ui/Button.js';
import { Dialog } from '../ui/Dialog.js';
import { InlineError } from '../ui/Field.js';
import { EndpointPanel } from '../endpoint/EndpointPanel.js';
import { AllowPrompt } from '../endpoint/AllowPrompt.js';

function ConfirmDialog() {
  const dialog = useDesk((s) => s.dialog);
  const setDialog = useDesk((s) => s.setDialog);
  const { busy, error, run } = useAction();
  if (dialog?.kind !== 'confirm') return null;
  return (
    <Dialog title={dialog.title} onClose={() => setDialog(null)}>
      <p>{dialog.body}</p>
      <InlineError>{error}</InlineError>
      <div className="form-actions">
        <span className="spacer" />
        <Button variant="ghost" onClick={() => setDialog(null)} data-autofocus>
          Cancel
        </Button>
        <Button
          variant={dialog.danger ? 'danger' : 'primary'}
          busy={busy}
          onClick={async () => {
            if (await run(true, () => dialog.onConfirm())) setDialog(null);
          }}
        >
          {dialog.confirmLabel}
        </Button>
      </div>
    </Dialog>
  );
}

export function Dialogs() {
  const dialog = useDesk((s) => s.dialog);
  const setDialog = useDesk((s) => s.setDialog);
  const editing = useDesk((s) => (s.dialog?.kind === 'edit-env' || s.dialog?.kind === 'copy-env' ? s.app?.environments.find((e) => e.id === (s.dialog as { envId: string }).envId) : undefined));
  // A half-filled environment form: Escape, ✕ and a click outside ask before discarding it.
  const [dirty, setDirty] = useState(false);
  const close = () => {
    setDirty(false);
    setDialog(null);
  };
  if (dialog?.kind === 'add-env') {
    return (
      <Dialog title="Add environment" onClose={close} wide dirty={dirty}>
        <EnvironmentForm onDone={close} onDirtyChange={setDirty} />
      </Dialog>
    );
  }
  if (dialog?.kind === 'edit-env' && editing) {
    return (
      <Dialog title={editing.project ? `Edit ${editing.name} in its project file` : `Edit ${editing.name}`} onClose={close} wide dirty={dirty}>
        <EnvironmentForm env={editing} onDone={close} onDirtyChange={setDirty} />
      </Dialog>
    );
  }
  if (dialog?.kind === 'copy-env' && editing) {
    return (
      <Dialog title={`Copy ${editing.name} to my environments`} onClose={close}>
        <CopyToOwn env={editing} onDone={close} />
      </Dialog>
    );
  }
  if (dialog?.kind === 'endpoint') {
    return (
      <Dialog title="Local credential endpoint" onClose={close} wide>
        <EndpointPanel />
      </Dialog>
    );
  }
  if (dialog?.kind === 'endpoint-allow') {
    return (
      <Dialog title={`Serve ${dialog.name} through the endpoint?`} onClose={close}>
        <AllowPrompt envId={dialog.envId} name={dialog.name} userAgent={dialog.userAgent} onDone={close} />
      </Dialog>
    );
  }
  return (
    <>
      <ConfirmDialog key={dialog?.kind === 'confirm' ? dialog.title : 'none'} />
      <ImportResultDialog />
    </>
  );
}
