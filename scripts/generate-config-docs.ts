import { writeFileSync } from 'node:fs';
import { renderConfigurationReference } from '../src/config/reference.ts';

const target = new URL('../docs/configuration.md', import.meta.url);
writeFileSync(target, renderConfigurationReference());
process.stdout.write(`Wrote ${target.pathname}\n`);
