/**
 * `verify`: replays the whole chain on a disposable, empty database — upgrade everything, roll
 * back every versioned migration newest first, upgrade everything again — with the engine's own
 * upgrade and rollback, so what is tested is exactly what a deploy runs. The first failure stops
 * it. The database must be empty: verify refuses, before writing anything, one with any table or
 * view, since it creates and drops whatever the migrations create and drop.
 *
 * All three passes share one connection: an in-memory SQLite database (`sqlite:///:memory:`)
 * lives only as long as its connection, and one session is also the cheapest on a server.
 */
import { performance } from 'node:perf_hooks';

import type { Connection, Dialect } from '../engine/dialect.js';
import { discoverMigrations } from '../engine/discovery.js';
import { JetbaseError } from '../engine/errors.js';
import { assertValidNames, rollback, upgrade } from '../engine/migrate.js';
import { withConnection } from '../engine/session.js';
import type { EngineContext, MigrationOutcome, RollbackReport, UpgradeReport } from '../engine/types.js';
import type { PassResult, VerifiedFile, VerifyFailure, VerifyPass, VerifyReport } from './types.js';

/** The first table or view of the database, or undefined when it is empty. */
export async function firstTableOrView(dialect: Dialect, conn: Connection): Promise<string | undefined> {
  if (dialect.anyTableOrView === undefined) {
    throw new JetbaseError(
      'UNSUPPORTED_DATABASE',
      `verify cannot check that a ${dialect.name} database is empty, so it does not run on one.`,
    );
  }
  const [row] = await conn.query(dialect.anyTableOrView);
  if (row === undefined) return undefined;
  const name = Object.values(row)[0];
  return name === null || name === undefined ? undefined : String(name);
}

export class NotEmptyError extends JetbaseError {
  readonly object: string;
  constructor(target: string, object: string) {
    super(
      'NOT_DISPOSABLE',
      `The verify database ${target} is not empty: it has the table or view '${object}'. Nothing was written.`,
      {
        hint: 'verify creates and drops whatever the migrations do: give it an empty, throw-away database (a `services:` container in the workflow, or sqlite:///:memory:).',
      },
    );
    this.name = 'NotEmptyError';
    this.object = object;
  }
}

/** The dialect with `connect` handing out the one connection; closing it is left to its owner. */
function pinned(dialect: Dialect, conn: Connection): Dialect {
  const shared: Connection = {
    execute: (sql, params) => conn.execute(sql, params),
    query: (sql, params) => conn.query(sql, params),
    transaction: (fn) => conn.transaction(fn),
    ...(conn.runInTransaction === undefined ? {} : { runInTransaction: conn.runInTransaction.bind(conn) }),
    close: async () => undefined,
  };
  return { ...dialect, connect: async () => shared };
}

function passOf(outcome: MigrationOutcome): PassResult {
  return { status: outcome.status === 'failed' ? 'failed' : 'ok', durationMs: outcome.durationMs };
}

/** Runs the passes in order and records each file's result; stops at the first failing pass. */
class Passes {
  readonly files = new Map<
    string,
    { file: Omit<VerifiedFile, 'passes'>; passes: Partial<Record<VerifyPass, PassResult>> }
  >();
  readonly ran: VerifyPass[] = [];
  failure: VerifyFailure | undefined;

  record(pass: VerifyPass, report: UpgradeReport | RollbackReport): boolean {
    this.ran.push(pass);
    for (const outcome of report.outcomes) {
      const entry = this.files.get(outcome.relativePath) ?? {
        file: {
          filename: outcome.filename,
          relativePath: outcome.relativePath,
          type: outcome.type,
          version: outcome.version,
        },
        passes: {},
      };
      entry.passes[pass] = passOf(outcome);
      this.files.set(outcome.relativePath, entry);
    }
    if (report.error !== undefined) this.failure = { pass, error: report.error };
    return report.error === undefined;
  }
}

export async function verifyChain(ctx: EngineContext): Promise<VerifyReport> {
  const started = performance.now();
  const discovery = discoverMigrations(ctx.jetbaseDir);
  assertValidNames(discovery);
  const withoutRollback = discovery.versioned
    .filter((file) => file.rollbackStatements.length === 0)
    .map((file) => file.relativePath);
  const { dialect } = ctx;
  return withConnection(ctx, { readOnly: false }, async (conn) => {
    const object = await firstTableOrView(dialect, conn);
    if (object !== undefined) throw new NotEmptyError(dialect.target, object);
    const shared: EngineContext = { ...ctx, dialect: pinned(dialect, conn) };
    const passes = new Passes();
    const versionedCount = discovery.versioned.length;
    // Fresh database and validated names: nothing for the history checks to skip.
    if (
      passes.record('upgrade', await upgrade(shared)) &&
      withoutRollback.length === 0 &&
      versionedCount > 0 &&
      passes.record('rollback', await rollback(shared, { count: versionedCount }))
    ) {
      passes.record('upgrade-again', await upgrade(shared));
    }
    return {
      command: 'verify',
      target: dialect.target,
      ok: passes.failure === undefined,
      files: [...passes.files.values()].map(({ file, passes: results }) => ({ ...file, passes: results })),
      withoutRollback,
      passes: passes.ran,
      ...(passes.failure === undefined ? {} : { failure: passes.failure }),
      durationMs: performance.now() - started,
    };
  });
}
