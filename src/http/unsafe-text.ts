/**
 * What no string may hold, wherever it comes from (docs/errors.md#field-limits): NUL, which
 * PostgreSQL refuses in text and JSON while SQLite stores it, and a UTF-16 surrogate without its
 * pair, which is not Unicode at all (PostgreSQL's JSON refuses it; SQLite and JavaScript keep it).
 * Either would make one backend answer 500 where another answers 200, so both are refused at the
 * HTTP edge — in every string and every object key of a body, and in every path parameter, query
 * value and header a route declares. In a body, every string and key is also at most
 * TEXT_MAX_LENGTH characters, whatever field it is (route schemas bound identifiers tighter).
 *
 * Problems are reported in ajv's error shape (keywords `unsafeText` and `maxLength`), so they join
 * a part's other validation errors and are translated to FastAPI items in one place
 * (validation-errors.ts).
 */

/** NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
// eslint-disable-next-line no-control-regex -- NUL is what this looks for
const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The keyword of the ajv-shaped errors below. */
export const UNSAFE_TEXT_KEYWORD = 'unsafeText';

export type UnsafeCharacter = 'nul' | 'surrogate';

export interface TextError {
  readonly keyword: typeof UNSAFE_TEXT_KEYWORD | 'maxLength';
  readonly instancePath: string;
  readonly schemaPath: string;
  readonly params: { readonly character: UnsafeCharacter } | { readonly limit: number };
  readonly message: string;
  readonly data: string;
}

/** A body with thousands of bad strings is answered with the first of them. */
export const MAX_REPORTED = 20;

export function unsafeCharacterIn(text: string): UnsafeCharacter | undefined {
  const found = UNSAFE.exec(text);
  if (!found) return undefined;
  return found[0] === '\u0000' ? 'nul' : 'surrogate';
}

/** Characters are code points, as JSON Schema's maxLength counts them; UTF-16 units only ever count more. */
const longerThan = (text: string, limit: number): boolean => text.length > limit && [...text].length > limit;

export const pointer = (segment: string | number): string => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`;

/** The pointer of the value the walk is at: `base` and the segments of the walk's stack. */
const pathOf = (base: string, stack: readonly (string | number)[]): string => base + stack.map(pointer).join('');

export interface TextCheck {
  /** JSON pointer of the checked value itself. */
  readonly path?: string;
  /** Look for NUL and unpaired surrogates (default true). */
  readonly characters?: boolean;
  /** Refuse longer strings and keys. */
  readonly maxLength?: number;
}

/**
 * Every string or object key in `value` (up to MAX_REPORTED) that holds an unsafe character or is
 * longer than `maxLength`, at its JSON pointer below `path`.
 */
export function textErrors(value: unknown, check: TextCheck = {}): TextError[] {
  const { path = '', characters = true, maxLength } = check;
  const errors: TextError[] = [];
  // One stack of segments for the whole walk: bodies hold hundreds of thousands of values, and a
  // path is spelt out only for a problem.
  const stack: (string | number)[] = [];
  const limit = maxLength ?? Infinity;
  const problem = (text: string): boolean => {
    // The common case, a body without suspicious escapes: one length comparison per string.
    if (!characters && text.length <= limit) return false;
    const character = characters ? unsafeCharacterIn(text) : undefined;
    if (character) {
      const message = character === 'nul' ? 'must not contain NUL (U+0000)' : 'must not contain an unpaired UTF-16 surrogate';
      errors.push({ keyword: UNSAFE_TEXT_KEYWORD, instancePath: pathOf(path, stack), schemaPath: `#/${UNSAFE_TEXT_KEYWORD}`, params: { character }, message, data: text });
      return true;
    }
    if (maxLength !== undefined && longerThan(text, maxLength)) {
      const message = `must NOT have more than ${maxLength} characters`;
      errors.push({ keyword: 'maxLength', instancePath: pathOf(path, stack), schemaPath: '#/maxLength', params: { limit: maxLength }, message, data: text });
      return true;
    }
    return false;
  };
  const visit = (node: unknown): void => {
    if (errors.length >= MAX_REPORTED) return;
    if (typeof node === 'string') {
      problem(node);
    } else if (Array.isArray(node)) {
      for (let index = 0; index < node.length; index += 1) {
        stack.push(index);
        visit(node[index]);
        stack.pop();
      }
    } else if (node !== null && typeof node === 'object') {
      for (const key of Object.keys(node)) {
        stack.push(key);
        if (!problem(key)) visit((node as Record<string, unknown>)[key]);
        stack.pop();
      }
    }
  };
  visit(value);
  return errors;
}

/**
 * What a parsed JSON body needs checked, read off its text. Only escapes can put NUL or a lone
 * surrogate into parsed JSON (raw control characters are not JSON, and the body is decoded from
 * UTF-8, which cannot encode a surrogate), and no string is longer than the text holding it. So
 * nearly every body needs no character check, and a short one no walk at all; the length walk of a
 * 10,000-position simulate takes ~1 ms here, a tenth of parsing it.
 */
export function bodyTextCheck(jsonText: string, maxLength: number): TextCheck | undefined {
  const characters = /\\u(?:0000|[dD][89a-fA-F])/.test(jsonText);
  const lengths = jsonText.length > maxLength;
  return characters || lengths ? { characters, ...(lengths ? { maxLength } : {}) } : undefined;
}
