import { useMemo, useState } from 'react';
import { OpenImportButton } from '../import/ImportControls.js';
import { environments, useDesk } from '../store.js';
import { Button } from '../ui/Button.js';
import { PlusIcon, SearchIcon } from '../ui/icons.js';
import { EnvironmentRow } from './EnvironmentRow.js';
import { filterEnvironments } from './filter.js';

export function Sidebar() {
  const envs = useDesk(environments);
  const selectedId = useDesk((s) => s.selectedEnvId);
  const select = useDesk((s) => s.select);
  const setDialog = useDesk((s) => s.setDialog);
  const [query, setQuery] = useState('');
  const shown = useMemo(() => filterEnvironments(envs, query), [envs, query]);

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
        {shown.map((e) => (
          <EnvironmentRow key={e.id} env={e} selected={e.id === selectedId} onSelect={select} />
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
        <Button variant="ghost" onClick={() => setDialog({ kind: 'endpoint' })}>
          Endpoint
        </Button>
      </div>
    </nav>
  );
}
