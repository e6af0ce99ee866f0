import type { z } from 'zod';

/** zod issues as the one-line problems `SourceDefinition.validateOptions` returns ("ssl.ca: ..."). */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}
