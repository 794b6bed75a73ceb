/** Where the identity provider sends the user back: the code is exchanged, then the page they came from opens. */
import { useLocation } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';
import { completeSignIn } from '../api/oidc.ts';
import { accessConfig } from '../api/permissions.ts';
import { Page } from '../components/layout.tsx';
import { links } from '../links.ts';

export function SignInCallback() {
  const { route } = useLocation();
  const [error, setError] = useState('');
  useEffect(() => {
    const oidc = accessConfig.get().oidc;
    if (!oidc) {
      setError('This service does not sign users in through the console.');
      return;
    }
    completeSignIn(oidc, new URLSearchParams(location.search))
      .then((returnTo) => route(returnTo.startsWith('/console') ? returnTo : links.overview(), true))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);
  return (
    <Page title="Signing in">
      {error === '' ? (
        <p class="loading" role="status">
          Signing you in…
        </p>
      ) : (
        <div class="error-notice" role="alert">
          <p class="error-title">
            <strong>The sign-in did not complete</strong>
          </p>
          <p data-testid="sign-in-error">{error}</p>
        </div>
      )}
    </Page>
  );
}
