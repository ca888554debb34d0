import { projectTitle } from './ProjectFiles.js';
import type { EnvironmentView } from '../../src-main/contract/types.js';
import { useDesk } from '../store.js';
import { Button } from '../ui/Button.js';
import { EditIcon } from '../ui/icons.js';
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
          {env.project ? (
            <>
              <span aria-hidden="true"> · </span>
              {/* Issue 24: an environment of a project file says so, so it is never taken for one's own of the same name. */}
              <span className="project-from" title={env.project.file}>
                from the project {projectTitle(env.project.file)}
              </span>
            </>
          ) : null}
        </p>
      </div>
      <Button size="sm" variant="ghost" icon={<EditIcon />} aria-label={`Edit environment ${env.name}`} onClick={() => setDialog({ kind: 'edit-env', envId: env.id })}>
        Edit
      </Button>
    </header>
  );
}
