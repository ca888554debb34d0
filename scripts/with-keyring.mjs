// `node scripts/with-keyring.mjs CMD ARGS…`: runs CMD with a keychain the tests may use (Linux: inside
// scripts/with-keyring.sh; macOS and Windows: their own keychain), from sh or from Windows' cmd.exe.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { keyringCommand } from './test-plan.mjs';

const [cmd, args] = keyringCommand({ platform: process.platform, env: process.env, argv: process.argv.slice(2) });
// Windows: a command from node_modules/.bin is a .cmd shim, which only a shell starts.
const child = spawn(cmd, args, { stdio: 'inherit', cwd: fileURLToPath(new URL('..', import.meta.url)), shell: process.platform === 'win32' });
child.on('error', (e) => {
  console.error(`with-keyring: cannot start ${cmd}: ${e.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
