import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Row } from '../../../src/core/values.ts';
import type { ReadOptions, SourceSession } from '../../../src/sources/source.ts';
import { snowflakeSource } from '../../../src/sources/snowflake/index.ts';
import { startSnowflakeEmulator, type EmulatorOptions, type SnowflakeEmulator } from '../../support/snowflake-emulator/index.ts';

export const PASSWORD_USER = { name: 'ebb_tester', password: 'correct horse battery staple' };

/** An emulator with one password user, and a helper to open the Snowflake source against it. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<SnowflakeEmulator> {
  return startSnowflakeEmulator({ account: 'ebbtest', users: [PASSWORD_USER], ...options });
}

export function passwordOptions(emulator: SnowflakeEmulator, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    account: emulator.account,
    username: PASSWORD_USER.name,
    password: PASSWORD_USER.password,
    accessUrl: emulator.url,
    warehouse: 'TEST_WH',
    database: 'TESTDB',
    schema: 'PUBLIC',
    role: 'SYSADMIN',
    ...overrides,
  };
}

export function openSource(options: Record<string, unknown>, rootDir = process.cwd()): Promise<SourceSession> {
  return snowflakeSource.open(options, { rootDir });
}

export async function readAll(session: SourceSession, query: string, options: Partial<ReadOptions> = {}): Promise<Row[][]> {
  const batches: Row[][] = [];
  for await (const batch of session.read(query, { batchSize: 1000, ...options })) batches.push(batch);
  return batches;
}

/** An RSA key pair in a temp dir: the private key PKCS#8-encrypted with `passphrase`, as `openssl genrsa | pkcs8 -v2 aes256` would. */
export function writeEncryptedKeyPair(passphrase: string): { dir: string; keyFile: string; publicKeyPem: string; cleanup(): void } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase },
  });
  const dir = mkdtempSync(join(tmpdir(), 'ebb-snowflake-key-'));
  // Under keys/ like the example sync's `privateKeyPath: 'keys/ebb.p8'`, relative to the project root.
  mkdirSync(join(dir, 'keys'));
  const keyFile = join('keys', 'ebb.p8');
  writeFileSync(join(dir, keyFile), privateKey, { mode: 0o600 });
  return { dir, keyFile, publicKeyPem: publicKey, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
