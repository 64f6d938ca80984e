import { parseDatabaseUrl, urlSecrets } from '../../src/config/url.js';
import {
  MIN_MASKED_VALUE_LENGTH,
  isSecretName,
  secretNameWords,
  secretValuesOf,
} from '../../src/config/secret-names.js';

describe('isSecretName', () => {
  test.each([
    'DB_PASSWORD',
    'PGPASS',
    'MYSQL_PWD',
    'GITHUB_TOKEN',
    'client_secret',
    'GOOGLE_APPLICATION_CREDENTIALS',
    'SNOWFLAKE_PRIVATE_KEY',
    'snowflake_privatekey',
  ])('%s is secret as an environment variable and as a query parameter', (name) => {
    expect(isSecretName(name, 'environment-variable')).toBe(true);
    expect(isSecretName(name, 'url-query-parameter')).toBe(true);
  });

  test.each(['API_KEY', 'AWS_SECRET_ACCESS_KEY', 'DATABASE_URL', 'PG_DSN', 'sslkey'])(
    '%s is secret as an environment variable',
    (name) => {
      expect(isSecretName(name, 'environment-variable')).toBe(true);
    },
  );

  test('in a URL query a bare "key" names a file or an id, and a "url" parameter is no connection string', () => {
    for (const name of ['sslkey', 'key_id', 'redirect_url', 'http_path', 'warehouse', 'sslmode']) {
      expect(isSecretName(name, 'url-query-parameter')).toBe(false);
    }
    expect(
      urlSecrets(parseDatabaseUrl('postgresql://u@h/db?sslkey=/certs/client.key&sslpassword=kp')),
    ).toEqual(['kp']);
  });

  test('names that hold no secret', () => {
    for (const name of ['HOME', 'PATH', 'ENVIRONMENT', 'POSTGRES_USER', 'RUNNER_OS']) {
      expect(isSecretName(name, 'environment-variable')).toBe(false);
    }
  });

  test('the words are lower case, so that Python can compare them with name.lower()', () => {
    for (const kind of ['environment-variable', 'url-query-parameter'] as const) {
      for (const word of secretNameWords(kind)) expect(word).toBe(word.toLowerCase());
    }
  });
});

describe('secretValuesOf', () => {
  test('the values of secret-named variables long enough to mask, longest first, each once', () => {
    expect(MIN_MASKED_VALUE_LENGTH).toBe(3);
    expect(
      secretValuesOf({
        DB_PASSWORD: 'abc',
        API_TOKEN: 'longer-token',
        OTHER_TOKEN: 'longer-token',
        SHORT_KEY: 'on',
        DATABASE_URL: 'postgresql://u:p@h/db',
        HOME: '/home/runner',
        EMPTY_SECRET: '',
      }),
    ).toEqual(['postgresql://u:p@h/db', 'longer-token', 'abc']);
  });
});
