/**
 * The compose files pass the service only variables it reads (docs/configuration.md): a name
 * misspelt or removed from the settings would otherwise be passed on silently and never take
 * effect. The database container's own POSTGRES_USER / _PASSWORD / _DB are compose-only.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VARIABLE_DOCS } from '../../src/config/settings.ts';
import { repoPath } from '../support/paths.ts';

const COMPOSE_FILES = ['docker-compose.yml', 'docker-compose.production.yml'];
const DATABASE_CONTAINER_ONLY = new Set(['POSTGRES_USER', 'POSTGRES_PASSWORD', 'POSTGRES_DB']);

/** The variables a compose file sets in a service's environment: `NAME: value` lines in `environment:` blocks and `x-*-env` anchors. */
function serviceVariables(text: string): string[] {
  return [...text.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((match) => match[1] as string);
}

describe('compose files', () => {
  const known = new Set(VARIABLE_DOCS.map((variable) => variable.name));

  for (const file of COMPOSE_FILES) {
    it(`${file} sets only variables the service reads`, () => {
      const set = serviceVariables(readFileSync(repoPath(file), 'utf8')).filter((name) => !DATABASE_CONTAINER_ONLY.has(name));
      expect(set.length).toBeGreaterThan(0);
      expect(set.filter((name) => !known.has(name))).toEqual([]);
    });
  }

  it('the local compose file passes the persistence, process and authentication switches through', () => {
    const set = new Set(serviceVariables(readFileSync(repoPath('docker-compose.yml'), 'utf8')));
    for (const name of ['APP_PERSISTENCE_PROFILE', 'DPM_SUPPORTABILITY_STORE_BACKEND', 'PROPOSAL_STORE_BACKEND', 'DPM_POLICY_PACK_CATALOG_BACKEND', 'WEB_CONCURRENCY', 'API_AUTH_MODE']) {
      expect(set.has(name), name).toBe(true);
    }
  });
});
