import { createAppService } from '../../src-main/core/app/service.js';
import { makeHome } from './home.js';

export type AppService = ReturnType<typeof createAppService>;
export type TestHome = ReturnType<typeof makeHome>;

/** A fresh home and the app's service in it as the web shell opens it (no scheduler; the demo on any free port). */
export function openAppService(): { home: TestHome; service: AppService } {
  const home = makeHome();
  return { home, service: createAppService({ home: home.dir, shell: 'web', scheduler: false, demoPort: 0 }) };
}

/** The service stopped, then its home removed (with the vault's key in the keychain). */
export async function closeAppService(opened: { home: TestHome; service: AppService }): Promise<void> {
  await opened.service.close();
  await opened.home.cleanup();
}
