import { readFileSync, writeFileSync } from 'node:fs';
import { renderConfigurationReference, renderHttpErrorCodes, replaceGenerated } from '../src/config/reference.ts';
import { renderSecurityTables, replaceSecurityTables, SECURITY_DOC } from './security-reference.ts';

const configuration = new URL('../docs/configuration.md', import.meta.url);
writeFileSync(configuration, renderConfigurationReference());
process.stdout.write(`Wrote ${configuration.pathname}\n`);

const errors = new URL('../docs/errors.md', import.meta.url);
writeFileSync(errors, replaceGenerated(readFileSync(errors, 'utf8'), renderHttpErrorCodes()));
process.stdout.write(`Updated the code table of ${errors.pathname}\n`);

writeFileSync(SECURITY_DOC, replaceSecurityTables(readFileSync(SECURITY_DOC, 'utf8'), await renderSecurityTables()));
process.stdout.write(`Updated the permission tables of ${SECURITY_DOC.pathname}\n`);
