/* eslint-disable no-control-regex -- control characters are exactly what this rule names */
/**
 * The characters no name, label or variable may hold, declared once for the contract's validators and
 * the core (core/text/sanitize.ts removes the same ones from text it did not check). Pure data: no imports.
 *
 * - C0 controls and DEL, C1 controls (U+0080–U+009F: U+009B is an 8-bit CSI a terminal obeys);
 * - U+2028/U+2029: JavaScript regexps with the m flag (dotenv's parser among them) and many editors
 *   treat them as line breaks, so one in a value or a comment starts a new variable;
 * - bidi marks (U+200E, U+200F, U+061C), embeddings and overrides (U+202A–U+202E) and isolates
 *   (U+2066–U+2069): they reorder what a reader sees ("Trojan Source", CVE-2021-42574; Unicode UAX #9).
 */
export const UNSAFE_TEXT_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** The first such character in `text` as `U+202E`, or undefined. */
export function firstUnsafeCharacter(text: string): string | undefined {
  const m = UNSAFE_TEXT_CHARACTERS.exec(text);
  return m ? `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}

/** The message for a refused field: which character and why, never the text itself. */
export function unsafeCharacterMessage(what: string, char: string): string {
  return `${what} contains an invisible or control character (${char}); it would reorder or break lines where the text is shown or exported. Remove it`;
}
