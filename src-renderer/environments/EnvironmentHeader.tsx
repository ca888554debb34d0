import { projectTitle } from './ProjectFiles.js';
import type { EnvironmentView } from '../../src-main/contract/types.js';
import { useDesk } from '../store.js';
import { Button } from '../ui/Button.js';
import { CopyIcon, EditIcon } from '../ui/icons.js';
import { providerName } from './filter.js';

export function EnvironmentHeader({ env }: { env: EnvironmentView }) {
  const setDialog = useDesk((s) => s.setDialog);
  return (
    <header className="env-header">
      <span className="env-dot big" style={{ background: env.color }} aria-hidden="true" />
      <div className="env-title">
        {/* Focusable from script only: the palette's "Go to" lands here. */}
        <h1 tabIndex={-1} data-env-heading>
          {/* Two lines at most (styles.css): a long name wrapped to four at 900 px; the whole name on hover. */}
          <span className="env-heading-name" title={env.name}>
            {env.name}
          </span>
          {env.production ? <span className="prod-tag big">PRODUCTION</span> : null}
          {env.label ? <span className="badge badge-neutral">{env.label}</span> : null}
        </h1>
        <p className="env-meta">
          <span>{providerName(env.provider)}</span>
          <span aria-hidden="true"> · </span>
          <span className="url" title={env.baseUrl}>
            {env.baseUrl}
          </span>
        </p>
        {env.project ? (
          // Issue 24: an environment of a project file says so (a line of its own, so a narrow window keeps it), never taken for one's own of the same name.
          <p className="env-meta project-from" title={env.project.file}>
            From the project <strong>{projectTitle(env.project.file)}</strong> · <span className="mono">{env.project.file}</span>
          </p>
        ) : null}
      </div>
      {env.project ? (
        // Issue 24: the file is its source, so an edit goes to the file; or it becomes the user's own.
        <div className="env-header-actions">
          <Button size="sm" variant="ghost" icon={<EditIcon />} aria-label={`Edit in file: ${env.name} in ${env.project.file}`} onClick={() => setDialog({ kind: 'edit-env', envId: env.id })}>
            Edit in file
          </Button>
          <Button size="sm" variant="ghost" icon={<CopyIcon />} aria-label={`Copy to my environments: ${env.name}`} onClick={() => setDialog({ kind: 'copy-env', envId: env.id })}>
            Copy to my environments
          </Button>
        </div>
      ) : (
        <Button size="sm" variant="ghost" icon={<EditIcon />} aria-label={`Edit environment ${env.name}`} onClick={() => setDialog({ kind: 'edit-env', envId: env.id })}>
          Edit
        </Button>
      )}
    </header>
  );
}
