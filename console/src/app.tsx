/** The console's pages and their addresses. Heavy pages load on demand, so the lists open fast. */
import { ErrorBoundary, LocationProvider, Route, Router, lazy } from 'preact-iso';
import { Shell } from './components/Shell.tsx';
import { NotFound } from './pages/NotFound.tsx';
import { Operations } from './pages/Operations.tsx';
import { Proposals } from './pages/Proposals.tsx';
import { Runs } from './pages/Runs.tsx';
import { SignInCallback } from './pages/SignInCallback.tsx';

const Overview = lazy(() => import('./pages/Overview.tsx').then((m) => m.Overview));
const RunPage = lazy(() => import('./pages/RunPage.tsx').then((m) => m.RunPage));
const ProposalPage = lazy(() => import('./pages/ProposalPage.tsx').then((m) => m.ProposalPage));
const PolicyPacks = lazy(() => import('./pages/PolicyPacks.tsx').then((m) => m.PolicyPacks));
const Simulate = lazy(() => import('./pages/Simulate.tsx').then((m) => m.Simulate));

export function App() {
  return (
    <LocationProvider scope="/console">
      <Shell>
        <ErrorBoundary>
          <Router onRouteChange={() => window.scrollTo(0, 0)}>
            <Route path="/console" component={Overview} />
            <Route path="/console/" component={Overview} />
            <Route path="/console/runs" component={Runs} />
            <Route path="/console/runs/:runId" component={RunPage} />
            <Route path="/console/proposals" component={Proposals} />
            <Route path="/console/proposals/:proposalId" component={ProposalPage} />
            <Route path="/console/operations" component={Operations} />
            <Route path="/console/policy-packs" component={PolicyPacks} />
            <Route path="/console/simulate" component={Simulate} />
            <Route path="/console/auth/callback" component={SignInCallback} />
            <Route default component={NotFound} />
          </Router>
        </ErrorBoundary>
      </Shell>
    </LocationProvider>
  );
}
