/** The credentials the sandbox accepts: Zendesk API-token auth (`email/token:apiToken`) or a Bearer (OAuth) token. */
export interface ZendeskCredentials {
  email: string;
  apiToken: string;
}

export function isAuthorized(header: string | undefined, credentials: ZendeskCredentials): boolean {
  if (!header) return false;
  const [scheme, value = ''] = header.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer') return value === credentials.apiToken;
  if (scheme?.toLowerCase() !== 'basic') return false;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  return decoded === `${credentials.email}/token:${credentials.apiToken}`;
}
