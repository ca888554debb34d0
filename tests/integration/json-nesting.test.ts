import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHttpClient } from '../../src-main/core/http/client.js';
import { parseBody } from '../../src-main/core/http/body.js';
import { parsePostmanFile } from '../../src-main/core/exports/import.js';
import { MAX_JSON_DEPTH } from '../../src-main/core/text/parse-json.js';
import { configStoreFixture } from '../helpers/config-store-fixture.js';
import { rejection } from '../helpers/rejection.js';

/**
 * JSON nested far deeper than any real document: V8 parses it, but a reviver, a deep freeze or
 * JSON.stringify then overflows the stack, which was reported as "not valid JSON" (import) or as an
 * unexpected error (config). Each place says "nested too deeply" and keeps nothing.
 */
const deep = (levels: number, inner = '1') => `${'['.repeat(levels)}${inner}${']'.repeat(levels)}`;
const HUGE = 100_000;

describe('deeply nested JSON', () => {
  it('an imported Postman file is refused as nested too deeply, not as "not valid JSON"', () => {
    const text = `{"name":"x","values":[],"extra":${deep(HUGE)}}`;
    expect(() => parsePostmanFile(text)).toThrow(/^File is nested too deeply \(more than 128 levels of objects and arrays\)/);
    // Nesting within the limit, and brackets inside strings, are ordinary.
    const fine = `{"name":"x","values":[{"key":"url","value":"http://h.test/[[[[","enabled":true}],"extra":${deep(MAX_JSON_DEPTH - 2)}}`;
    expect(parsePostmanFile(fine).baseUrl).toBe('http://h.test/[[[[');
    expect(() => parsePostmanFile('{"values": [}')).toThrow('File is not valid JSON');
  });

  const t = configStoreFixture();

  it('a configuration file is reported as nested too deeply, moved aside, and TokenDesk starts empty', async () => {
    const path = join(t.home.dir, 'config.json');
    writeFileSync(path, `{"version":1,"environments":[],"identities":[],"extra":${deep(HUGE)}}`);
    const e = await rejection(t.store.read());
    expect(e).toMatchObject({ code: 'config_unreadable' });
    expect((e as Error).message).toMatch(/could not be read \(it is nested too deeply \(more than 128 levels/);
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(t.home.dir).some((n) => n.startsWith('config.json.corrupt-'))).toBe(true);
    expect((await t.store.read()).environments).toEqual([]);
  });

  describe('a server answer', () => {
    let server: Server;
    let url: string;
    beforeAll(async () => {
      server = createServer((req, res) => {
        req.resume();
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(`{"access_token":"t","user":${deep(HUGE, '{}')}}`);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('is a bad_response saying it is nested too deeply, never handed on', async () => {
      const res = await createHttpClient().request({ method: 'POST', url: `${url}/token`, body: {} });
      expect(res.json).toBeUndefined();
      const e = await rejection(Promise.resolve().then(() => parseBody(res, z.looseObject({ access_token: z.string() }), 'sign-in')));
      expect(e).toMatchObject({ code: 'bad_response' });
      expect((e as Error).message).toBe('The server answered 200 with JSON nested too deeply (more than 128 levels of objects and arrays)');
    });
  });
});
