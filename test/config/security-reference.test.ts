import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderSecurityTables, replaceSecurityTables, SECURITY_DOC } from '../../scripts/security-reference.ts';
import { PERMISSION_NAMES } from '../../src/domain/access/permissions.ts';

describe('docs/security.md', () => {
  it('holds the permission tables the code renders (run `npm run docs:config` after changing a permission or a route)', async () => {
    const committed = readFileSync(SECURITY_DOC, 'utf8');
    expect(committed).toBe(replaceSecurityTables(committed, await renderSecurityTables()));
    for (const permission of PERMISSION_NAMES) expect(committed).toContain(`\`${permission}\``);
  });
});
