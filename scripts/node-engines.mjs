// Which Node each part of the project needs, read from the installed tree (package-lock.json) rather
// than remembered: the CLI, the web UI and the tests (package.json's engines) versus the desktop
// build (`npm run dist`: electron-builder → @electron/rebuild, node-abi), which alone wants a newer Node.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';

/** The packages only the desktop build uses hang off these root devDependencies. */
export const DIST_ROOTS = ['electron-builder'];

export function readLock(root) {
  return JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
}

/** Where `name`, required by the package installed at `from` ('' = the project), is: Node's node_modules lookup. */
function resolveIn(packages, from, name) {
  let dir = from;
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!dir) return undefined;
    const i = dir.lastIndexOf('/node_modules/');
    dir = i === -1 ? '' : dir.slice(0, i);
  }
}

/** Every installed package (lock path) reachable from the project's own dependencies named in `names`. */
export function reachable(lock, names) {
  const packages = lock.packages;
  const seen = new Set();
  const queue = names.map((n) => resolveIn(packages, '', n)).filter(Boolean);
  while (queue.length > 0) {
    const path = queue.pop();
    if (seen.has(path)) continue;
    seen.add(path);
    const p = packages[path];
    for (const dep of Object.keys({ ...p.dependencies, ...p.optionalDependencies, ...p.peerDependencies })) {
      const at = resolveIn(packages, path, dep);
      if (at) queue.push(at);
    }
  }
  return seen;
}

/** The project's packages split by use: what runs (dependencies), what develops and tests it, what only the desktop build needs. */
export function partition(lock) {
  const root = lock.packages[''];
  const runtimeNames = Object.keys(root.dependencies ?? {});
  const devNames = Object.keys(root.devDependencies ?? {});
  const develop = reachable(lock, [...runtimeNames, ...devNames.filter((n) => !DIST_ROOTS.includes(n))]);
  const dist = [...reachable(lock, DIST_ROOTS)].filter((p) => !develop.has(p));
  return { runtime: reachable(lock, runtimeNames), develop, dist: new Set(dist) };
}

const nameOf = (lock, path) => `${lock.packages[path].name ?? path.slice(path.lastIndexOf('node_modules/') + 13)}@${lock.packages[path].version}`;

/** Installed packages in `paths` whose engines.node does not admit all of `range` (a range: every Node it claims). */
export function rangeNotAdmitted(lock, paths, range) {
  return [...paths].flatMap((path) => {
    const wants = lock.packages[path].engines?.node;
    return wants && !semver.subset(range, wants) ? [`${nameOf(lock, path)} wants node ${wants}`] : [];
  });
}

/** Installed packages in `paths` whose engines.node refuses this Node `version`. */
export function versionRefused(lock, paths, version) {
  return [...paths].flatMap((path) => {
    const wants = lock.packages[path].engines?.node;
    return wants && !semver.satisfies(version, wants) ? [`${nameOf(lock, path)} wants node ${wants}`] : [];
  });
}
