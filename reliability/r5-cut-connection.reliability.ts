/**
 * R5 cut connection. A loopback TCP proxy (helpers/tcp-proxy.ts) sits between the CLI and
 * PostgreSQL. (1) The connection is cut while a migration's pg_sleep runs; (2) it is cut after a
 * random number of bytes; after either: a clear error that names the target and holds no
 * password, no half-recorded migration (history = schema), and the lock recoverable by the next
 * run (takeover). (3) The proxy starts listening only seconds after the runner started: the first
 * connection is retried with backoff and the run succeeds. (4) A wrong password is not retried.
 */
import { parseDatabaseUrl } from '../src/config/url.js';
import { createDialect } from '../src/dialects/registry.js';
import { secretForms } from '../src/report/redact.js';
import { jetbase, startJetbase, type CliResult } from '../__tests__/cli/run-cli.js';
import { PG_URL, postgresTarget } from '../__tests__/helpers/databases.js';
import { makeProject } from '../__tests__/helpers/project.js';
import { deadline, randomInt, recordFigure, sized, sleep } from './helpers/figures.js';
import { TcpProxy } from './helpers/tcp-proxy.js';
import { checkAgreement, runStatements, setupStatements, workloadFiles } from './helpers/workload.js';

const pg = PG_URL ? postgresTarget(PG_URL) : undefined;

function upstreamOf(url: string): { host: string; port: number } {
  const parsed = parseDatabaseUrl(url);
  return { host: parsed.host ?? '127.0.0.1', port: parsed.port ?? 5432 };
}

function throughProxy(url: string, proxy: TcpProxy): string {
  return url.replace(/@[^/]+\//, `@127.0.0.1:${proxy.port}/`);
}

/** One `Error:` line that names the target (host:port, user, `***` for the password), no password form. */
function clearError(result: CliResult, proxy: TcpProxy, password: string): boolean {
  const errorLine = result.stderr.split('\n').find((line) => line.startsWith('Error:')) ?? '';
  const leaked = secretForms(password).some(
    (form) => result.stderr.includes(form) || result.stdout.includes(form),
  );
  return result.code === 1 && errorLine.includes(`jetbase:***@127.0.0.1:${proxy.port}/`) && !leaked;
}

async function freshWorkloadDatabase(
  baseDir: string,
): Promise<{ url: string; dialect: Awaited<ReturnType<typeof createDialect>> }> {
  const url = await pg!.fresh();
  const dialect = await createDialect(parseDatabaseUrl(url), { baseDir });
  await runStatements(dialect, setupStatements('postgresql'));
  return { url, dialect };
}

const describePg = pg ? describe : describe.skip;

describe('a cut connection gives a clear error and a recoverable lock (R5, no PostgreSQL)', () => {
  (pg ? test.skip : test)('records that R5 did not run', () => {
    for (const id of ['R5 cut', 'R5 random cuts', 'R5 reconnect', 'R5 no retry'])
      recordFigure({ id, ok: false, text: `${id}: not run (no JETBASE_TEST_PG_URL)` });
  });
});

describePg('a cut connection gives a clear error and a recoverable lock (R5)', () => {
  test('cut while a migration runs pg_sleep', async () => {
    const runs = sized(3, 10);
    const files = workloadFiles('postgresql', 3);
    files['V2__step_2.sql'] = files['V2__step_2.sql']!.replace(
      'SELECT pg_sleep(0.004);',
      'SELECT pg_sleep(2);',
    );
    const project = makeProject(files);
    let clear = 0;
    let agree = 0;
    let recovered = 0;
    let recoveryMs = 0;
    let done = 0;
    try {
      for (; done < runs; done++) {
        const { url, dialect } = await freshWorkloadDatabase(project.jetbaseDir);
        const proxy = await TcpProxy.reserve(upstreamOf(url));
        await proxy.listen();
        const env = { JETBASE_SQLALCHEMY_URL: throughProxy(url, proxy) };
        const run = startJetbase(['upgrade', '--dir', project.jetbaseDir, '--lock-timeout', '60'], {
          cwd: project.root,
          env,
        });
        const giveUp = Date.now() + 20_000;
        while (!run.stdout().includes('V1__step_1.sql') && Date.now() < giveUp) await sleep(5);
        await sleep(300); // inside V2's pg_sleep
        proxy.cutNow();
        const result = await run.done;
        await proxy.close();
        if (clearError(result, proxy, parseDatabaseUrl(url).password!)) clear += 1;
        else process.stderr.write(`R5 cut: unclear error (exit ${result.code}):\n${result.stderr}\n`);
        const afterCut = await checkAgreement(dialect, 'postgresql');
        const started = Date.now();
        const next = await jetbase(['upgrade', '--dir', project.jetbaseDir, '--lock-timeout', '60'], {
          cwd: project.root,
          env: { JETBASE_SQLALCHEMY_URL: url },
        });
        const afterNext = await checkAgreement(dialect, 'postgresql');
        if (afterCut.agree && afterCut.applied === 1 && afterNext.agree) agree += 1;
        if (
          next.code === 0 &&
          afterNext.applied === 3 &&
          next.stderr.includes('Took over the migration lock')
        ) {
          recovered += 1;
          recoveryMs = Math.max(recoveryMs, Date.now() - started);
        }
      }
    } finally {
      project.cleanup();
    }
    const ok = done === runs && clear === runs && agree === runs && recovered === runs;
    recordFigure({
      id: 'R5 cut',
      ok,
      text:
        `R5 cut connection: ${done} cuts during a migration's pg_sleep on postgresql (through a TCP proxy): clear error naming the target without password ${clear}/${done}, ` +
        `history = schema ${agree}/${done}, next run took the lock over and finished ${recovered}/${done} (within ${(recoveryMs / 1000).toFixed(1)} s)`,
    });
    expect(ok).toBe(true);
  });

  test('cut after a random number of bytes', async () => {
    const runs = sized(10, 60);
    const project = makeProject(workloadFiles('postgresql', 20));
    const upgradeArgs = [
      'upgrade',
      '--dir',
      project.jetbaseDir,
      '--lock-timeout',
      '60',
      '--connect-timeout',
      '5',
    ];
    let failedClearly = 0;
    let failed = 0;
    let disagreements = 0;
    let recovered = 0;
    let done = 0;
    try {
      // How many bytes a whole run moves, to spread the cuts over all of it.
      const calibration = await freshWorkloadDatabase(project.jetbaseDir);
      const meter = await TcpProxy.reserve(upstreamOf(calibration.url));
      await meter.listen();
      await jetbase(upgradeArgs, {
        cwd: project.root,
        env: { JETBASE_SQLALCHEMY_URL: throughProxy(calibration.url, meter) },
      });
      const totalBytes = meter.bytes;
      await meter.close();

      const timeUp = deadline(sized(3, 12) * 60_000);
      for (; done < runs && !timeUp(); done++) {
        const { url, dialect } = await freshWorkloadDatabase(project.jetbaseDir);
        const proxy = await TcpProxy.reserve(upstreamOf(url));
        await proxy.listen();
        proxy.cutAfter(randomInt(1, totalBytes));
        const result = await jetbase(upgradeArgs, {
          cwd: project.root,
          env: { JETBASE_SQLALCHEMY_URL: throughProxy(url, proxy) },
        });
        await proxy.close();
        // A cut while connecting is retried and the run may well succeed; a failure must be clear.
        if (result.code !== 0) {
          failed += 1;
          if (clearError(result, proxy, parseDatabaseUrl(url).password!)) failedClearly += 1;
          else
            process.stderr.write(`R5 random cut: unclear error (exit ${result.code}):\n${result.stderr}\n`);
        }
        if (!(await checkAgreement(dialect, 'postgresql')).agree) disagreements += 1;
        const next = await jetbase(upgradeArgs, { cwd: project.root, env: { JETBASE_SQLALCHEMY_URL: url } });
        const after = await checkAgreement(dialect, 'postgresql');
        if (!after.agree) disagreements += 1;
        if (next.code === 0 && after.applied === 20) recovered += 1;
      }
    } finally {
      project.cleanup();
    }
    const ok =
      done === runs && failedClearly === failed && disagreements === 0 && recovered === done && failed > 0;
    recordFigure({
      id: 'R5 random cuts',
      ok,
      text:
        `R5 cut connection: ${done} cuts after a random byte count on postgresql: ${failed} runs failed, each with a clear error naming the target ${failedClearly}/${failed}, ` +
        `${disagreements} half-recorded migrations, next run finished the upgrade ${recovered}/${done}`,
    });
    expect(ok).toBe(true);
  });

  test('a database that starts listening late: the first connection is retried', async () => {
    const url = await pg!.fresh();
    const project = makeProject(workloadFiles('postgresql', 2));
    const dialect = await createDialect(parseDatabaseUrl(url), { baseDir: project.jetbaseDir });
    await runStatements(dialect, setupStatements('postgresql'));
    const proxy = await TcpProxy.reserve(upstreamOf(url));
    const lateMs = 3000;
    try {
      const started = Date.now();
      const run = startJetbase(['upgrade', '--dir', project.jetbaseDir, '--connect-timeout', '30'], {
        cwd: project.root,
        env: { JETBASE_SQLALCHEMY_URL: throughProxy(url, proxy) },
      });
      await sleep(lateMs);
      await proxy.listen();
      const result = await run.done;
      const elapsed = Date.now() - started;
      const retries = result.stderr
        .split('\n')
        .filter((line) => line.startsWith('Database not reachable yet')).length;
      const ok =
        result.code === 0 &&
        retries > 0 &&
        elapsed >= lateMs &&
        (await checkAgreement(dialect, 'postgresql')).applied === 2;
      recordFigure({
        id: 'R5 reconnect',
        ok,
        text: `R5 reconnect: database listening ${lateMs / 1000} s after the runner started: ${ok ? 'upgrade succeeded' : `upgrade FAILED (exit ${result.code})`} after ${retries} retries with backoff, in ${(elapsed / 1000).toFixed(1)} s (--connect-timeout 30)`,
      });
      if (!ok) process.stderr.write(result.stderr);
      expect(ok).toBe(true);
    } finally {
      await proxy.close();
      project.cleanup();
    }
  });

  test('a wrong password and a bad URL are not retried', async () => {
    const url = await pg!.fresh();
    const project = makeProject(workloadFiles('postgresql', 1));
    try {
      const cases = [
        url.replace(/:[^:@/]+@/, ':definitely-wrong@'),
        url.replace(/^postgresql\+psycopg2/, 'postgresql+nope').replace(/:\d+\//, ':99999/'),
      ];
      const timings: number[] = [];
      let notRetried = 0;
      for (const bad of cases) {
        const started = Date.now();
        const result = await jetbase(['upgrade', '--dir', project.jetbaseDir], {
          cwd: project.root,
          env: { JETBASE_SQLALCHEMY_URL: bad },
        });
        timings.push(Date.now() - started);
        if (result.code === 1 && !result.stderr.includes('Database not reachable yet')) notRetried += 1;
      }
      const ok = notRetried === cases.length && Math.max(...timings) < 5000;
      recordFigure({
        id: 'R5 no retry',
        ok,
        text: `R5 no retry: a wrong password and a bad URL fail at once, not retried ${notRetried}/${cases.length} (slowest ${(Math.max(...timings) / 1000).toFixed(1)} s)`,
      });
      expect(ok).toBe(true);
    } finally {
      project.cleanup();
    }
  });
});
