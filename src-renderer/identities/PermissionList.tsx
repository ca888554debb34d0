import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import type { ProfileView } from '../../src-main/contract/types.js';
import { SearchIcon } from '../ui/icons.js';
import { Section } from '../ui/Section.js';
import { filterPermissions, permissionRows, type SourceFilter } from './permissions.js';

const ROW = 28;

/** Searchable, virtualised: thousands of permissions filter within a frame. */
export function PermissionList({ profile }: { profile: ProfileView }) {
  const [query, setQuery] = useState('');
  const [source, setSource] = useState<SourceFilter>('all');
  const rows = useMemo(() => permissionRows(profile.permissions, profile.permissionsFromRoles), [profile.permissions, profile.permissionsFromRoles]);
  const shown = useMemo(() => filterPermissions(rows, query, source), [rows, query, source]);
  const counts = useMemo(() => ({ role: rows.filter((r) => r.source === 'role').length, direct: rows.filter((r) => r.source === 'direct').length }), [rows]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: shown.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW, overscan: 12 });
  const filters: Array<{ v: SourceFilter; label: string }> = [
    { v: 'all', label: `All ${rows.length}` },
    { v: 'role', label: `From roles ${counts.role}` },
    { v: 'direct', label: `Direct ${counts.direct}` },
  ];

  if (rows.length === 0) {
    // Nothing to search or filter: say so plainly instead of a search box over "All 0 · From roles 0 · Direct 0".
    return (
      <Section title="Permissions" className="permissions">
        <p className="muted perm-none">This identity reports no permissions, from roles or granted directly.</p>
      </Section>
    );
  }

  return (
    <Section title="Permissions" className="permissions">
      <div className="perm-tools">
        <div className="search">
          <SearchIcon />
          <input type="search" className="input" placeholder="Search permissions" aria-label="Search permissions" value={query} onChange={(e) => setQuery(e.target.value)} />
        </div>
        <div className="tabs" role="group" aria-label="Show permissions">
          {filters.map((f) => (
            <button key={f.v} type="button" className={source === f.v ? 'tab tab-on' : 'tab'} aria-pressed={source === f.v} onClick={() => setSource(f.v)}>
              {f.label}
            </button>
          ))}
        </div>
      </div>
      <p className="muted perm-count" role="status" aria-live="polite">
        {query || source !== 'all' ? `${shown.length} of ${rows.length} permissions` : `${rows.length} permissions`}
      </p>
      <div ref={scrollRef} className="perm-scroll" tabIndex={0} aria-label="Permission list">
        {shown.length === 0 ? (
          <p className="muted perm-empty">No permission matches “{query}”.</p>
        ) : (
          <ul className="perm-list" style={{ height: virtual.getTotalSize() }}>
            {virtual.getVirtualItems().map((v) => {
              const r = shown[v.index]!;
              return (
                <li key={r.name} className="perm" style={{ transform: `translateY(${v.start}px)` }} data-testid="permission">
                  <span className="perm-name">{r.name}</span>
                  <span className={`perm-source perm-${r.source}`} title={r.source === 'role' ? 'Granted through a role' : 'Granted directly to the user'}>
                    {r.source}
                  </span>
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </Section>
  );
}
