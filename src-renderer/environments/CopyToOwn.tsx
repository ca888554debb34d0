import { useState, type FormEvent } from 'react';
import type { EnvironmentView } from '../../src-main/contract/types.js';
import { useAction } from '../lib/use-action.js';
import { environments, useDesk, useDeskStore } from '../store.js';
import { Button } from '../ui/Button.js';
import { Field, InlineError } from '../ui/Field.js';
import { copyName } from './project-edit.js';
import { projectTitle } from './ProjectFiles.js';

/**
 * "Copy to my environments" (issue 24): a project environment becomes one of the user's own under a
 * name asked here, its keys copied from the keychain; the copy is selected afterwards. A name clash
 * is the core's to refuse, said under the field.
 */
export function CopyToOwn({ env, onDone }: { env: EnvironmentView; onDone: () => void }) {
  const store = useDeskStore();
  const own = useDesk(environments).filter((e) => !e.project);
  const [name, setName] = useState(() => copyName(env.name, own.map((e) => e.name)));
  const { busy, error, setError, run } = useAction();

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    let id: string | undefined;
    const ok = await run(true, async () => {
      id = (await store.getState().api.copyProjectEnvironment({ envId: env.id, name: name.trim() })).id;
    }, { refresh: true, toast: [`Copied to your environments as ${name.trim()}`, `Yours to change; the project's ${env.name} stays as its file says`] });
    if (ok && id) {
      store.getState().select(id);
      onDone();
    }
  }

  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-label={`Copy ${env.name} to my environments`}>
      <p className="muted">
        A copy of {env.name} from the project {projectTitle(env.project?.file ?? '')} becomes one of your own environments, with the keys you stored for it. Later changes to the project file do not reach the copy.
      </p>
      <Field
        label="Name of the copy"
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          setError(undefined);
        }}
        error={name.trim() === '' ? 'Give the copy a name' : undefined}
        maxLength={100}
        autoComplete="off"
        data-autofocus
      />
      <InlineError>{error}</InlineError>
      <div className="form-actions">
        <span className="spacer" />
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
        <Button variant="primary" type="submit" busy={busy} disabled={name.trim() === ''}>
          Copy
        </Button>
      </div>
    </form>
  );
}
