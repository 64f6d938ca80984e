/**
 * The conformance target for Snowflake: a fresh schema on the loopback fake for each test, with
 * password or key-pair authentication. Keys are generated per test run, never stored.
 */
import { generateKeyPairSync, randomBytes, type KeyExportOptions } from 'node:crypto';

import type { TestTarget } from '../../helpers/databases.js';
import { FakeSnowflake } from './server.js';

export const SNOWFLAKE_CREATE_USERS =
  'CREATE TABLE users (id INT AUTOINCREMENT PRIMARY KEY, name VARCHAR(255) NOT NULL);';

export const ACCOUNT = 'TESTACC';
export const WAREHOUSE = 'COMPUTE_WH';
export const PASSWORD_USER = 'pw_user';
export const PASSWORD = 'p@ss:w/rd%?&';
export const KEY_USER = 'key_user';
/** Non-ASCII on purpose: the passphrase is used as its UTF-8 bytes, as Jetbase uses it. */
export const PASSPHRASE = 'correct horse ✓ battery';

export interface TestKeys {
  readonly publicKeyPem: string;
  /** `-----BEGIN PRIVATE KEY-----` */
  readonly pkcs8: string;
  /** `-----BEGIN ENCRYPTED PRIVATE KEY-----`, PASSPHRASE */
  readonly pkcs8Encrypted: string;
  /** `-----BEGIN RSA PRIVATE KEY-----` */
  readonly pkcs1: string;
  /** `-----BEGIN RSA PRIVATE KEY-----` with `Proc-Type: 4,ENCRYPTED`, PASSPHRASE */
  readonly pkcs1Encrypted: string;
}

export function makeTestKeys(): TestKeys {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = (options: KeyExportOptions<'pem'>) => privateKey.export(options).toString();
  return {
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    pkcs8: pem({ format: 'pem', type: 'pkcs8' }),
    pkcs8Encrypted: pem({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: PASSPHRASE }),
    pkcs1: pem({ format: 'pem', type: 'pkcs1' }),
    pkcs1Encrypted: pem({ format: 'pem', type: 'pkcs1', cipher: 'aes-256-cbc', passphrase: PASSPHRASE }),
  };
}

/** A fake with one password user and one key-pair user (registered with `keys.publicKeyPem`). */
export function newFakeSnowflake(keys: TestKeys): FakeSnowflake {
  return new FakeSnowflake({
    account: ACCOUNT,
    warehouses: [WAREHOUSE],
    users: [
      { name: PASSWORD_USER, password: PASSWORD },
      { name: KEY_USER, publicKeyPem: keys.publicKeyPem },
    ],
  });
}

export interface UrlParts {
  readonly user?: string;
  /** Percent-encoded into the URL; omit for key-pair auth. */
  readonly password?: string;
  readonly database?: string;
  readonly schema?: string;
  readonly warehouse?: string | null;
}

/** `snowflake://user[:password]@TESTACC/db/schema?warehouse=…&host=127.0.0.1&port=…&protocol=http` */
export function fakeUrl(fake: FakeSnowflake, parts: UrlParts): string {
  const user = encodeURIComponent(parts.user ?? KEY_USER);
  const password = parts.password === undefined ? '' : `:${encodeURIComponent(parts.password)}`;
  const warehouse = parts.warehouse === null ? '' : `warehouse=${parts.warehouse ?? WAREHOUSE}&`;
  return `snowflake://${user}${password}@${ACCOUNT.toLowerCase()}/${parts.database ?? 'JB_DB'}/${parts.schema ?? 'PUBLIC'}?${warehouse}host=127.0.0.1&port=${fake.port}&protocol=http`;
}

export type SnowflakeAuth = 'password' | 'pkcs8' | 'pkcs8-encrypted' | 'pkcs1';

export function snowflakeTarget(fake: FakeSnowflake, keys: TestKeys, auth: SnowflakeAuth): TestTarget {
  const keyOptions = {
    password: {},
    pkcs8: { snowflakePrivateKey: keys.pkcs8 },
    'pkcs8-encrypted': { snowflakePrivateKey: keys.pkcs8Encrypted, snowflakePrivateKeyPassword: PASSPHRASE },
    pkcs1: { snowflakePrivateKey: keys.pkcs1 },
  }[auth];
  return {
    name: `snowflake (loopback fake, ${auth === 'password' ? 'password' : `key pair ${auth}`})`,
    createUsers: SNOWFLAKE_CREATE_USERS,
    transactionalDdl: false,
    options: keyOptions,
    async fresh() {
      const schema = `JB_${process.pid}_${randomBytes(4).toString('hex')}`.toUpperCase();
      fake.createSchema('JB_DB', schema);
      return auth === 'password'
        ? fakeUrl(fake, { user: PASSWORD_USER, password: PASSWORD, schema })
        : fakeUrl(fake, { user: KEY_USER, schema });
    },
  };
}
