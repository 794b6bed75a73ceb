/**
 * The frame of every page: a skip link, the navigation, a box that opens any id a client or a
 * colleague quoted, and the session panel — without authentication the token and actor id, with
 * it who is signed in, signing in with the identity provider, or pasting a token.
 */
import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { signIn } from '../api/oidc.ts';
import { accessConfig, useAccess } from '../api/permissions.ts';
import { actorId, bearerToken, sessionEndedBy, setActorId, setBearerToken } from '../api/session.ts';
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

/** Leaves for the identity provider and comes back to the page the user is on. */
function SignInButton({ label = 'Sign in' }: { label?: string }) {
  const config = useSignal(accessConfig);
  const [error, setError] = useState('');
  const oidc = config.oidc;
  if (!oidc) return null;
  const go = () => signIn(oidc, `${location.pathname}${location.search}`).catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  return (
    <>
      <button type="button" class="primary" onClick={go} data-testid="sign-in">
        {label}
      </button>
      {error && (
        <p role="alert" class="error-title">
          {error}
        </p>
      )}
    </>
  );
}

function PasteToken({ label }: { label: string }) {
  const submit = (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    setBearerToken(String(new FormData(form).get('token') ?? ''));
    // Done: the panel closes and forgets the text, so the token is not left on the screen.
    form.reset();
    form.closest('details')?.removeAttribute('open');
  };
  return (
    <form onSubmit={submit} class="paste-token">
      <div class="field">
        <label for="session-token">{label}</label>
        <input id="session-token" name="token" type="password" autoComplete="off" />
      </div>
      <button type="submit">Use this token</button>
    </form>
  );
}

/** With authentication: who the token says is signed in, and how to sign in or out. */
function SignedInPanel() {
  const { identity } = useAccess();
  const name = identity.subject;
  const summary = name === null ? 'Not signed in' : identity.expired ? `Session expired (${name})` : `Signed in as ${name}`;
  return (
    <details class="session">
      <summary data-testid="session-summary">{summary}</summary>
      <div class="session-form">
        {name !== null && (
          <p>
            Roles: {identity.roles.length > 0 ? identity.roles.join(', ') : 'none'}. The service checks the token on every request; the console only reads it to know what to offer.
          </p>
        )}
        <div class="button-row">
          <SignInButton label={name === null ? 'Sign in' : 'Sign in again'} />
          {name !== null && (
            <button type="button" onClick={() => setBearerToken('')}>
              Sign out
            </button>
          )}
        </div>
        <PasteToken label="Or paste an access token (kept for this tab only)" />
      </div>
    </details>
  );
}

function signInReason(expired: boolean, endedBy: string | null) {
  if (endedBy !== null) {
    return (
      <>
        The service refused your token (<code data-testid="session-ended-code">{endedBy}</code>): sign in again.
      </>
    );
  }
  return expired ? 'Your session has expired.' : 'This service needs you to sign in.';
}

/** Said once above every page while the service wants a token and the console has none (or one it refused). */
function SignInNotice() {
  const { identity } = useAccess();
  const endedBy = useSignal(sessionEndedBy);
  const config = useSignal(accessConfig);
  if (!identity.required || (identity.subject !== null && !identity.expired)) return null;
  return (
    <div class="note sign-in-notice" role="status">
      <p>
        {signInReason(identity.expired, endedBy)} Until then it refuses every request (401).
      </p>
      <SignInButton />
      {!config.oidc && <p>Paste an access token in the panel at the top right.</p>}
    </div>
  );
}

function SessionPanel() {
  const { identity } = useAccess();
  const token = useSignal(bearerToken);
  const actor = useSignal(actorId);
  const [saved, setSaved] = useState(false);
  if (identity.required) return <SignedInPanel />;
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
        <SignInNotice />
        {children}
      </main>
    </>
  );
}
