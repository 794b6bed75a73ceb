import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoPath } from '../support/paths.ts';
import { renderConfigurationReference, renderHttpErrorCodes, replaceGenerated } from '../../src/config/reference.ts';
import { REASON_CODES } from '../../src/config/reason-codes.ts';
import { VARIABLE_DOCS } from '../../src/config/settings.ts';

describe('docs/configuration.md', () => {
  const committed = readFileSync(repoPath('docs', 'configuration.md'), 'utf8');

  it('is exactly what the code catalogue renders (run `npm run docs:config` after changing config)', () => {
    expect(committed).toBe(renderConfigurationReference());
  });

  it('names every variable and every reason code', () => {
    for (const variable of VARIABLE_DOCS) expect(committed).toContain(`\`${variable.name}\``);
    for (const code of Object.keys(REASON_CODES)) expect(committed).toContain(`\`${code}\``);
  });
});

describe('docs/errors.md', () => {
  it('lists every HTTP code exactly as the catalogue renders it (run `npm run docs:config`)', () => {
    const committed = readFileSync(repoPath('docs', 'errors.md'), 'utf8');
    expect(committed).toBe(replaceGenerated(committed, renderHttpErrorCodes()));
  });
});
