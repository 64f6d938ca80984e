/**
 * Evaluating env.py with Python, for the files the static reader cannot read. The Python program
 * (env-py-driver.py, shipped next to this module in lib/ and in the bundle) imports env.py the
 * way Jetbase does and prints one JSON answer; this module starts it, bounded in time and output,
 * and turns its answer into values or a one-line error with secrets masked.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ConfigError } from '../engine/errors.js';
import { redactUrlsIn, redactor } from '../report/redact.js';
import { EnvPyMissingVariableError } from './env-py-errors.js';
import { CONFIG_KEYS, type EnvPyValue, type EnvPyValues, configValuesOf } from './env-py-values.js';
import { MIN_MASKED_VALUE_LENGTH, secretNameWords, secretValuesOf } from './secret-names.js';

/** How to start Python: `python3`, or the Windows launcher as `py -3`. */
export interface PythonCommand {
  /** The executable, as an absolute path. */
  readonly executable: string;
  /** Arguments that come before the program's own (`['-3']` for `py`). */
  readonly args: readonly string[];
}

/** env.py that does not finish within this time is stopped (killed, so that ignoring SIGTERM does not help). */
export const PYTHON_TIMEOUT_MS = 30_000;
/** Python that writes more than this to stdout or stderr is stopped: the answer is a few lines. */
export const PYTHON_MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
/** Error messages are cut to this length: they end up in one log line, summary row or annotation. */
const MAX_MESSAGE_LENGTH = 300;

const ANSWER_MARKER = '@@jetbase-env-answer@@';

export interface EnvPyEvaluation {
  readonly values: EnvPyValues;
  /** env.py called python-dotenv, which Python could not import, and the built-in stand-in served it. */
  readonly usedDotenvStandIn: boolean;
}

interface DriverAnswer {
  readonly values?: Record<string, EnvPyValue>;
  readonly usedDotenvStandIn?: boolean;
  readonly error?: {
    readonly type: string;
    readonly message: string;
    readonly line: number | null;
    readonly stage: string;
    readonly missingVariable?: string | null;
  };
}

/** `python3`, `py -3`: the command as a user would type it, for messages. */
export function describePython(python: PythonCommand): string {
  return [python.executable, ...python.args].join(' ');
}

/**
 * Evaluates env.py with `python`, in `env` (the whole environment the process gets). Python errors
 * become one-line ConfigErrors without values; reading an unset variable from os.environ becomes
 * an EnvPyMissingVariableError naming it. `limits` exist for tests; the defaults are the limits.
 */
export async function evaluateEnvPy(args: {
  envPyPath: string;
  python: PythonCommand;
  env: NodeJS.ProcessEnv;
  limits?: { readonly timeoutMs?: number; readonly maxOutputBytes?: number };
}): Promise<EnvPyEvaluation> {
  const envPyPath = path.resolve(args.envPyPath);
  const request = JSON.stringify({
    envPy: envPyPath,
    keys: CONFIG_KEYS,
    marker: ANSWER_MARKER,
    secretNameWords: secretNameWords('environment-variable'),
    minMaskedLength: MIN_MASKED_VALUE_LENGTH,
  });
  const { stdout, failure } = await runPython(args.python, ['-c', driverSource(), request], {
    cwd: path.dirname(envPyPath),
    env: { ...args.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8' },
    timeoutMs: args.limits?.timeoutMs ?? PYTHON_TIMEOUT_MS,
    maxOutputBytes: args.limits?.maxOutputBytes ?? PYTHON_MAX_OUTPUT_BYTES,
  });

  const markerAt = stdout.lastIndexOf(ANSWER_MARKER);
  if (failure !== null || markerAt < 0) {
    const reason = failure ?? 'it printed no answer';
    throw new ConfigError(
      `Could not evaluate env.py with ${describePython(args.python)}: ${scrubMessage(reason, args.env)}`,
    );
  }
  const answer = JSON.parse(stdout.slice(markerAt + ANSWER_MARKER.length).split('\n')[0]!) as DriverAnswer;
  if (answer.error) {
    const { type, message, line, stage, missingVariable } = answer.error;
    const where =
      stage === 'env.py'
        ? `env.py${line === null ? '' : ` line ${line}`}`
        : `env.py ${stage}${line === null ? '' : ` (line ${line})`}`;
    const text = scrubMessage(message, args.env);
    const summary = `Error in ${where}: ${type}${text ? `: ${text}` : ''}`;
    if (typeof missingVariable === 'string' && missingVariable !== '')
      throw new EnvPyMissingVariableError(summary, missingVariable);
    throw new ConfigError(summary);
  }
  return {
    values: configValuesOf(answer.values ?? {}),
    usedDotenvStandIn: answer.usedDotenvStandIn === true,
  };
}

let cachedDriverSource: string | undefined;

/** The Python program's text, read once from the file next to this module (or to the bundle). */
function driverSource(): string {
  if (cachedDriverSource !== undefined) return cachedDriverSource;
  const file = new URL('./env-py-driver.py', import.meta.url);
  try {
    cachedDriverSource = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(
      `jetbase-action is installed incompletely: ${fileURLToPath(file)} is missing, so env.py cannot be evaluated.`,
      {
        hint: 'Reinstall jetbase-action, or set JETBASE_SQLALCHEMY_URL (the action input database-url) instead.',
      },
    );
  }
  return cachedDriverSource;
}

/** One line, at most MAX_MESSAGE_LENGTH characters, with URL passwords and the values of secret-named variables masked. */
function scrubMessage(message: string, env: NodeJS.ProcessEnv): string {
  let text = redactor
    .redact(redactUrlsIn(message))
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .trim();
  for (const value of secretValuesOf(env)) text = text.split(value).join('***');
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text;
}

/**
 * Runs Python to the end and returns its stdout, or why it failed. Its stderr (env.py's prints
 * and tracebacks) is never shown as is: only its last line, scrubbed by the caller, explains a
 * failure that left no answer.
 */
function runPython(
  python: PythonCommand,
  argv: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; maxOutputBytes: number },
): Promise<{ stdout: string; failure: string | null }> {
  return new Promise((resolve) => {
    execFile(
      python.executable,
      [...python.args, ...argv],
      {
        cwd: options.cwd,
        env: options.env,
        timeout: options.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: options.maxOutputBytes,
        encoding: 'utf8',
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ stdout, failure: null });
        const code: unknown = error.code;
        let failure: string;
        if (code === 'ENOENT') failure = 'the interpreter was not found';
        else if (code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
          failure = `it wrote more than ${formatBytes(options.maxOutputBytes)} of output`;
        else if (error.killed) failure = `it did not finish within ${options.timeoutMs / 1000} s`;
        else if (error.signal) failure = `it was stopped by ${error.signal}`;
        else failure = lastLine(stderr) || `it exited with code ${String(code)}`;
        resolve({ stdout, failure });
      },
    );
  });
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0
    ? `${bytes / (1024 * 1024)} MiB`
    : `${bytes} bytes`;
}

function lastLine(text: string): string {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  return lines[lines.length - 1]?.trim() ?? '';
}
