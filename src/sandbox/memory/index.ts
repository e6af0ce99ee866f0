export { startMemorySandbox, type MemorySandbox } from './server.ts';
