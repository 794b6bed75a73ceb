/** Every address of the console, built in one place (the router's table is in app.tsx). */
const enc = encodeURIComponent;

export const links = {
  overview: () => '/console',
  runs: (query = '') => `/console/runs${query}`,
  run: (runId: string) => `/console/runs/${enc(runId)}`,
  proposals: (query = '') => `/console/proposals${query}`,
  proposal: (proposalId: string) => `/console/proposals/${enc(proposalId)}`,
  operations: (query = '') => `/console/operations${query}`,
  policyPacks: (query = '') => `/console/policy-packs${query}`,
  simulate: () => '/console/simulate',
};
