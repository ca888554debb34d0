/* eslint-disable no-control-regex -- control characters are exactly what this module removes */
import { firstUnsafeCharacter } from '../../contract/unsafe-text.js';

/**
 * Text a server or a file supplied (error messages, environment names, emails) is made safe to show
 * on a terminal, in a notification, in the tray or in a log: a terminal obeys escape sequences (clear
 * the screen, retitle the window, hide text), and bidi overrides reorder what the reader sees
 * (Trojan Source). What remains is the visible text.
 */

/** CSI: ESC [ or the 8-bit U+009B, parameter bytes, intermediate bytes, one final byte (ECMA-48 5.4). */
const CSI = /(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]/g;
/**
 * OSC, DCS, SOS, PM, APC: an introducer, a string, then ST (ESC \ or U+009C) or BEL. The string stops
 * at the next ESC so an unterminated one cannot make the match scan the rest of the text again and
 * again; its introducer is then removed with the other controls, the rest shows as plain text.
 */
const CONTROL_STRING = /(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)/g;
/** Any other escape sequence: ESC, intermediate bytes, a final byte (ESC c resets the terminal, ESC ( 0 switches charset). */
const OTHER_ESCAPE = /\u001b[\u0020-\u002f]*[\u0030-\u007e]/g;
/** Line breaks and tabs, including the Unicode line and paragraph separators. */
const WHITESPACE_CONTROLS = /[\t\n\v\f\r\u2028\u2029\u0085]+/g;
/**
 * What is left: C0, DEL, C1, the bidi marks (U+200E, U+200F, U+061C), embeddings and overrides
 * (U+202A–U+202E) and isolates (U+2066–U+2069). The same set as contract/unsafe-text.ts, which refuses them at input.
 */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export interface SanitizeOptions {
  /** Keep line breaks (\n; \r\n becomes \n) for multi-line output; otherwise everything is one line. */
  multiline?: boolean;
}

/** `text` without escape sequences, control characters or bidi controls; tabs and line breaks become a space. */
export function sanitizeForDisplay(text: string, opts: SanitizeOptions = {}): string {
  if (opts.multiline) return text.split(/\r?\n/).map((line) => sanitizeLine(line)).join('\n');
  return sanitizeLine(text);
}

function sanitizeLine(text: string): string {
  return text
    .replace(CONTROL_STRING, '')
    .replace(CSI, '')
    .replace(OTHER_ESCAPE, '')
    .replace(WHITESPACE_CONTROLS, ' ')
    .replace(CONTROLS, '');
}

/**
 * The first control character in `text` as `U+001B`, or undefined. Names, labels and variable values
 * are shown on terminals and in the tray and exported to shells: they are refused rather than stored
 * with one (what is stored is printed raw by `export` and `exec`). The rule is the contract's, so the
 * IPC validators and the core refuse the same characters.
 */
export function firstControlCharacter(text: string): string | undefined {
  return firstUnsafeCharacter(text);
}

/**
 * Characters JSON.stringify leaves raw but a terminal acts on, a line-oriented reader splits at, or
 * that reorder what is shown: DEL, C1 (U+009B is CSI), the line/paragraph separators and the bidi
 * controls. JSON.stringify emits them only inside strings (it escapes C0 itself).
 */
const JSON_RAW_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * A JSON document (JSON.stringify's output) with those characters written as \uXXXX escapes: the
 * same data once parsed, no raw byte a terminal, an editor or a line-based tool would act on.
 */
export function escapeUnsafeInJson(json: string): string {
  return json.replace(JSON_RAW_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
