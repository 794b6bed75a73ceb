/**
 * Builds the operations console into console/dist (served at /console). Run by `npm install`
 * (the `prepare` script), `npm run build` and `npm run build:console`.
 *
 * Plain JavaScript on purpose: `prepare` also runs on a production install, where tsx (a
 * development dependency) is absent and a TypeScript script could not even start.
 *
 * A production install (`npm ci --omit=dev`) has no build tools: it cannot build the console and
 * says so instead of failing the install; the container image builds it in its build stage.
 * Anywhere else a missing build tool is an error.
 */
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

const configFile = fileURLToPath(new URL('../console/vite.config.ts', import.meta.url));
const productionInstall = (process.env.npm_config_omit ?? '').split(/[\s,]+/).includes('dev') || process.env['NODE_ENV'] === 'production';

let vite;
try {
  vite = await import('vite');
} catch (error) {
  if (!productionInstall) throw error;
  process.stdout.write('console: not built (development dependencies were omitted); /console will say how to build it.\n');
  process.exit(0);
}

await vite.build({ configFile, logLevel: 'warn' });
process.stdout.write('console: built into console/dist\n');
