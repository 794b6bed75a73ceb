/**
 * Canonical JSON and hashes, byte-compatible with the reference's
 * `json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True)`: keys sorted by
 * code point at every level, no whitespace, every non-ASCII UTF-16 unit escaped as `\uxxxx`,
 * array order kept. Hashing is deterministic, so it belongs to the domain.
 */
import { hash } from 'node:crypto';

/** Code-point order, as Python sorts strings (UTF-16 order differs for astral characters). */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const ca = a.codePointAt(i) ?? 0;
    const cb = b.codePointAt(i) ?? 0;
    if (ca !== cb) return ca < cb ? -1 : 1;
    if (ca > 0xffff) i += 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

// Printable ASCII other than `"` and `\`: such a string is written as is (the common case, and hot: every request is hashed).
const PLAIN = /^[ !#-[\]-~]*$/;

function quoteString(value: string): string {
  if (PLAIN.test(value)) return `"${value}"`;
  let out = '"';
  for (let i = 0; i < value.length; i += 1) {
    const ch = value[i] as string;
    const unit = value.charCodeAt(i);
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) out += short;
    else if (unit < 0x20 || unit > 0x7e) out += `\\u${unit.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Python `repr(float)`: shortest digits, exponent form below 1e-4 or from 1e16 on. */
function numberText(value: number): string {
  if (!Number.isFinite(value)) throw new TypeError(`canonical JSON cannot encode ${value}`);
  if (Number.isInteger(value)) return BigInt(value).toString();
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-4 && magnitude < 1e16) return String(value);
  const [mantissa = '', exp = '0'] = value.toExponential().split('e');
  const exponent = Number(exp);
  return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

// A key with a UTF-16 unit from U+D800 up: only there does UTF-16 order (the default sort) differ from code points.
const BEYOND_SURROGATES = /[\ud800-\uffff]/;

/** The object's keys in code-point order: the default sort when no key could tell the two orders apart. */
function sortedKeys(object: Record<string, unknown>): string[] {
  const keys = Object.keys(object);
  if (keys.length < 2) return keys;
  for (const key of keys) if (BEYOND_SURROGATES.test(key)) return keys.sort(compareCodePoints);
  return keys.sort();
}

// Written with string concatenation rather than entries/map/join: every request is hashed, and the
// intermediate arrays were most of the cost.
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return quoteString(value);
    case 'number':
      return numberText(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i += 1) out += i === 0 ? canonicalJson(value[i]) : `,${canonicalJson(value[i])}`;
        return `${out}]`;
      }
      const object = value as Record<string, unknown>;
      let out = '{';
      for (const key of sortedKeys(object)) {
        const item = object[key];
        if (item === undefined) continue;
        out += `${out.length === 1 ? '' : ','}${quoteString(key)}:${canonicalJson(item)}`;
      }
      return `${out}}`;
    }
    default:
      throw new TypeError(`canonical JSON cannot encode a ${typeof value}`);
  }
}

// One-shot: no Hash object per call (every request is hashed); same digest of the text's UTF-8 bytes.
export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

/** `"sha256:" + hex(SHA-256(canonical JSON))`, the format of request and artifact hashes. */
export function canonicalHash(value: unknown): string {
  return canonicalTextHash(canonicalJson(value));
}

/** `canonicalHash` of a value whose canonical JSON text is already at hand. */
export function canonicalTextHash(text: string): string {
  return `sha256:${sha256Hex(text)}`;
}
