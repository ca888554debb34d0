// `npm start`: build the app (development build) and launch Electron. Where no Electron binary is
// installed (its download is blocked on some machines), say so in one line and point to the browser shell.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    // electron's index.js resolves (or throws) the binary's path; it does not start anything.
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const electron = electronBinary();
if (!electron) {
  console.error('Electron is not installed on this machine (its binary could not be downloaded); run `npm run web` to use TokenDesk in your browser.');
  process.exit(1);
}

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(signal ? 1 : (code ?? 1)));
    child.on('error', () => resolve(1));
  });
}

// The bin is not in electron-vite's exports map: locate it beside its package.json.
const viteBin = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
const built = await run(process.execPath, [viteBin, 'build']);
if (built !== 0) process.exit(built);
process.exit(await run(electron, ['.', ...process.argv.slice(2)]));
