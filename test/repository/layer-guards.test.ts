/**
 * The layers' one-way arrows (docs/architecture.md#layers) are lint rules, and these are proofs
 * that they bite: each deliberate violation, linted as if it were a file of that layer, is an
 * error, and each allowed import is not.
 */
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths.ts';

const eslint = new ESLint({ cwd: REPO_ROOT });

async function restrictedImports(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport const used = x;\n`, { filePath: join(REPO_ROOT, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const CASES: ReadonlyArray<{ file: string; source: string; refused: boolean }> = [
  { file: 'src/domain/dpm/example.ts', source: "import { x } from '../../stores/sql/executor.ts';", refused: true },
  { file: 'src/domain/dpm/example.ts', source: "import { x } from '../../config/settings.ts';", refused: true },
  { file: 'src/domain/dpm/example.ts', source: "import { x } from '../../services/dpm/runs.ts';", refused: true },
  { file: 'src/domain/dpm/example.ts', source: "import { x } from 'node:fs';", refused: true },
  { file: 'src/domain/dpm/example.ts', source: "import { x } from 'pg';", refused: true },
  { file: 'src/domain/dpm/example.ts', source: "import { x } from '../decimal.ts';", refused: false },
  { file: 'src/http/routes/example.ts', source: "import { x } from '../../stores/sql/executor.ts';", refused: true },
  { file: 'src/http/routes/example.ts', source: "import { x } from '../../stores/dpm-runs/sql-store.ts';", refused: true },
  { file: 'src/http/routes/example.ts', source: "import { x } from 'pg';", refused: true },
  { file: 'src/http/routes/example.ts', source: "import { x } from '../../app/app.ts';", refused: true },
  { file: 'src/http/routes/example.ts', source: "import type { x } from '../../app/readiness.ts';", refused: false },
  { file: 'src/http/routes/example.ts', source: "import type { x } from '../../stores/dpm-runs/port.ts';", refused: false },
  { file: 'src/http/routes/example.ts', source: "import { x } from '../../stores/dpm-runs/port.ts';", refused: true },
  { file: 'src/services/example.ts', source: "import { x } from '../http/errors.ts';", refused: true },
  { file: 'src/stores/sql/example.ts', source: "import { x } from '../../app/app.ts';", refused: true },
];

describe('layer guards', () => {
  it.each(CASES)('$file: $source → refused $refused', async ({ file, source, refused }) => {
    const messages = await restrictedImports(file, source);
    if (refused) expect(messages).toEqual([expect.stringContaining('docs/architecture.md#layers')]);
    else expect(messages).toEqual([]);
  });
});
