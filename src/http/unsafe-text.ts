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

function problemOf(path: string, text: string, maxLength: number | undefined): TextError | undefined {
  const character = unsafeCharacterIn(text);
  if (character) {
    const message = character === 'nul' ? 'must not contain NUL (U+0000)' : 'must not contain an unpaired UTF-16 surrogate';
    return { keyword: UNSAFE_TEXT_KEYWORD, instancePath: path, schemaPath: `#/${UNSAFE_TEXT_KEYWORD}`, params: { character }, message, data: text };
  }
  if (maxLength !== undefined && longerThan(text, maxLength)) {
    return { keyword: 'maxLength', instancePath: path, schemaPath: '#/maxLength', params: { limit: maxLength }, message: `must NOT have more than ${maxLength} characters`, data: text };
  }
  return undefined;
}

/**
 * Every string or object key in `value` (up to MAX_REPORTED) that holds an unsafe character or is
 * longer than `maxLength`, at its JSON pointer below `path`.
 */
export function textErrors(value: unknown, options: { readonly path?: string; readonly maxLength?: number } = {}): TextError[] {
  const errors: TextError[] = [];
  const visit = (node: unknown, at: string): void => {
    if (errors.length >= MAX_REPORTED) return;
    if (typeof node === 'string') {
      const problem = problemOf(at, node, options.maxLength);
      if (problem) errors.push(problem);
    } else if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, at + pointer(index)));
    } else if (node !== null && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) {
        const problem = problemOf(at + pointer(key), key, options.maxLength);
        if (problem) errors.push(problem);
        else visit(item, at + pointer(key));
      }
    }
  };
  visit(value, options.path ?? '');
  return errors;
}

/**
 * Whether a JSON body text needs the walk. Only escapes can put NUL or a lone surrogate into parsed
 * JSON (raw control characters are not JSON, and the body is decoded from UTF-8, which cannot
 * encode a surrogate), and no string is longer than the text holding it. So a body shorter than
 * `maxLength` without `\u0000` or `\uD800`–`\uDFFF` — nearly every request — is not walked.
 */
export const bodyNeedsTextCheck = (jsonText: string, maxLength: number): boolean => jsonText.length > maxLength || /\\u(?:0000|[dD][89a-fA-F])/.test(jsonText);
