import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDemo } from './demo/run-demo.ts';
import { processIo } from './io.ts';

// `npm run demo`: runs in this checkout, whose syncs/ hold the example syncs.
const rootDir = resolve(fileURLToPath(import.meta.url), '../../..');
process.exit(await runDemo({ ...processIo(), cwd: rootDir }, rootDir));
