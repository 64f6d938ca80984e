import { UrlError } from '../../src/engine/errors.js';
import type { DatabaseUrl } from '../../src/config/types.js';
import { parseDatabaseUrl, urlSecrets } from '../../src/config/url.js';

type Expected = Partial<Omit<DatabaseUrl, 'raw'>>;

/** Every URL form Jetbase's connection documentation shows, plus the edge forms of docs/format.md, "Database URLs". */
const VALID: ReadonlyArray<[string, Expected]> = [
  // The forms of the Jetbase connections documentation
  [
    'postgresql+psycopg2://user:password@localhost:5432/mydb',
    {
      dialect: 'postgresql',
      driver: 'psycopg2',
      username: 'user',
      password: 'password',
      host: 'localhost',
      port: 5432,
      database: 'mydb',
      redacted: 'postgresql+psycopg2://user:***@localhost:5432/mydb',
    },
  ],
  [
    'sqlite+aiosqlite:///./egos.db',
    { dialect: 'sqlite', driver: 'aiosqlite', host: null, database: './egos.db', password: null },
  ],
  [
    'postgresql+asyncpg://user:password@localhost:5432/mydb',
    { dialect: 'postgresql', driver: 'asyncpg', database: 'mydb' },
  ],
  [
    'sqlite:///./mydb.db',
    { dialect: 'sqlite', driver: null, database: './mydb.db', redacted: 'sqlite:///./mydb.db' },
  ],
  [
    'postgresql+psycopg2://myuser:mypassword@localhost:5432/myapp',
    { username: 'myuser', password: 'mypassword', database: 'myapp' },
  ],
  ['sqlite+aiosqlite:///./local.db', { dialect: 'sqlite', database: './local.db' }],
  ['sqlite+aiosqlite:///./dev.db', { dialect: 'sqlite', database: './dev.db' }],
  [
    'postgresql+psycopg2://staging_user:staging_pass@staging-db.example.com:5432/staging_db',
    {
      username: 'staging_user',
      password: 'staging_pass',
      host: 'staging-db.example.com',
      port: 5432,
      database: 'staging_db',
    },
  ],
  [
    'postgresql+asyncpg://prod_user:prod_pass@prod-db.example.com:5432/prod_db',
    {
      driver: 'asyncpg',
      host: 'prod-db.example.com',
      redacted: 'postgresql+asyncpg://prod_user:***@prod-db.example.com:5432/prod_db',
    },
  ],
  ['postgresql+asyncpg://user:pass@db:5432/app', { host: 'db', port: 5432, database: 'app' }],
  ['sqlite+aiosqlite:///mydb.db', { dialect: 'sqlite', database: 'mydb.db' }],
  ['sqlite:///mydb.db', { dialect: 'sqlite', database: 'mydb.db' }],
  [
    'postgresql+asyncpg://myuser:mypassword@localhost:5432/myapp',
    { dialect: 'postgresql', database: 'myapp' },
  ],
  [
    'postgresql://myuser:mypassword@localhost:5432/myapp',
    { dialect: 'postgresql', driver: null, port: 5432 },
  ],
  [
    'snowflake://username:password@account/database/schema?warehouse=WAREHOUSE_NAME',
    {
      dialect: 'snowflake',
      username: 'username',
      password: 'password',
      host: 'account',
      database: 'database/schema',
      query: { warehouse: 'WAREHOUSE_NAME' },
    },
  ],
  [
    'snowflake://myuser:mypassword@myaccount.us-east-1/my_db/public?warehouse=COMPUTE_WH',
    {
      dialect: 'snowflake',
      host: 'myaccount.us-east-1',
      database: 'my_db/public',
      query: { warehouse: 'COMPUTE_WH' },
      redacted: 'snowflake://myuser:***@myaccount.us-east-1/my_db/public?warehouse=COMPUTE_WH',
    },
  ],
  [
    'snowflake://myuser@myaccount.us-east-1/my_db/public?warehouse=COMPUTE_WH',
    {
      dialect: 'snowflake',
      username: 'myuser',
      password: null,
      host: 'myaccount.us-east-1',
      database: 'my_db/public',
      redacted: 'snowflake://myuser@myaccount.us-east-1/my_db/public?warehouse=COMPUTE_WH',
    },
  ],
  ['sqlite:///path/to/database.db', { dialect: 'sqlite', database: 'path/to/database.db' }],
  ['sqlite:///myapp.db', { dialect: 'sqlite', database: 'myapp.db' }],
  ['sqlite:///:memory:', { dialect: 'sqlite', database: ':memory:' }],
  ['sqlite+aiosqlite:///myapp.db', { dialect: 'sqlite', driver: 'aiosqlite', database: 'myapp.db' }],
  [
    'mysql+pymysql://myuser:mypassword@localhost:3306/myapp',
    { dialect: 'mysql', driver: 'pymysql', port: 3306, database: 'myapp' },
  ],
  [
    'databricks://token:ACCESS_TOKEN@HOSTNAME?http_path=HTTP_PATH&catalog=CATALOG&schema=SCHEMA',
    {
      dialect: 'databricks',
      username: 'token',
      password: 'ACCESS_TOKEN',
      host: 'HOSTNAME',
      database: null,
      query: { http_path: 'HTTP_PATH', catalog: 'CATALOG', schema: 'SCHEMA' },
    },
  ],
  [
    'databricks://token:dapi1234567890abcdef@adb-1234567890123456.cloud.databricks.comt?http_path=/sql/1.0/warehouses/abc123def456&catalog=main&schema=default',
    {
      dialect: 'databricks',
      username: 'token',
      password: 'dapi1234567890abcdef',
      host: 'adb-1234567890123456.cloud.databricks.comt',
      port: null,
      database: null,
      query: { http_path: '/sql/1.0/warehouses/abc123def456', catalog: 'main', schema: 'default' },
      redacted:
        'databricks://token:***@adb-1234567890123456.cloud.databricks.comt?http_path=/sql/1.0/warehouses/abc123def456&catalog=main&schema=default',
    },
  ],
  // Edge forms
  [
    'databricks+connector://token:dapiX@host.example.com?http_path=/sql/1&catalog=c&schema=s',
    { dialect: 'databricks', driver: 'connector', password: 'dapiX' },
  ],
  ['postgres://u:p@localhost/db', { dialect: 'postgresql', driver: null, port: null, database: 'db' }],
  ['postgres+asyncpg://u:p@localhost/db', { dialect: 'postgresql', driver: 'asyncpg' }],
  ['mariadb+pymysql://u:p@db:3307/app', { dialect: 'mysql', driver: 'pymysql', port: 3307 }],
  ['mysql://root@127.0.0.1/test', { dialect: 'mysql', username: 'root', password: null, host: '127.0.0.1' }],
  [
    'postgresql://us%20er:p%40ss%3Aw%2Frd%25@localhost:5432/my%2Ddb',
    {
      username: 'us er',
      password: 'p@ss:w/rd%',
      database: 'my-db',
      redacted: 'postgresql://us%20er:***@localhost:5432/my%2Ddb',
    },
  ],
  [
    'postgresql://user:p@ss@word@db.example.com:5432/app',
    {
      username: 'user',
      password: 'p@ss@word',
      host: 'db.example.com',
      database: 'app',
      redacted: 'postgresql://user:***@db.example.com:5432/app',
    },
  ],
  ['postgresql://user:pa:ss@localhost/app', { password: 'pa:ss', host: 'localhost' }],
  [
    'postgresql://user:@localhost/app',
    { username: 'user', password: '', redacted: 'postgresql://user:***@localhost/app' },
  ],
  ['postgresql://u:p@[::1]:5433/db', { host: '::1', port: 5433, database: 'db' }],
  ['postgresql://u:p@[2001:db8::42]/db', { host: '2001:db8::42', port: null }],
  [
    'postgresql://localhost/db',
    { username: null, password: null, host: 'localhost', redacted: 'postgresql://localhost/db' },
  ],
  [
    'postgresql://u:p@localhost:5432/db?sslmode=require&application_name=my+app%21',
    { query: { sslmode: 'require', application_name: 'my app!' } },
  ],
  ['postgresql://u:p@h/db?a=1&a=2', { query: { a: '2' } }],
  [
    'postgresql://u:p@h/db?sslpassword=s3cret&sslmode=verify-full',
    {
      query: { sslpassword: 's3cret', sslmode: 'verify-full' },
      redacted: 'postgresql://u:***@h/db?sslpassword=***&sslmode=verify-full',
    },
  ],
  ['postgresql://u:p@h/db?login=a@b', { username: 'u', password: 'p', host: 'h', query: { login: 'a@b' } }],
  ['sqlite:////abs/path.db', { dialect: 'sqlite', database: '/abs/path.db' }],
  ['sqlite:////tmp/with%20space.db', { database: '/tmp/with space.db' }],
  ['sqlite://', { dialect: 'sqlite', database: ':memory:', host: null }],
  ['sqlite:///', { dialect: 'sqlite', database: ':memory:' }],
  ['sqlite:///file.db?mode=ro', { database: 'file.db', query: { mode: 'ro' } }],
  ['PostgreSQL://u:p@h/db', { dialect: 'postgresql' }],
];

describe('parseDatabaseUrl: valid URLs', () => {
  test.each(VALID)('%s', (raw, expected) => {
    const url = parseDatabaseUrl(raw);
    expect(url).toMatchObject(expected);
    expect(url.raw).toBe(raw);
    if (url.password) expect(url.redacted).not.toContain(`:${url.password}@`);
  });
});

const SECRET = 'S3cr3tPw';

/** [url, what the one-line message must contain]; none of them may show SECRET. */
const INVALID: ReadonlyArray<[string, string]> = [
  ['', "Could not parse SQLAlchemy URL from string ''"],
  ['not a url', "Could not parse SQLAlchemy URL from string 'not a url'"],
  // Without '://' a user cannot be told from a password: the whole userinfo is masked.
  [`postgresql:/u:${SECRET}@h/db`, "Could not parse SQLAlchemy URL from string '***@h/db'"],
  [`://u:${SECRET}@h/db`, 'Could not parse SQLAlchemy URL'],
  [`u:${SECRET}@localhost:5432/db`, "Could not parse SQLAlchemy URL from string '***@localhost:5432/db'"],
  [`post gres://u:${SECRET}@h/db`, 'Could not parse SQLAlchemy URL'],
  [`postgresql+://u:${SECRET}@h/db`, 'Could not parse SQLAlchemy URL'],
  [
    `oracle://u:${SECRET}@h/db`,
    'Unsupported database: oracle. Supported databases are: postgresql, sqlite, snowflake, mysql, databricks',
  ],
  [
    `mssql+pyodbc://u:${SECRET}@h/db`,
    'Unsupported database: mssql. Supported databases are: postgresql, sqlite, snowflake, mysql, databricks',
  ],
  [`clickhouse://default:${SECRET}@localhost:8123/default`, 'ClickHouse is not supported by jetbase-action'],
  [`postgresql://u:${SECRET}@h:99999/db`, "Invalid port '99999'"],
  [`postgresql://u:${SECRET}@h:abc/db`, "Invalid port 'abc' in database URL 'postgresql://u:***@h:abc/db'"],
  [`postgresql://u:${SECRET}@h:0/db`, "Invalid port '0'"],
  // The documentation's templates: "port" is a placeholder, not a number.
  ['postgresql+driver://username:password@host:port/database', "Invalid port 'port'"],
  ['mysql+pymysql://username:password@host:port/database', "Invalid port 'port'"],
  [`postgresql://u:${SECRET}@[::1/db`, "Invalid IPv6 host in database URL 'postgresql://u:***@[::1/db'"],
  [`postgresql://u:${SECRET}@[::1]x/db`, 'Invalid host'],
  [`postgresql://u:${SECRET}@h:-1/db`, "Invalid port '-1'"],
];

describe('parseDatabaseUrl: invalid URLs', () => {
  test.each(INVALID)('%j', (raw, expected) => {
    let caught: unknown;
    try {
      parseDatabaseUrl(raw);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UrlError);
    const message = (caught as UrlError).message;
    expect(message).toContain(expected);
    expect(message).not.toContain('\n');
    expect(message).not.toContain(SECRET);
    expect((caught as UrlError).code).toBe('URL');
  });

  test('the unsupported-database message starts exactly as Jetbase words it', () => {
    expect(() => parseDatabaseUrl('oracle://h/db')).toThrow(
      /^Unsupported database: oracle\. Supported databases are: postgresql, sqlite, snowflake, mysql, databricks/,
    );
  });
});

describe('urlSecrets', () => {
  test('password, Databricks token and credential-like query values', () => {
    expect(urlSecrets(parseDatabaseUrl('postgresql://u:p%40ss@h/db'))).toEqual(['p@ss']);
    expect(urlSecrets(parseDatabaseUrl('databricks://token:dapiABC@h?http_path=/x&catalog=c'))).toEqual([
      'dapiABC',
    ]);
    expect(
      urlSecrets(
        parseDatabaseUrl('snowflake://u@acct/db/s?warehouse=W&private_key_file_pwd=kp&token=tk&sslmode=x'),
      ),
    ).toEqual(['kp', 'tk']);
    expect(urlSecrets(parseDatabaseUrl('sqlite:///./x.db'))).toEqual([]);
  });
});
