import { ESLint } from 'eslint';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

/** The repository's own eslint.config.js, run on code that is never written to disk. */
let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: resolve(__dirname, '../..') });
});

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport const used = [x];\n`, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

describe('layer rules (eslint.config.js)', () => {
  it.each([
    ['src-main/core/sessions/x.ts', "import { x } from 'electron';"],
    ['src-main/core/app/x.ts', "import { x } from '../../electron/dispatch.js';"],
    ['src-main/core/app/x.ts', "import { x } from '../../web-bridge/server.js';"],
    ['src-main/core/app/x.ts', "import { x } from '../../cli/output.js';"],
    ['src-main/core/app/x.ts', "import { x } from '../../shell-common/envelope.js';"],
    ['src-main/contract/x.ts', "import { x } from '../core/errors.js';"],
    ['src-main/web-bridge/x.ts', "import { x } from '../electron/envelope.js';"],
    ['src-main/web-bridge/x.ts', "import { x } from 'electron';"],
    ['src-main/shell-common/x.ts', "import { x } from '../electron/ipc.js';"],
    ['src-main/cli/commands/x.ts', "import { x } from '../../electron/main.js';"],
    ['src-main/cli/commands/x.ts', "import { x } from '../../core/secrets/types.js';"],
    ['src-main/cli/x.ts', "import { x } from '../core/sessions/manager.js';"],
    ['src-main/electron/x.ts', "import { x } from '../web-bridge/static.js';"],
    ['src-renderer/app/x.tsx', "import { x } from '../../src-main/core/errors.js';"],
    ['src-renderer/app/x.tsx', "import { x } from 'electron';"],
    ['src-renderer/app/x.tsx', "import { x } from '../../src-main/contract/api.js';"],
    ['src-renderer/app/x.tsx', "import { x } from 'zod';"],
    ['src-preload/x.ts', "import { x } from '../src-main/core/app/service.js';"],
    ['src-preload/x.ts', "import { x } from '../src-main/electron/envelope.js';"],
    ['src-preload/x.ts', "import { x } from '../src-main/contract/api.js';"],
  ])('%s may not %s', async (file, code) => {
    expect(await restricted(file, code)).toHaveLength(1);
  });

  it.each([
    ['src-main/core/app/x.ts', "import { x } from '../../contract/providers.js';"],
    ['src-main/web-bridge/x.ts', "import { x } from '../shell-common/envelope.js';"],
    ['src-main/web-bridge/x.ts', "import { x } from '../core/app/service.js';"],
    ['src-main/electron/x.ts', "import { x } from 'electron';"],
    ['src-main/cli/commands/x.ts', "import { x } from '../../core/facade.js';"],
    ['src-main/cli/fast-x.ts', "import { x } from '../core/secrets/vault-peek.js';"],
    ['src-preload/x.ts', "import { x } from 'electron';"],
    ['src-preload/x.ts', "import { x } from '../src-main/contract/methods.js';"],
    ['src-preload/x.ts', "import type { x } from '../src-main/contract/api.js';"],
    ['src-renderer/app/x.tsx', "import { x } from '../../src-main/contract/validators.js';"],
    ['src-renderer/app/x.tsx', "import type { x } from '../../src-main/contract/api.js';"],
  ])('%s may %s', async (file, code) => {
    expect(await restricted(file, code)).toEqual([]);
  });
});
