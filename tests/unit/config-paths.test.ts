import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import envPaths from 'env-paths';
import { configFile, resolveHome } from '../../src-main/core/config/paths.js';

describe('config paths', () => {
  it('uses TOKENDESK_HOME when set, made absolute', () => {
    expect(resolveHome({ TOKENDESK_HOME: '/tmp/td-home' })).toBe('/tmp/td-home');
    expect(resolveHome({ TOKENDESK_HOME: 'rel/home' })).toBe(resolve('rel/home'));
  });

  it('falls back to the OS config folder without a suffix', () => {
    const expected = envPaths('tokendesk', { suffix: '' }).config;
    expect(resolveHome({})).toBe(expected);
    expect(resolveHome({ TOKENDESK_HOME: '' })).toBe(expected);
    expect(expected).toMatch(/tokendesk$/);
  });

  it('puts config.json in the home folder', () => {
    expect(configFile('/x/y')).toBe(join('/x/y', 'config.json'));
  });
});
