export interface PermissionRow {
  name: string;
  lower: string;
  source: 'role' | 'direct';
}

/** Every permission once, tagged with where it comes from (permissionsFromRoles → "role"). */
export function permissionRows(permissions: string[], fromRoles: string[]): PermissionRow[] {
  const roleSet = new Set(fromRoles);
  const seen = new Set<string>();
  const rows: PermissionRow[] = [];
  for (const p of [...permissions, ...fromRoles]) {
    if (seen.has(p)) continue;
    seen.add(p);
    rows.push({ name: p, lower: p.toLowerCase(), source: roleSet.has(p) ? 'role' : 'direct' });
  }
  return rows;
}

export type SourceFilter = 'all' | 'role' | 'direct';

export function filterPermissions(rows: PermissionRow[], query: string, source: SourceFilter): PermissionRow[] {
  const q = query.trim().toLowerCase();
  if (!q && source === 'all') return rows;
  return rows.filter((r) => (source === 'all' || r.source === source) && (!q || r.lower.includes(q)));
}
