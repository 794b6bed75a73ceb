/**
 * A validation problem names the offending field the way a client writes it
 * (`portfolio_snapshot.positions[2].quantity`, `options.group_constraints["bad key"]`), carries the
 * reference's pydantic error type as `code` (`missing`, `decimal_parsing`, `literal_error`,
 * `value_error`, …) and its message text. Validators collect every problem; they never throw.
 */
export interface ValidationProblem {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

export type ValidationResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: readonly ValidationProblem[] };

export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export class ProblemList {
  readonly items: ValidationProblem[] = [];

  add(path: readonly PathSegment[], code: string, message: string): void {
    this.items.push({ field: formatPath(path), code, message });
  }

  get empty(): boolean {
    return this.items.length === 0;
  }
}
