/** The command line itself is wrong (unknown command or sync, missing argument): shown as is, exit 1. */
export class UsageError extends Error {}
