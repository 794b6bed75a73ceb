/**
 * The console with API_AUTH_MODE=JWT, in a real headless Chromium against the real service and a
 * local identity provider (keys generated with jose; discovery, authorization and token endpoints
 * that check PKCE): without a token every page asks to sign in; a token without the role is told
 * the permission it lacks, and one the service refuses (401) ends the session; a pasted adviser token shows no
 * approve button; signing in goes through the provider with the authorization code and PKCE; a
 * proposal is taken from draft to executed by clicking, signed in as four different people, with
 * the author's own approval shown as refused by four-eyes; a run's requester is refused its own
 * approval and the refusal is listed. Every page is scanned with axe.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROPOSAL_REQUEST_EXAMPLE } from '../../src/http/routes/proposals/simulation.ts';
import { conformanceVector } from '../support/conformance.ts';
import { startIdentityProvider, TEST_CLIENT_ID, type Person, type TestIdentityProvider } from '../support/identity-provider.ts';
import { launchBrowser, newContext } from './support/browser.ts';
import { startConsoleService, type ConsoleService } from './support/console-service.ts';
import { checkPage, openPage } from './support/pages.ts';

type Json = Record<string, unknown>;

const erin: Person = { sub: 'erin@bank.example', roles: ['adviser', 'risk_officer'] };
const alice: Person = { sub: 'alice@bank.example', roles: ['adviser'] };
const bob: Person = { sub: 'bob@bank.example', roles: ['risk_officer'] };
const carol: Person = { sub: 'carol@bank.example', roles: ['adviser'] };
const dave: Person = { sub: 'dave@bank.example', roles: ['operations'] };
const pm: Person = { sub: 'pm@bank.example', roles: ['portfolio_manager'] };
const SHOTS = 'auth';

describe('the console with authentication', () => {
  let idp: TestIdentityProvider;
  let running: ConsoleService;
  let browser: Browser;
  let context: BrowserContext;
  let reviewProposal = '';
  let reviewRun = '';

  async function call(who: Person, method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Json> {
    const response = await fetch(`${running.service.baseUrl}${path}`, {
      method,
      headers: { ...headers, authorization: await idp.bearer(who), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as Json;
    if (!response.ok) throw new Error(`${method} ${path} as ${who.sub}: ${response.status} ${JSON.stringify(json).slice(0, 300)}`);
    return json;
  }

  const open = (address: string): Promise<Page> => openPage(context, running.service.baseUrl, address);

  const check = (page: Page, name: string): Promise<void> => checkPage(page, SHOTS, name);

  /** Signs `who` in through the identity provider, from the page the user is on, and waits to be back. */
  async function signInAs(page: Page, who: Person): Promise<void> {
    idp.signInAs(who);
    const back = page.url();
    if ((await page.locator('.sign-in-notice').count()) === 0) {
      await page.getByTestId('session-summary').click();
      await page.getByRole('button', { name: 'Sign out' }).click();
    }
    await page.locator('.sign-in-notice [data-testid="sign-in"]').click();
    await page.waitForURL((url) => url.href === back);
    await page.getByTestId('session-summary').getByText(`Signed in as ${who.sub}`).waitFor();
  }

  beforeAll(async () => {
    idp = await startIdentityProvider();
    running = await startConsoleService('IN_MEMORY', idp.env({ API_AUTH_CONSOLE_CLIENT_ID: TEST_CLIENT_ID, API_AUTH_CONSOLE_SCOPES: 'openid' }));
    browser = await launchBrowser();
    context = await newContext(browser);
    const created = await call(erin, 'POST', '/rebalance/proposals', { created_by: erin.sub, simulate_request: PROPOSAL_REQUEST_EXAMPLE }, { 'idempotency-key': 'auth-seed-proposal' });
    reviewProposal = String((created['proposal'] as Json)['proposal_id']);
    await call(erin, 'POST', `/rebalance/proposals/${reviewProposal}/transitions`, { event_type: 'SUBMITTED_FOR_RISK_REVIEW', actor_id: erin.sub, expected_state: 'DRAFT' });
    const run = await call(pm, 'POST', '/rebalance/simulate', conformanceVector<{ request: Json }>('dpm', 'scenario_05_constraint_fail').request, { 'idempotency-key': 'auth-seed-review' });
    reviewRun = String(run['rebalance_run_id']);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await running?.stop();
    await idp?.close();
  });

  it('without a token every page says to sign in, and the refusal is shown with its code', async () => {
    const page = await open('/console/runs');
    await page.locator('.sign-in-notice').waitFor();
    await page.getByTestId('error-code').waitFor();
    expect(await page.getByTestId('error-code').textContent()).toBe('AUTH_TOKEN_MISSING');
    expect(await page.getByTestId('session-summary').textContent()).toBe('Not signed in');
    await check(page, 'signed-out');
  });

  it('a token without the role is told which permission it lacks; a token the service refuses ends the session with the code', async () => {
    const page = await open('/console/runs');
    await page.getByTestId('session-summary').click();
    await page.getByLabel('Or paste an access token (kept for this tab only)').fill(await idp.token({ sub: 'nobody@bank.example', roles: [] }));
    await page.getByRole('button', { name: 'Use this token' }).click();
    await page.getByTestId('session-summary').getByText('Signed in as nobody@bank.example').waitFor();
    // The page loads again under the new session: the refusal is now about the role.
    await expect.poll(() => page.getByTestId('error-code').textContent()).toBe('AUTH_PERMISSION_DENIED');
    expect(await page.getByTestId('error-hint').textContent()).toContain('the permission runs.read');
    await check(page, 'permission-denied');

    await page.getByTestId('session-summary').click();
    await page.getByLabel('Or paste an access token (kept for this tab only)').fill(await idp.token(alice, { unpublishedKey: true }));
    await page.getByRole('button', { name: 'Use this token' }).click();
    await page.getByTestId('session-ended-code').waitFor();
    expect(await page.getByTestId('session-ended-code').textContent()).toBe('AUTH_TOKEN_INVALID');
    expect(await page.getByTestId('session-summary').textContent()).toBe('Not signed in');
    expect(await page.evaluate<string | null>("sessionStorage.getItem('dpm-console.token')")).toBeNull();
    await page.close();
  });

  it('a pasted adviser token: the adviser sees the proposal but no approve button, and no review buttons on a run', async () => {
    const page = await open(`/console/proposals/${reviewProposal}`);
    await page.getByTestId('session-summary').click();
    await page.getByLabel('Or paste an access token (kept for this tab only)').fill(await idp.token(alice));
    await page.getByRole('button', { name: 'Use this token' }).click();
    await page.getByTestId('session-summary').getByText(`Signed in as ${alice.sub}`).waitFor();
    await page.locator('[data-testid="lifecycle-diagram"] [data-state="RISK_REVIEW"].current').waitFor();
    await page.getByRole('button', { name: 'Cancel proposal' }).waitFor();
    expect(await page.getByRole('button', { name: 'Approve (risk)' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Reject' }).count()).toBe(0);
    await check(page, 'proposal-as-adviser');

    await page.goto(`${running.service.baseUrl}/console/runs/${reviewRun}`);
    await page.locator('#review [data-status="PENDING_REVIEW"]').waitFor();
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await page.close();
  });

  it('signing in with the provider (code + PKCE); a proposal from draft to executed by four people, four-eyes shown', async () => {
    const page = await open('/console/proposals');
    await signInAs(page, erin);
    const token = await page.evaluate<string | null>("sessionStorage.getItem('dpm-console.token')");
    expect(token?.split('.')).toHaveLength(3);

    await page.getByText('Create a proposal from a simulate request').click();
    expect(await page.locator('#np-created-by').inputValue()).toBe(erin.sub);
    await page.getByLabel('Start from an example').selectOption({ index: 1 });
    await page.locator('#np-title').fill('Signed-in proposal');
    await page.getByRole('button', { name: 'Create proposal' }).click();
    await page.waitForURL(/\/console\/proposals\/pp_/);
    const proposalId = decodeURIComponent(page.url().split('/').pop() ?? '');
    await page.getByRole('button', { name: 'Submit for risk review' }).click();
    await page.locator('[data-testid="lifecycle-diagram"] [data-state="RISK_REVIEW"].current').waitFor();
    // Erin is a risk officer too, but she wrote this proposal.
    await page.getByTestId('four-eyes-note').waitFor();
    expect(await page.getByRole('button', { name: 'Approve (risk)' }).isDisabled()).toBe(true);
    await check(page, 'proposal-four-eyes');

    const steps: [Person, string, string][] = [
      [bob, 'Approve (risk)', 'AWAITING_CLIENT_CONSENT'],
      [carol, 'Record client consent', 'EXECUTION_READY'],
      [dave, 'Mark executed', 'EXECUTED'],
    ];
    for (const [who, button, state] of steps) {
      await signInAs(page, who);
      expect(await page.locator('#pa-actor').inputValue()).toBe(who.sub);
      await page.getByRole('button', { name: button }).click();
      await page.locator(`[data-testid="lifecycle-diagram"] [data-state="${state}"].current`).waitFor();
    }
    await page.getByText('No move is possible').waitFor();
    const approvals = await page.getByTestId('approvals-table').textContent();
    expect(approvals).toContain(bob.sub);
    expect(approvals).toContain(carol.sub);
    const events = (await call(dave, 'GET', `/rebalance/proposals/${proposalId}/workflow-events`))['events'] as Json[];
    expect(events.map((e) => e['actor_id'])).toEqual([erin.sub, erin.sub, bob.sub, carol.sub, dave.sub]);
    await check(page, 'proposal-executed-signed-in');
  });

  it("a run's requester is refused its own approval; the refusal is shown with its code and listed", async () => {
    const page = await open(`/console/runs/${reviewRun}`);
    await signInAs(page, pm);
    await page.locator('#wf-reason').fill('LOOKS_FINE');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByTestId('error-code').waitFor();
    expect(await page.getByTestId('error-code').textContent()).toBe('SEGREGATION_OF_DUTIES_VIOLATION');
    await page.reload();
    await page.locator('[data-testid="refused-attempts-table"] tbody tr').first().waitFor();
    const refused = await page.locator('[data-testid="refused-attempts-table"] tbody tr').allTextContents();
    expect(refused).toHaveLength(1);
    expect(refused[0]).toContain(pm.sub);
    expect(refused[0]).toContain('WORKFLOW:APPROVE');
    expect(refused[0]).toContain('SEGREGATION_OF_DUTIES_VIOLATION');
    await check(page, 'run-four-eyes');
  });
});
