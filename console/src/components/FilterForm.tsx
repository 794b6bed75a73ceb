/**
 * The filters of a list, as a form whose submission becomes the page's URL: every filtered view
 * is a deep link, and Back returns to the previous filter.
 */
import { useLocation } from 'preact-iso';
import { toQueryString } from '../lib/query.ts';

export interface FilterField {
  readonly name: string;
  readonly label: string;
  readonly kind?: 'text' | 'datetime' | 'select';
  readonly options?: readonly string[];
  readonly placeholder?: string;
}

export function FilterForm({ fields, basePath, label, submitLabel = 'Apply filters' }: { fields: readonly FilterField[]; basePath: string; label: string; submitLabel?: string }) {
  const { query, route } = useLocation();
  const submit = (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const values = Object.fromEntries(fields.map((f) => [f.name, String(data.get(f.name) ?? '')]));
    route(`${basePath}${toQueryString(values)}`);
  };
  return (
    // Keyed by the URL's values: Back or a link re-fills the form; typing is never overwritten by a re-render.
    <form class="filters" onSubmit={submit} aria-label={label} role="search" key={fields.map((f) => query[f.name] ?? '').join('\u0000')}>
      {fields.map((f) => {
        const id = `filter-${f.name}`;
        const value = query[f.name] ?? '';
        return (
          <div class="field" key={f.name}>
            <label for={id}>{f.label}</label>
            {f.kind === 'select' ? (
              <select id={id} name={f.name}>
                <option value="">any</option>
                {f.options?.map((o) => (
                  <option key={o} value={o} selected={o === value}>
                    {o}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={id}
                name={f.name}
                type="text"
                defaultValue={value}
                placeholder={f.kind === 'datetime' ? '2026-02-21T00:00:00Z' : f.placeholder}
                spellcheck={false}
                autoComplete="off"
              />
            )}
          </div>
        );
      })}
      <div class="filter-actions">
        <button type="submit" class="primary">
          {submitLabel}
        </button>
        <a href={basePath} class="button">
          Clear
        </a>
      </div>
    </form>
  );
}
