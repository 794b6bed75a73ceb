/** Builds throw-away migration folders for runner tests: `{ ns: { '0001_x.sql': 'sql' } }`. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function migrationsFolder(namespaces: Record<string, Record<string, string>>): string {
  const root = mkdtempSync(join(tmpdir(), 'migrations-'));
  for (const [namespace, files] of Object.entries(namespaces)) {
    mkdirSync(join(root, namespace), { recursive: true });
    for (const [name, sql] of Object.entries(files)) writeFileSync(join(root, namespace, name), sql);
  }
  return root;
}
