/**
 * `jetbase`: the Python Jetbase CLI's commands on this project's engine. A thin shell: flags →
 * the run layer → the report printed (human or --json) → exit code (0 ok, 1 failure, 2 usage,
 * 130/143 cancelled by a signal).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { init, JetbaseError, newMigration } from '../engine/index.js';
import { run, skipOverrides, takesLock, type DatabaseCommand } from '../run/index.js';
import { parseCliArgs, type Command, type GlobalOptions, type Invocation } from './args.js';
import { commandHelp, globalHelp } from './help.js';
import { resolveJetbaseDir } from './jetbase-dir.js';
import { failureJson, reportJson } from './json.js';
import { lintJson, lintSummary, printFindings } from './lint-output.js';
import { Output, wantsColour, type TextSink } from './output.js';
import { printError, printReport, progressPrinter } from './print.js';
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

/**
 * The CLI tries the first connection once, as Python Jetbase does; --connect-timeout retries it
 * while a database starts (the action defaults to 30 s for service containers).
 */
const DEFAULT_CONNECT_TIMEOUT_SECONDS = 0;

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

/** The CLI's spelling of a command → the run layer's (fix-checksums is validate-checksums --fix). */
function databaseCommand(command: Exclude<Command, { name: 'init' | 'new' }>): DatabaseCommand {
  switch (command.name) {
    case 'upgrade':
    case 'rollback':
      return {
        name: command.name,
        dryRun: command.dryRun,
        ...(command.count === undefined ? {} : { count: command.count }),
        ...(command.toVersion === undefined ? {} : { toVersion: command.toVersion }),
      };
    case 'fix-checksums':
      return { name: 'validate-checksums', fix: true };
    case 'fix-files':
      return { name: 'validate-files', fix: true };
    case 'validate-checksums':
    case 'validate-files':
      return { name: command.name, fix: command.fix };
    case 'lint':
      return { name: 'lint', ...(command.dialect === undefined ? {} : { dialect: command.dialect }) };
    case 'verify':
      return { name: 'verify', url: command.url };
    default:
      return { name: command.name };
  }
}

function scaffold(
  command: Extract<Command, { name: 'init' | 'new' }>,
  options: GlobalOptions,
  io: CliIo,
  output: Output,
): number {
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
  const result = newMigration(resolveJetbaseDir(options.dir, io.cwd), command.description, command.version);
  if (options.json) output.raw(reportJson({ command: 'new', ...result }));
  else output.print(`Created migration file: ${result.filename}`);
  return EXIT_OK;
}

async function runDatabaseCommand(
  command: Exclude<Command, { name: 'init' | 'new' }>,
  options: GlobalOptions,
  io: CliIo,
  output: Output,
  guard: CancellationGuard | undefined,
): Promise<number> {
  const debug = io.env.JETBASE_DEBUG === '1';
  const dbCommand = databaseCommand(command);
  const result = await run({
    jetbaseDir: resolveJetbaseDir(options.dir, io.cwd),
    command: dbCommand,
    env: io.env,
    overrides: {
      ...(options.url === undefined || command.name === 'verify' ? {} : { sqlalchemy_url: options.url }),
      ...(options.postgresSchema === undefined ? {} : { postgres_schema: options.postgresSchema }),
      ...('skipValidation' in command ? skipOverrides(command) : {}),
    },
    ...(guard === undefined ? {} : { signal: guard.signal }),
    ...(options.lockTimeoutSeconds === undefined
      ? {}
      : { lockTimeoutMs: Math.round(options.lockTimeoutSeconds * 1000) }),
    connectRetryMs: Math.round((options.connectTimeoutSeconds ?? DEFAULT_CONNECT_TIMEOUT_SECONDS) * 1000),
    onProgress: progressPrinter(output, dbCommand.name, options.json),
    ...(command.name === 'validate' ? { lint: {} } : {}),
  });
  const { outcome } = result;
  if (outcome.command === 'error') {
    if (options.json) output.raw(failureJson(command.name, outcome.error));
    printError(output, outcome.error, debug);
    return exitCodeOf(outcome.error, guard?.exitCode);
  }
  if (outcome.command === 'lint') {
    if (options.json) output.raw(lintJson(outcome.report, outcome.scope));
    else {
      printFindings(output, outcome.report);
      output.print(lintSummary(outcome.report, outcome.scope));
    }
    return outcome.report.findings.some((f) => f.severity === 'error') ? EXIT_FAILURE : EXIT_OK;
  }
  const lintErrors = result.lint?.findings.some((f) => f.severity === 'error') === true;
  if (options.json)
    output.raw(
      reportJson(
        command.name === 'validate'
          ? { ...outcome, command: 'validate', ...(result.lint === undefined ? {} : { lint: result.lint }) }
          : outcome,
      ),
    );
  else {
    printReport(output, dbCommand.name, outcome);
    if (result.lint !== undefined && result.lint.findings.length > 0) printFindings(output, result.lint);
  }
  if (command.name === 'validate')
    return ('ok' in outcome && !outcome.ok) || lintErrors ? EXIT_FAILURE : EXIT_OK;
  if (outcome.command === 'verify') {
    if (outcome.failure !== undefined) printError(output, outcome.failure.error, debug);
    return outcome.ok ? EXIT_OK : EXIT_FAILURE;
  }
  const error = 'error' in outcome ? outcome.error : undefined;
  if (error === undefined) return EXIT_OK;
  printError(output, error, debug);
  return exitCodeOf(error, guard?.exitCode);
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
  if (command.name === 'init' || command.name === 'new') {
    try {
      return scaffold(command, options, io, output);
    } catch (error) {
      if (options.json) output.raw(failureJson(command.name, error));
      printError(output, error, debug);
      return exitCodeOf(error, undefined);
    }
  }
  const guard = takesLock(databaseCommand(command)) ? new CancellationGuard(output) : undefined;
  guard?.install();
  try {
    return await runDatabaseCommand(command, options, io, output, guard);
  } catch (error) {
    // resolveJetbaseDir: the directory is not a Jetbase project.
    if (options.json) output.raw(failureJson(command.name, error));
    printError(output, error, debug);
    return exitCodeOf(error, guard?.exitCode);
  } finally {
    guard?.dispose();
  }
}
