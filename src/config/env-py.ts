/**
 * Loading `jetbase/env.py`: read statically when it is only literal assignments and environment
 * lookups (env-py-static.ts), else evaluated by Python the way Jetbase imports it
 * (env-py-evaluate.ts). Without Python, or when running repository code is forbidden, only the
 * literal assignments are read and the result says which construct was left unread and why.
 */
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import path from 'node:path';

import { ConfigError } from '../engine/errors.js';
import type { PythonCommand } from './env-py-evaluate.js';
import { readEnvPyStatic } from './env-py-static.js';
import { type EnvPyValues, configValuesOf } from './env-py-values.js';
import { readUtf8File } from './text-file.js';

export type { PythonCommand } from './env-py-evaluate.js';

/** Why an env.py that needs Python was not evaluated. */
export type EnvPyNotEvaluated =
  { readonly because: 'no-python' } | { readonly because: 'forbidden'; readonly reason: string };

export interface EnvPyResult {
  readonly path: string;
  /** Config keys env.py sets to something other than None. */
  readonly values: EnvPyValues;
  /**
   * 'static': read without Python; 'python': evaluated by Python; 'static-partial': the file
   * needs Python and was not evaluated, so only its literal assignments are in `values`.
   */
  readonly mode: 'static' | 'python' | 'static-partial';
  /** For 'static-partial': the construct that needs Python. */
  readonly unreadConstruct: string | null;
  /** For 'static-partial': why Python did not evaluate it. */
  readonly notEvaluated: EnvPyNotEvaluated | null;
  /** For 'python': env.py called python-dotenv, which Python could not import, and the built-in stand-in served it. */
  readonly usedDotenvStandIn: boolean;
}

/**
 * Reads `<jetbaseDir>/env.py`, or returns null when there is none. `env` is what env.py sees: the
 * variables its lookups read when it is read statically, and Python's whole environment when it
 * is evaluated. `python` evaluates a file that is not static (null: there is none);
 * `forbidExecution` keeps it from running at all.
 */
export async function loadEnvPy(args: {
  jetbaseDir: string;
  env: NodeJS.ProcessEnv;
  python: PythonCommand | null;
  forbidExecution?: { readonly reason: string } | undefined;
}): Promise<EnvPyResult | null> {
  const envPyPath = path.join(args.jetbaseDir, 'env.py');
  let source: string;
  try {
    source = readUtf8File(envPyPath);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if (isNodeError(error) && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) return null;
    throw new ConfigError(`Cannot read ${envPyPath}: ${isNodeError(error) ? error.code : String(error)}`);
  }

  const statics = readEnvPyStatic(source, args.env);
  const unread = statics.needsPython[0];
  if (unread === undefined) {
    return {
      path: envPyPath,
      values: configValuesOf(statics.values),
      mode: 'static',
      unreadConstruct: null,
      notEvaluated: null,
      usedDotenvStandIn: false,
    };
  }
  const python = args.forbidExecution === undefined ? args.python : null;
  if (python === null) {
    const notEvaluated: EnvPyNotEvaluated =
      args.forbidExecution === undefined
        ? { because: 'no-python' }
        : { because: 'forbidden', reason: args.forbidExecution.reason };
    return {
      path: envPyPath,
      values: configValuesOf(statics.values),
      mode: 'static-partial',
      unreadConstruct: unread,
      notEvaluated,
      usedDotenvStandIn: false,
    };
  }
  // Loaded here, not at start: it spawns Python (node:child_process), which a static env.py never needs.
  const { evaluateEnvPy } = await import('./env-py-evaluate.js');
  const evaluated = await evaluateEnvPy({ envPyPath, python, env: args.env });
  return {
    path: envPyPath,
    values: evaluated.values,
    mode: 'python',
    unreadConstruct: null,
    notEvaluated: null,
    usedDotenvStandIn: evaluated.usedDotenvStandIn,
  };
}

/** Looked for in this order; `py` is the Python launcher of Windows. */
const PYTHON_NAMES: ReadonlyArray<{ readonly name: string; readonly args: readonly string[] }> = [
  { name: 'python3', args: [] },
  { name: 'python', args: [] },
  { name: 'py', args: ['-3'] },
];

/**
 * Python on the PATH of `env`: `python3`, else `python`, else `py -3`, or null. Relative PATH
 * entries are skipped (they would find a `python3` planted in the checkout). On Windows the
 * names take the `.exe`/`.com` extensions of PATHEXT (Node cannot start a `.bat`/`.cmd` without a
 * shell) and PATH may be spelled in any case.
 */
export function findPython(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): PythonCommand | null {
  const windows = platform === 'win32';
  const pathValue = windows ? valueIgnoringCase(env, 'PATH') : env.PATH;
  const dirs = (pathValue ?? '')
    .split(windows ? ';' : ':')
    .filter((dir) => dir !== '' && path.isAbsolute(dir));
  const extensions = windows ? windowsExtensions(valueIgnoringCase(env, 'PATHEXT')) : [''];
  for (const { name, args } of PYTHON_NAMES) {
    for (const dir of dirs) {
      for (const extension of extensions) {
        const candidate = path.join(dir, name + extension);
        if (isExecutableFile(candidate, windows)) return { executable: candidate, args };
      }
    }
  }
  return null;
}

function windowsExtensions(pathext: string | undefined): string[] {
  const startable = (pathext ?? '.COM;.EXE')
    .split(';')
    .map((extension) => extension.trim().toLowerCase())
    .filter((extension) => extension === '.exe' || extension === '.com');
  return startable.length > 0 ? [...new Set(startable)] : ['.exe'];
}

function valueIgnoringCase(env: NodeJS.ProcessEnv, name: string): string | undefined {
  if (env[name] !== undefined) return env[name];
  const key = Object.keys(env).find((candidate) => candidate.toUpperCase() === name);
  return key === undefined ? undefined : env[key];
}

function isExecutableFile(file: string, windows: boolean): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (!windows) accessSync(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Duck-typed: errors from Node's core modules may come from another realm (e.g. under Jest). */
function isNodeError(error: unknown): error is NodeJS.ErrnoException {
  return typeof error === 'object' && error !== null && 'code' in error;
}
