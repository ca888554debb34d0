import { join, resolve } from 'node:path';
import envPaths from 'env-paths';

/** The config folder: TOKENDESK_HOME when set (tests, portable setups), else the OS config folder. */
export function resolveHome(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.TOKENDESK_HOME;
  if (override !== undefined && override !== '') return resolve(override);
  return envPaths('tokendesk', { suffix: '' }).config;
}

export function configFile(home: string): string {
  return join(home, 'config.json');
}
