import { readFileSync } from 'node:fs';

/** The tool version recorded in plans; a plan made by another version is refused. */
export const EBB_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
