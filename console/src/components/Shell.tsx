/**
 * The frame of every page: a skip link, the navigation, a box that opens any id a client or a
 * colleague quoted, and the session panel (token and actor id).
 */
import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { actorId, bearerToken, setActorId, setBearerToken } from '../api/session.ts';
import { useSignal } from '../api/signal.ts';
import { links } from '../links.ts';
import { toQueryString } from '../lib/query.ts';

const NAV: readonly (readonly [string, string])[] = [
  ['Overview', links.overview()],
  ['Runs', links.runs()],
  ['Proposals', links.proposals()],
  ['Operations', links.operations()],
  ['Policy packs', links.policyPacks()],
  ['Simulate', links.simulate()],
];

/** Where an id leads, by its prefix; anything else is taken for a correlation id. */
export function addressOf(id: string): string {
  if (id.startsWith('rr_')) return links.run(id);
  if (id.startsWith('pp_')) return links.proposal(id);
  if (id.startsWith('dop_')) return links.operations(toQueryString({ operation_id: id }));
  if (id.startsWith('pop_')) return links.operations(toQueryString({ proposal_operation_id: id }));
  return links.runs(toQueryString({ correlation_id: id }));
}

function FindBox() {
  const { route } = useLocation();
  const submit = (event: Event) => {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget as HTMLFormElement).get('id') ?? '').trim();
    if (value !== '') route(addressOf(value));
  };
  return (
    <form class="find" role="search" aria-label="Open an id" onSubmit={submit}>
      <label for="find-id" class="visually-hidden">
        Run id, proposal id, operation id or correlation id
      </label>
      <input id="find-id" name="id" type="search" placeholder="Any id or correlation id" spellcheck={false} autoComplete="off" />
      <button type="submit">Open</button>
    </form>
  );
}

function SessionPanel() {
  const token = useSignal(bearerToken);
  const actor = useSignal(actorId);
  const [saved, setSaved] = useState(false);
  const submit = (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    setActorId(String(data.get('actor') ?? ''));
    setBearerToken(String(data.get('token') ?? ''));
    setSaved(true);
  };
  return (
    <details class="session">
      <summary>
        {actor !== '' ? `Acting as ${actor}` : 'Set your name'}
        {token !== '' ? ' · token set' : ''}
      </summary>
      <form onSubmit={submit} class="session-form">
        <div class="field">
          <label for="session-actor">Your actor id (recorded on every decision)</label>
          <input id="session-actor" name="actor" defaultValue={actor} autoComplete="username" />
        </div>
        <div class="field">
          <label for="session-token">Bearer token (sent with every request; kept for this tab only)</label>
          <input id="session-token" name="token" type="password" defaultValue={token} autoComplete="off" />
        </div>
        <button type="submit" class="primary">
          Save
        </button>
        {saved && (
          <span role="status" class="muted">
            {' '}
            Saved for this tab.
          </span>
        )}
      </form>
    </details>
  );
}

export function Shell({ children }: { children: ComponentChildren }) {
  const { path } = useLocation();
  const current = (href: string) => (href === links.overview() ? path === href || path === `${href}/` : path.startsWith(href));
  return (
    <>
      <a class="skip-link" href="#content">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href={links.overview()}>
          DPM operations console
        </a>
        <nav aria-label="Main">
          <ul>
            {NAV.map(([label, href]) => (
              <li key={href}>
                <a href={href} aria-current={current(href) ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <FindBox />
        <SessionPanel />
      </header>
      <main id="content" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
