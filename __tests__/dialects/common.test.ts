/**
 * What the dialects share (src/dialects/common.ts) and how each one's driver errors reach the
 * engine (Dialect.driverErrorIs, src/engine/connect.ts): the loopback check, the transaction
 * wrapper on a real SQLite database, and connection retries against loopback servers that answer
 * the way a starting PostgreSQL or a wrong password does.
 */
import { once } from 'node:events';
import net from 'node:net';

import { parseDatabaseUrl } from '../../src/config/url.js';
import { inTransaction, isLoopbackHost } from '../../src/dialects/common.js';
import { mysqlDriverErrorIs } from '../../src/dialects/mysql/index.js';
import { postgresqlDriverErrorIs } from '../../src/dialects/postgresql/index.js';
import { createDialect } from '../../src/dialects/registry.js';
import { connectWithRetry, isTransientConnectError, namingLostTarget } from '../../src/engine/connect.js';
import type { Connection, Dialect, DriverErrorKind } from '../../src/engine/dialect.js';
import { JetbaseError, MigrationError } from '../../src/engine/errors.js';
import type { EngineEvent } from '../../src/engine/types.js';

const dialectOf = (url: string): Promise<Dialect> => createDialect(parseDatabaseUrl(url), { baseDir: '.' });

const withCode = (message: string, code: string): Error => Object.assign(new Error(message), { code });

describe('isLoopbackHost', () => {
  test.each([
    '127.0.0.1',
    '127.0.0.0',
    '127.255.255.255',
    '127.1.2.3',
    '::1',
    '[::1]',
    'localhost',
    'LocalHost',
  ])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  test.each([
    '',
    '128.0.0.1',
    '10.0.0.5',
    '0.0.0.0',
    '127.0.0.256',
    '127.0.0',
    '127.0.0.1.example.com',
    '127.0.0.1 ',
    ' localhost',
    'localhost.example.com',
    'mylocalhost',
    '[::1',
    '::1]',
    '::2',
    '0:0:0:0:0:0:0:1',
    '::ffff:127.0.0.1',
    'example.com',
  ])('%j is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('inTransaction on a real SQLite database', () => {
  let conn: Connection;
  beforeEach(async () => {
    conn = await (await dialectOf('sqlite:///:memory:')).connect();
    await conn.execute('CREATE TABLE t (id INTEGER)');
  });
  afterEach(async () => {
    await conn.close();
  });
  const send = (sql: string) => conn.execute(sql);
  const count = async () => Number((await conn.query<{ n: number }>('SELECT COUNT(*) AS n FROM t'))[0]?.n);

  test('commits what fn did and returns its value', async () => {
    await expect(
      inTransaction(send, async () => (await conn.execute('INSERT INTO t VALUES (1)')).rowsAffected),
    ).resolves.toBe(1);
    expect(await count()).toBe(1);
  });

  test('rolls back when fn throws, and rethrows that error', async () => {
    const failure = new Error('the statement failed');
    await expect(
      inTransaction(send, async () => {
        await conn.execute('INSERT INTO t VALUES (1)');
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await count()).toBe(0);
  });

  test("a ROLLBACK that fails does not hide fn's error", async () => {
    const failure = new Error('the real reason');
    // fn ends the transaction itself, so the wrapper's ROLLBACK fails ("no transaction is active").
    await expect(
      inTransaction(send, async () => {
        await conn.execute('ROLLBACK');
        throw failure;
      }),
    ).rejects.toBe(failure);
    await expect(conn.execute('ROLLBACK')).rejects.toThrow(/no transaction is active/);
  });

  test('the begin statement is a parameter; a failed COMMIT rolls back and is the error', async () => {
    await expect(inTransaction(send, async () => 1, 'BEGIN NONSENSE')).rejects.toThrow(/syntax error/);
    await expect(
      inTransaction(
        send,
        async () => {
          await conn.execute('INSERT INTO t VALUES (1)');
          await conn.execute('COMMIT'); // the wrapper's own COMMIT now has nothing to commit
        },
        'BEGIN IMMEDIATE',
      ),
    ).rejects.toThrow(/no transaction is active/);
    expect(await count()).toBe(1);
  });
});

describe("each dialect's driver errors", () => {
  const kinds =
    (is: (error: { message: string; code: string | undefined }, kind: DriverErrorKind) => boolean) =>
    (message: string, code?: string): DriverErrorKind[] =>
      (['transient', 'lost'] as const).filter((kind) => is({ message, code }, kind));

  test('PostgreSQL: starting up is transient; a terminated connection is lost, and transient while connecting', () => {
    const pg = kinds(postgresqlDriverErrorIs);
    expect(pg('the database system is starting up', '57P03')).toEqual(['transient']);
    expect(pg('the database system is in recovery mode')).toEqual(['transient']);
    expect(pg('the database system is not yet accepting connections')).toEqual(['transient']);
    expect(pg('something', '57P03')).toEqual(['transient']);
    expect(pg('Connection terminated unexpectedly')).toEqual(['transient', 'lost']);
    expect(pg('Connection terminated due to connection timeout')).toEqual(['transient', 'lost']);
    expect(pg('Connection terminated')).toEqual(['lost']);
    expect(pg('Client has encountered a connection error and is not queryable')).toEqual(['lost']);
    expect(pg('password authentication failed for user "app"', '28P01')).toEqual([]);
    expect(pg('Connection lost: The server closed the connection.', 'PROTOCOL_CONNECTION_LOST')).toEqual([]);
  });

  test("MySQL: mysql2's lost connection is both; other errors are neither", () => {
    const my = kinds(mysqlDriverErrorIs);
    expect(my('Connection lost: The server closed the connection.', 'PROTOCOL_CONNECTION_LOST')).toEqual([
      'transient',
      'lost',
    ]);
    expect(my('Connection lost: The server closed the connection.')).toEqual(['transient', 'lost']);
    expect(my('anything', 'PROTOCOL_CONNECTION_LOST')).toEqual(['transient', 'lost']);
    expect(my('Connection lost')).toEqual(['lost']);
    expect(
      my("Access denied for user 'app'@'localhost' (using password: YES)", 'ER_ACCESS_DENIED_ERROR'),
    ).toEqual([]);
    expect(my('the database system is starting up', '57P03')).toEqual([]);
  });

  test("the engine asks the error's own dialect, and knows Node's socket errors for every dialect", async () => {
    const pg = await dialectOf('postgresql://app:pw@127.0.0.1:1/db');
    const mysql = await dialectOf('mysql://app:pw@127.0.0.1:1/db');
    const sqlite = await dialectOf('sqlite:///:memory:');
    const startingUp = withCode('the database system is starting up', '57P03');
    expect([pg, mysql, sqlite].map((d) => isTransientConnectError(startingUp, d))).toEqual([
      true,
      false,
      false,
    ]);
    const mysqlLost = withCode(
      'Connection lost: The server closed the connection.',
      'PROTOCOL_CONNECTION_LOST',
    );
    expect([pg, mysql, sqlite].map((d) => isTransientConnectError(mysqlLost, d))).toEqual([
      false,
      true,
      false,
    ]);
    for (const dialect of [pg, mysql, sqlite, undefined]) {
      expect(
        isTransientConnectError(withCode('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'), dialect),
      ).toBe(true);
      // A scrubbed error has lost its code; the message still says it.
      expect(isTransientConnectError(new Error('connect ETIMEDOUT 10.0.0.1:5432'), dialect)).toBe(true);
      expect(
        isTransientConnectError(new Error('wrapped', { cause: withCode('x', 'EAI_AGAIN') }), dialect),
      ).toBe(true);
      expect(isTransientConnectError(new Error('password authentication failed'), dialect)).toBe(false);
      expect(isTransientConnectError(new JetbaseError('DATABASE', 'connect ECONNREFUSED'), dialect)).toBe(
        false,
      );
    }
  });

  test('namingLostTarget names the target of a lost connection, by the dialect or by a target it connected', async () => {
    const pg = await dialectOf('postgresql://app:pw@127.0.0.1:1/db');
    const sqlite = await dialectOf('sqlite:///:memory:');
    const cut = new MigrationError({
      file: 'migrations/V2__b.sql',
      section: 'upgrade',
      statementIndex: 0,
      line: 1,
      statement: 'SELECT pg_sleep(2)',
      committedStatements: [],
      driverMessage: 'Connection terminated unexpectedly',
      cause: new Error('Connection terminated unexpectedly'),
    });
    const before = cut.message;
    const named = namingLostTarget(cut, pg);
    expect(named).toBe(cut);
    expect(named.message).toBe(`Lost the connection to ${pg.target}: ${before}`);
    expect(namingLostTarget(cut, pg).message.match(/Lost the connection/g)).toHaveLength(1);

    // A plain driver error becomes a JetbaseError that keeps it as its cause.
    const reset = withCode('read ECONNRESET', 'ECONNRESET');
    const wrapped = namingLostTarget(reset, sqlite);
    expect(wrapped).toBeInstanceOf(JetbaseError);
    expect(wrapped).toMatchObject({
      message: `Lost the connection to ${sqlite.target}: read ECONNRESET`,
      cause: reset,
    });
    expect(namingLostTarget(new Error('socket hang up'), sqlite)).toBeInstanceOf(JetbaseError);

    // pg's words mean nothing to another dialect; errors that are not a lost connection stay as they are.
    const terminated = new Error('Connection terminated');
    expect(namingLostTarget(terminated, sqlite)).toBe(terminated);
    const syntax = new Error('syntax error at or near "SELEC"');
    expect(namingLostTarget(syntax, pg)).toBe(syntax);
  });
});

/** A loopback server that answers every PostgreSQL startup with one ErrorResponse and hangs up. */
async function refusingPostgres(
  code: string,
  message: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const field = (type: string, value: string) =>
    Buffer.concat([Buffer.from(type), Buffer.from(`${value}\0`)]);
  const body = Buffer.concat([
    field('S', 'FATAL'),
    field('V', 'FATAL'),
    field('C', code),
    field('M', message),
    Buffer.from('\0'),
  ]);
  const length = Buffer.alloc(4);
  length.writeInt32BE(body.length + 4);
  const reply = Buffer.concat([Buffer.from('E'), length, body]);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', () => socket.end(reply));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `postgresql://app:s3cret@127.0.0.1:${port}/db?sslmode=disable`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('connectWithRetry with the PostgreSQL dialect against loopback servers', () => {
  const attempt = async (code: string, message: string, connectRetryMs: number) => {
    const server = await refusingPostgres(code, message);
    const events: EngineEvent[] = [];
    try {
      const dialect = await dialectOf(server.url);
      const error = await connectWithRetry(
        { jetbaseDir: '.', dialect, connectRetryMs, onEvent: (event) => events.push(event) },
        false,
      ).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      return {
        error: error as JetbaseError,
        retries: events.filter((e) => e.type === 'connect-retry').length,
      };
    } finally {
      await server.close();
    }
  };

  test('"starting up" (57P03) is retried until the budget is spent', async () => {
    const { error, retries } = await attempt('57P03', 'the database system is starting up', 700);
    expect(retries).toBeGreaterThanOrEqual(2);
    expect(error).toBeInstanceOf(JetbaseError);
    expect(error.message).toMatch(
      /^Cannot connect to postgresql:\/\/app:\*\*\*@127\.0\.0\.1:\d+\/db.*: the database system is starting up \(gave up after \d+ attempts over/,
    );
  });

  test('without a budget it fails at once, with the hint to wait', async () => {
    const { error, retries } = await attempt('57P03', 'the database system is starting up', 0);
    expect(retries).toBe(0);
    expect(error.hint).toContain('--connect-timeout');
  });

  test("a lost connection is named by the dialect's own words, which the engine does not know", async () => {
    const server = await refusingPostgres('57P03', 'the database system is starting up');
    try {
      const dialect = await dialectOf(server.url);
      const terminated = new Error('Connection terminated unexpectedly');
      expect(namingLostTarget(terminated, { target: dialect.target, driverErrorIs: undefined })).toBe(
        terminated,
      );
      expect(namingLostTarget(terminated, dialect)).toMatchObject({
        message: `Lost the connection to ${dialect.target}: Connection terminated unexpectedly`,
      });
    } finally {
      await server.close();
    }
  });

  test('a wrong password is never retried and gets no hint', async () => {
    const { error, retries } = await attempt('28P01', 'password authentication failed for user "app"', 5000);
    expect(retries).toBe(0);
    expect(error.message).toContain('password authentication failed');
    expect(error.message).not.toContain('gave up');
    expect(error.hint).toBeUndefined();
  });
});
