// `npm run web`: the built UI and the same contract over loopback HTTP (bundled to out/web/web-bridge.mjs).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppService } from '../core/app/service.js';
import { resolveHome } from '../core/config/paths.js';
import { readWebSettings } from './config.js';
import { startWebBridge, type WebBridge } from './server.js';

async function main(): Promise<void> {
  const settings = readWebSettings(process.env);
  const staticDir = fileURLToPath(new URL('../renderer/', import.meta.url));
  if (!existsSync(join(staticDir, 'index.html'))) {
    console.error(`The UI is not built (${join(staticDir, 'index.html')} is missing): run \`npm run build\` first.`);
    process.exit(1);
  }
  const service = createAppService({ home: resolveHome(), shell: 'web' });
  const start = (port: number) => startWebBridge({ service, port, staticDir, secret: settings.secret });
  let bridge: WebBridge;
  try {
    bridge = await start(settings.port);
  } catch (e) {
    const inUse = (e as NodeJS.ErrnoException).code === 'EADDRINUSE';
    if (!inUse || settings.explicitPort) {
      console.error(inUse ? `Port ${settings.port} is already in use (TOKENDESK_WEB_PORT).` : `Could not start the web bridge: ${(e as Error).message}`);
      await service.close();
      process.exit(1);
    }
    bridge = await start(0);
  }

  console.log('TokenDesk is running in your browser. Open this URL (it contains this run\'s secret; keep it to yourself):');
  console.log('');
  console.log(`    ${bridge.url}`);
  console.log('');
  console.log('Press Ctrl+C to stop.');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await bridge.close();
    await service.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((e: unknown) => {
  console.error(`Could not start the web bridge: ${e instanceof Error ? e.message : 'unknown error'}`);
  process.exit(1);
});
