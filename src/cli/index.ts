/**
 * `jetbase`: the Python Jetbase CLI's commands on this project's engine. Flow per database
 * command: jetbase directory → configuration → secrets registered for redaction → URL → dialect →
 * engine command → report printed (human or --json) → exit code (0 ok, 1 failure, 2 usage,
 * 130/143 cancelled by a signal).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { requireUrl, resolveConfig } from '../config/resolve.js';
import type { JetbaseConfig } from '../config/types.js';
import { parseDatabaseUrl, urlSecrets } from '../config/url.js';
import { createDialect } from '../dialects/registry.js';
import {
  current,
  fixAll,
  history,
  init,
  JetbaseError,
  lockStatus,
  newMigration,
  rollback,
  status,
  unlock,
  upgrade,
  validateChecksums,
  validateFiles,
  type EngineContext,
  type SkipOptions,
} from '../engine/index.js';
import { redactor } from '../report/redact.js';
import { parseCliArgs, type Command, type GlobalOptions, type Invocation } from './args.js';
import { commandHelp, globalHelp } from './help.js';
import { resolveJetbaseDir } from './jetbase-dir.js';
import { failureJson, reportJson } from './json.js';
import { Output, wantsColour, type TextSink } from './output.js';
import {
  eventPrinter,
  printChecksums,
  printCurrent,
  printError,
  printFiles,
  printFix,
  printHistory,
  printLockStatus,
  printRollback,
  printStatus,
  printUnlock,
  printUpgrade,
  printValidate,
} from './print.js';
import { CancellationGuard } from './signals.js';

export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

const EXIT_OK = 0;
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

/** How long the first connection is retried while the database is starting (--connect-timeout). */
const DEFAULT_CONNECT_TIMEOUT_SECONDS = 30;

function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

function toolVersion(): string {
  // lib/cli/index.js and src/cli/index.ts both sit two levels below package.json.
  const manifest: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  const version = (manifest as { version?: unknown }).version;
  return typeof version === 'string' ? version : 'unknown';
}

function exitCodeOf(error: unknown, cancelledExitCode: number | undefined): number {
  if (error instanceof JetbaseError) {
    if (error.code === 'USAGE') return EXIT_USAGE;
    if (error.code === 'CANCELLED') return cancelledExitCode ?? 130;
  }
  return EXIT_FAILURE;
}

/** Commands that may take the lock: a signal must let them release it. */
function takesLock(command: Command): boolean {
  switch (command.name) {
    case 'upgrade':
    case 'rollback':
      return !command.dryRun;
    case 'validate-checksums':
    case 'validate-files':
      return command.fix;
    case 'fix-checksums':
    case 'fix-files':
    case 'fix':
      return true;
    default:
      return false;
  }
}

function skipFlagsOf(command: Command): SkipOptions {
  if (command.name === 'upgrade' || command.name === 'status' || command.name === 'validate') {
    return {
      skipValidation: command.skipValidation,
      skipChecksumValidation: command.skipChecksumValidation,
      skipFileValidation: command.skipFileValidation,
    };
  }
  return {};
}

/** Flag OR config value: either one turns a check off (contract §1.3). */
function skipOptions(command: Command, config: JetbaseConfig): SkipOptions {
  const flags = skipFlagsOf(command);
  return {
    skipValidation: Boolean(flags.skipValidation) || config.skipValidation,
    skipChecksumValidation: Boolean(flags.skipChecksumValidation) || config.skipChecksumValidation,
    skipFileValidation: Boolean(flags.skipFileValidation) || config.skipFileValidation,
  };
}

interface Session {
  readonly io: CliIo;
  readonly output: Output;
  readonly options: GlobalOptions;
  /** Present for commands that may take the lock (see takesLock). */
  readonly guard: CancellationGuard | undefined;
}

async function connectContext(
  session: Session,
  jetbaseDir: string,
  onEvent: EngineContext['onEvent'],
): Promise<{ ctx: EngineContext; config: JetbaseConfig }> {
  const { options, io, output } = session;
  const config = await resolveConfig({
    jetbaseDir,
    env: io.env,
    overrides: {
      ...(options.url === undefined ? {} : { sqlalchemy_url: options.url }),
      ...(options.postgresSchema === undefined ? {} : { postgres_schema: options.postgresSchema }),
    },
  });
  for (const notice of config.notices) output.log(`Note: ${notice}`);
  const rawUrl = requireUrl(config);
  // resolveConfig registers these too; registering here keeps the CLI safe whatever the resolver does.
  redactor.add(config.snowflakePrivateKey);
  redactor.add(config.snowflakePrivateKeyPassword);
  const url = parseDatabaseUrl(rawUrl);
  const secrets = urlSecrets(url);
  for (const secret of secrets) redactor.add(secret);
  if (secrets.length > 0) redactor.add(rawUrl);
  const dialect = await createDialect(url, {
    baseDir: jetbaseDir,
    postgresSchema: config.postgresSchema,
    snowflakePrivateKey: config.snowflakePrivateKey,
    snowflakePrivateKeyPassword: config.snowflakePrivateKeyPassword,
  });
  const ctx: EngineContext = {
    jetbaseDir,
    dialect,
    ...(session.guard === undefined ? {} : { signal: session.guard.signal }),
    ...(options.lockTimeoutSeconds === undefined
      ? {}
      : { lockTimeoutMs: Math.round(options.lockTimeoutSeconds * 1000) }),
    connectRetryMs: Math.round((options.connectTimeoutSeconds ?? DEFAULT_CONNECT_TIMEOUT_SECONDS) * 1000),
    ...(onEvent === undefined ? {} : { onEvent }),
  };
  return { ctx, config };
}

/**
 * Bad file names are never skippable. The engine's upgrade creates the tables before it reports
 * them; checking first keeps a bad name from writing anything (not even the SQLite file).
 */
/** Prints a report (JSON or human) and its error, and returns the exit code. */
function finish<R extends object>(
  session: Session,
  report: R & { readonly error?: JetbaseError },
  printHuman: (output: Output, report: R) => void,
): number {
  const { output, options } = session;
  if (options.json) output.raw(reportJson(report));
  else printHuman(output, report);
  if (report.error === undefined) return EXIT_OK;
  printError(output, report.error, session.io.env.JETBASE_DEBUG === '1');
  return exitCodeOf(report.error, session.guard?.exitCode);
}

async function runCommand(command: Command, session: Session): Promise<number> {
  const { io, output, options } = session;
  if (command.name === 'init') {
    const result = init(options.dir === undefined ? io.cwd : path.resolve(io.cwd, options.dir));
    if (options.json) output.raw(reportJson({ command: 'init', ...result }));
    else {
      output.print(`Initialized Jetbase project in ${result.jetbaseDir}\nRun 'cd jetbase' to get started!`);
      if (!result.wroteEnvPy)
        output.log(`Note: ${path.join(result.jetbaseDir, 'env.py')} already exists and was kept.`);
    }
    return EXIT_OK;
  }
  const jetbaseDir = resolveJetbaseDir(options.dir, io.cwd);
  if (command.name === 'new') {
    const result = newMigration(jetbaseDir, command.description, command.version);
    if (options.json) output.raw(reportJson({ command: 'new', ...result }));
    else output.print(`Created migration file: ${result.filename}`);
    return EXIT_OK;
  }

  const startMessage =
    command.name === 'upgrade'
      ? 'Starting migrations...'
      : command.name === 'rollback'
        ? 'Starting rollback...'
        : undefined;
  const onEvent = eventPrinter(output, {
    json: options.json,
    ...(startMessage === undefined ? {} : { startMessage }),
  });
  const { ctx, config } = await connectContext(session, jetbaseDir, onEvent);
  const skip = skipOptions(command, config);
  switch (command.name) {
    case 'upgrade': {
      const report = await upgrade(ctx, {
        ...skip,
        ...(command.count === undefined ? {} : { count: command.count }),
        ...(command.toVersion === undefined ? {} : { toVersion: command.toVersion }),
        dryRun: command.dryRun,
      });
      return finish(session, report, printUpgrade);
    }
    case 'rollback': {
      const report = await rollback(ctx, {
        ...(command.count === undefined ? {} : { count: command.count }),
        ...(command.toVersion === undefined ? {} : { toVersion: command.toVersion }),
        dryRun: command.dryRun,
      });
      return finish(session, report, printRollback);
    }
    case 'status':
      return finish(session, await status(ctx, skip), printStatus);
    case 'validate': {
      const report = await status(ctx, skip);
      if (options.json) output.raw(reportJson({ ...report, command: 'validate' }));
      else printValidate(output, report);
      return report.ok ? EXIT_OK : EXIT_FAILURE;
    }
    case 'history':
      return finish(session, await history(ctx), printHistory);
    case 'current':
      return finish(session, await current(ctx), printCurrent);
    case 'lock-status':
      return finish(session, await lockStatus(ctx), printLockStatus);
    case 'unlock':
      return finish(session, await unlock(ctx), printUnlock);
    case 'validate-checksums':
    case 'fix-checksums': {
      const fix = command.name === 'fix-checksums' || command.fix;
      return finish(session, await validateChecksums(ctx, { ...skip, fix }), printChecksums);
    }
    case 'validate-files':
    case 'fix-files': {
      const fix = command.name === 'fix-files' || command.fix;
      return finish(session, await validateFiles(ctx, { fix }), printFiles);
    }
    case 'fix':
      return finish(session, await fixAll(ctx, skip), printFix);
  }
}

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const debug = io.env.JETBASE_DEBUG === '1';
  // Decided before parsing so that even a usage error respects --no-color.
  const noColorFlag = argv.includes('--no-color');
  const output = new Output(io.stdout, io.stderr, {
    stdout: wantsColour(io.stdout, io.env, noColorFlag),
    stderr: wantsColour(io.stderr, io.env, noColorFlag),
  });

  let invocation: Invocation;
  try {
    invocation = parseCliArgs(argv);
  } catch (error) {
    printError(output, error, debug);
    return exitCodeOf(error, undefined);
  }
  if (invocation.kind === 'help') {
    output.raw(invocation.command === undefined ? globalHelp() : commandHelp(invocation.command));
    return EXIT_OK;
  }
  if (invocation.kind === 'version') {
    output.print(toolVersion());
    return EXIT_OK;
  }

  const { command, options } = invocation;
  const guard = takesLock(command) ? new CancellationGuard(output) : undefined;
  guard?.install();
  try {
    return await runCommand(command, { io, output, options, guard });
  } catch (error) {
    if (options.json) output.raw(failureJson(command.name, error));
    printError(output, error, debug);
    return exitCodeOf(error, guard?.exitCode);
  } finally {
    guard?.dispose();
  }
}
