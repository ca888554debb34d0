import { afterEach, beforeEach } from 'vitest';
import { ConfigStore } from '../../src-main/core/config/store.js';
import { makeHome } from './home.js';

/** A fresh config folder and its store for each test, cleaned after it (the config-store test files share it). */
export function configStoreFixture(): { home: ReturnType<typeof makeHome>; store: ConfigStore } {
  const t = {} as { home: ReturnType<typeof makeHome>; store: ConfigStore };
  beforeEach(() => {
    t.home = makeHome();
    t.store = new ConfigStore(t.home.dir);
  });
  afterEach(() => t.home.cleanup());
  return t;
}
