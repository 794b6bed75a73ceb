import { readFileSync, writeFileSync } from 'node:fs';
import { renderConfigurationReference, renderHttpErrorCodes, replaceGenerated } from '../src/config/reference.ts';

const configuration = new URL('../docs/configuration.md', import.meta.url);
writeFileSync(configuration, renderConfigurationReference());
process.stdout.write(`Wrote ${configuration.pathname}\n`);

const errors = new URL('../docs/errors.md', import.meta.url);
writeFileSync(errors, replaceGenerated(readFileSync(errors, 'utf8'), renderHttpErrorCodes()));
process.stdout.write(`Updated the code table of ${errors.pathname}\n`);
