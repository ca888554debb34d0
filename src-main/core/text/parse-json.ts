/**
 * JSON.parse with a nesting limit, for text from a server, an imported file or the configuration.
 * V8's JSON.parse itself survives any depth, but what handles the value next recurses: a reviver,
 * JSON.stringify, structuredClone, a deep freeze all overflow the stack somewhere past ~5,000 levels
 * ("Maximum call stack size exceeded"), which used to surface as "not valid JSON" or as an unexpected
 * error. No configuration, Postman file or auth answer comes near this limit.
 */
export const MAX_JSON_DEPTH = 128;

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; problem: 'syntax' | 'too_deep' };

/** What to say after "… is" / "… was": the limit named, never the text. */
export const TOO_DEEP_TEXT = `nested too deeply (more than ${MAX_JSON_DEPTH} levels of objects and arrays)`;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * True when brackets outside strings nest deeper than `max`: one linear pass, no allocation. Only
 * meaningful for text JSON.parse accepts (unbalanced text fails there anyway).
 */
export function nestsDeeperThan(text: string, max: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/** Parses `text`, telling too deep apart from not JSON; a SyntaxError's text (it quotes the input) is never kept. */
export function parseJson(text: string, reviver?: (this: unknown, key: string, value: unknown) => unknown): JsonParseResult {
  // Checked first: a reviver recurses, so a deep document could not even be parsed to find out.
  if (nestsDeeperThan(text)) return { ok: false, problem: 'too_deep' };
  try {
    return { ok: true, value: JSON.parse(text, reviver) as unknown };
  } catch {
    return { ok: false, problem: 'syntax' };
  }
}
