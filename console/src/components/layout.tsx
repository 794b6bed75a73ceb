/** Small building blocks of every page: sections, key/value lists, copyable ids. */
import type { ComponentChildren } from 'preact';

export function Page({ title, subtitle, children }: { title: string; subtitle?: ComponentChildren; children: ComponentChildren }) {
  return (
    <>
      <header class="page-header">
        <h1>{title}</h1>
        {subtitle && <p class="subtitle">{subtitle}</p>}
      </header>
      {children}
    </>
  );
}

export function Section({ id, title, children, actions }: { id: string; title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <section class="section" aria-labelledby={`${id}-title`} id={id}>
      <div class="section-head">
        <h2 id={`${id}-title`}>{title}</h2>
        {actions && <div class="section-actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

export function KeyValues({ items }: { items: readonly (readonly [string, ComponentChildren])[] }) {
  return (
    <dl class="kv">
      {items.map(([label, value]) => (
        <div class="kv-row" key={label}>
          <dt>{label}</dt>
          <dd>{value ?? '—'}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Mono({ children }: { children: ComponentChildren }) {
  return <code class="mono">{children}</code>;
}
