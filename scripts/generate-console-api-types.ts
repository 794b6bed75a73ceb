import { writeFileSync } from 'node:fs';
import { CONSOLE_API_TYPES_FILE, renderConsoleApiTypes } from './console-api-types.ts';

writeFileSync(CONSOLE_API_TYPES_FILE, await renderConsoleApiTypes());
process.stdout.write(`Wrote ${CONSOLE_API_TYPES_FILE.pathname}\n`);
