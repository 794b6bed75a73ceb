import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONSOLE_API_TYPES_FILE, renderConsoleApiTypes } from '../../scripts/console-api-types.ts';

describe('console/src/api/schema.d.ts', () => {
  it('is what the service\'s OpenAPI document generates (run `npm run console:api-types` after changing a route)', async () => {
    expect(readFileSync(CONSOLE_API_TYPES_FILE, 'utf8')).toBe(await renderConsoleApiTypes());
  });
});
