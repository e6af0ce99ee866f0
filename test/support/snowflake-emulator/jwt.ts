import { createHash, createPublicKey, verify } from 'node:crypto';

/**
 * Checks a key-pair login JWT the way Snowflake does (spec §3.2): RS256 signature by the user's
 * registered key, `sub` = ACCOUNT.USER and `iss` = ACCOUNT.USER.SHA256:<fingerprint of that key>.
 * Returns the reason it is refused, or undefined when it is valid.
 */
export function jwtProblem(token: string, account: string, user: string, publicKeyPem: string | undefined): string | undefined {
  if (!publicKeyPem) return `user ${user} has no RSA public key registered`;
  const parts = token.split('.');
  if (parts.length !== 3) return 'token is not a JWT';
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  const payload = decodeJson(payloadPart);
  if (!header || !payload) return 'token header or payload is not JSON';
  if (header.alg !== 'RS256') return `unsupported JWT algorithm ${String(header.alg)}`;

  const publicKey = createPublicKey(publicKeyPem);
  const signed = verify('RSA-SHA256', Buffer.from(`${headerPart}.${payloadPart}`), publicKey, Buffer.from(signaturePart, 'base64url'));
  if (!signed) return 'signature does not match the registered public key';

  const subject = `${account.toUpperCase()}.${user.toUpperCase()}`;
  if (payload.sub !== subject) return `sub is ${String(payload.sub)}, expected ${subject}`;
  const fingerprint = createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest('base64');
  if (payload.iss !== `${subject}.SHA256:${fingerprint}`) return 'iss does not name the registered key fingerprint';
  // The Node driver writes iat/exp in milliseconds; a seconds-based check would read it as far future.
  if (typeof payload.exp !== 'number' || payload.exp < Date.now()) return 'token has expired';
  return undefined;
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
