/* eslint-disable no-control-regex -- control characters are exactly what this module removes */
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
/** What is left: C0, DEL, C1, and the bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069). */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

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
 * with one (what is stored is printed raw by `export` and `exec`).
 */
export function firstControlCharacter(text: string): string | undefined {
  const m = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.exec(text);
  return m ? `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}
