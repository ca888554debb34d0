import { useMemo, useState } from 'react';
import { OpenImportButton } from '../import/ImportControls.js';
import { environments, useDesk } from '../store.js';
import { Button } from '../ui/Button.js';
import { PlugIcon, PlusIcon, SearchIcon } from '../ui/icons.js';
import { EnvironmentRow } from './EnvironmentRow.js';
import { filterEnvironments } from './filter.js';
import { OpenProjectFile, ProjectGroup } from './ProjectFiles.js';

export function Sidebar() {
  const envs = useDesk(environments);
  const selectedId = useDesk((s) => s.selectedEnvId);
  const select = useDesk((s) => s.select);
  const setDialog = useDesk((s) => s.setDialog);
  const [query, setQuery] = useState('');
  const shown = useMemo(() => filterEnvironments(envs, query), [envs, query]);
  const projectFiles = useDesk((s) => s.app?.projectFiles);
  // The user's own first, then each linked project file's under its name (issue 24): never mixed.
  const own = shown.filter((e) => !e.project);
  const groups = (projectFiles ?? []).map((p) => ({ ...p, envs: shown.filter((e) => e.project?.file === p.file) }));

  return (
    <nav className="sidebar" aria-label="Environments">
      <div className="search">
        <SearchIcon />
        <input
          type="search"
          className="input"
          placeholder="Filter environments"
          aria-label="Filter environments"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && shown[0]) select(shown[0].id);
            if (e.key === 'Escape') setQuery('');
          }}
        />
      </div>
      <ul className="env-list">
        {own.map((e) => (
          <EnvironmentRow key={e.id} env={e} selected={e.id === selectedId} onSelect={select} />
        ))}
        {groups.map((g) => (
          <ProjectGroup key={g.file} file={g.file} error={g.error} envs={g.envs} selectedId={selectedId} onSelect={select} />
        ))}
      </ul>
      {shown.length === 0 ? (
        <p className="muted empty-filter" role="status">
          No environment matches “{query}”.
        </p>
      ) : null}
      <div className="sidebar-foot">
        <Button variant="ghost" icon={<PlusIcon />} onClick={() => setDialog({ kind: 'add-env' })}>
          Add environment
        </Button>
        <OpenImportButton variant="ghost" />
        <Button variant="ghost" icon={<PlugIcon />} onClick={() => setDialog({ kind: 'endpoint' })}>
          Endpoint
        </Button>
        <OpenProjectFile />
      </div>
    </nav>
  );
}
