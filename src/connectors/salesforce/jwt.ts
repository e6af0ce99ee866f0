import { createPrivateKey, sign } from 'node:crypto';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Salesforce rejects assertions whose `exp` is more than 3 minutes ahead. */
const LIFETIME_SECONDS = 180;

function segment(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * The OAuth 2.0 JWT bearer assertion Salesforce expects: RS256, `iss` = connected app consumer key,
 * `sub` = username, `aud` = login host, short `exp`.
 */
export function signJwtAssertion(input: {
  clientId: string;
  username: string;
  audience: string;
  privateKeyPem: string;
  passphrase?: string;
  nowMs?: number;
}): string {
  const now = Math.floor((input.nowMs ?? Date.now()) / 1000);
  const body = `${segment({ alg: 'RS256' })}.${segment({ iss: input.clientId, sub: input.username, aud: input.audience, exp: now + LIFETIME_SECONDS })}`;
  const key = createPrivateKey(input.passphrase === undefined ? input.privateKeyPem : { key: input.privateKeyPem, passphrase: input.passphrase });
  return `${body}.${sign('RSA-SHA256', Buffer.from(body), key).toString('base64url')}`;
}
