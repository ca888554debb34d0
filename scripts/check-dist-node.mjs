// `npm run dist` first: electron-builder's @electron/rebuild and node-abi want a newer Node than the
// CLI and the tests (README, "Development"); say so plainly instead of failing somewhere inside the build.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { partition, readLock, versionRefused } from './node-engines.mjs';

const lock = readLock(resolve(dirname(fileURLToPath(import.meta.url)), '..'));
const refused = versionRefused(lock, partition(lock).dist, process.version);
if (refused.length > 0) {
  console.error(`npm run dist needs a newer Node than ${process.version} (the CLI, the web UI and the tests run on it; the desktop build does not):\n  ${refused.join('\n  ')}`);
  process.exit(1);
}
