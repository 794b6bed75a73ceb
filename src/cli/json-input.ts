/**
 * JSON input of the CLI commands, with an error that says where the text stops being JSON.
 *
 * `JSON.parse` gives a position for some mistakes and none for others (V8's message for
 * `{"a":}` is `Unexpected token '}', "{"a":}" is not valid JSON`), and the wording changes
 * between Node versions. So when parsing fails, a strict RFC 8259 scanner finds the offset of the
 * first character that cannot continue a JSON text, and the error names its line and column.
 */

export type JsonParse = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// A string's characters up to its closing quote; control characters must be escaped in JSON.
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/**
 * The offset of the first character that cannot continue a JSON text (`text.length` when the
 * text ends too early). Meant for text `JSON.parse` rejected.
 */
export function firstSyntaxErrorOffset(text: string): number {
  let at = 0;
  const skip = (): void => {
    while (at < text.length && WHITESPACE.has(text[at] as string)) at += 1;
  };
  const fail = (): never => {
    throw at;
  };
  const expect = (char: string): void => {
    skip();
    if (text[at] !== char) fail();
    at += 1;
  };
  const sticky = (pattern: RegExp): void => {
    pattern.lastIndex = at;
    if (!pattern.test(text)) fail();
    at = pattern.lastIndex;
  };
  const value = (): void => {
    skip();
    const char = text[at];
    if (char === '{') return members('}', () => {
      string();
      expect(':');
      value();
    });
    if (char === '[') return members(']', value);
    if (char === '"') return string();
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, at)) {
        at += literal.length;
        return;
      }
    }
    sticky(NUMBER);
  };
  const string = (): void => {
    skip();
    if (text[at] !== '"') fail();
    at += 1;
    sticky(STRING_BODY);
  };
  const members = (close: string, member: () => void): void => {
    at += 1;
    skip();
    if (text[at] === close) {
      at += 1;
      return;
    }
    for (;;) {
      member();
      skip();
      if (text[at] === close) {
        at += 1;
        return;
      }
      expect(',');
    }
  };
  try {
    value();
    skip();
    return at;
  } catch (offset) {
    return Math.min(offset as number, text.length);
  }
}

/** 1-based line and column of an offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Parses `text` (named `source` in the message); a failure says where, as line, column and offset. */
export function parseJsonText(text: string, source: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    const offset = firstSyntaxErrorOffset(text);
    const { line, column } = lineAndColumn(text, offset);
    const what = offset >= text.length ? 'ends before the JSON text is complete' : `is not valid JSON at line ${line}, column ${column}`;
    return { ok: false, message: `${source} ${what} (offset ${offset}).` };
  }
}
