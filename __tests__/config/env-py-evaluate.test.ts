/**
 * The Python side of env.py with the real python3: the driver program compiles, the limits hold
 * (time, output size), nothing env.py prints reaches a message unmasked, and a missing environment
 * variable is reported as such.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { EnvPyMissingVariableError } from '../../src/config/env-py-errors.js';
import {
  PYTHON_MAX_OUTPUT_BYTES,
  PYTHON_TIMEOUT_MS,
  type PythonCommand,
  evaluateEnvPy,
} from '../../src/config/env-py-evaluate.js';
import { findPython } from '../../src/config/env-py.js';
import { DOTENV_STAND_IN_NOTICE, resolveConfig } from '../../src/config/resolve.js';
import { ConfigError } from '../../src/engine/errors.js';
import { REPO_ROOT } from '../action/run-action.js';
import { cleanEnv, makeProject, removeProjects } from './project.js';

afterAll(removeProjects);

const found = findPython(process.env);
if (found === null) throw new Error('these tests need python3 on PATH');
const python: PythonCommand = found;
const DRIVER_FILE = path.join(REPO_ROOT, 'src/config/env-py-driver.py');

/** Evaluates `envPy` (with `files` around it) and returns the error it fails with. */
async function failureOf(
  envPy: string,
  options: {
    env?: Record<string, string>;
    files?: Record<string, string>;
    limits?: { timeoutMs?: number; maxOutputBytes?: number };
  } = {},
): Promise<ConfigError> {
  const project = makeProject({ 'jetbase/env.py': envPy, ...options.files });
  const outcome = await evaluateEnvPy({
    envPyPath: path.join(project.jetbaseDir, 'env.py'),
    python,
    env: cleanEnv(options.env),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
  }).catch((error: unknown) => error);
  if (!(outcome instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(outcome)}`);
  return outcome;
}

describe('the driver program', () => {
  test('is valid Python 3 (python3 -m py_compile)', () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'jetbase-pycache-'));
    try {
      execFileSync(python.executable, [...python.args, '-m', 'py_compile', DRIVER_FILE], {
        env: { ...process.env, PYTHONPYCACHEPREFIX: cache },
        stdio: 'pipe',
      });
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  test('does not repeat the secret-name rule: it receives the words from TypeScript', () => {
    const text = readFileSync(DRIVER_FILE, 'utf8');
    expect(text).not.toMatch(/pass\|pwd|'token'|"token"/);
    expect(text).toContain("request['secretNameWords']");
  });
});

describe('limits', () => {
  test('the defaults: 30 s and 16 MiB', () => {
    expect(PYTHON_TIMEOUT_MS).toBe(30_000);
    expect(PYTHON_MAX_OUTPUT_BYTES).toBe(16 * 1024 * 1024);
  });

  test('env.py that does not finish is stopped at the time limit, even when it ignores SIGTERM', async () => {
    for (const envPy of [
      'import time\ntime.sleep(60)\n',
      'import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\ntime.sleep(60)\n',
    ]) {
      const started = Date.now();
      const error = await failureOf(envPy, { limits: { timeoutMs: 1500 } });
      expect(error.message).toMatch(
        /^Could not evaluate env\.py with .*python.*: it did not finish within 1\.5 s$/,
      );
      expect(Date.now() - started).toBeLessThan(15_000);
    }
  });

  test('env.py that writes more than the output limit is stopped, and the message says why', async () => {
    const error = await failureOf('import sys\nsys.stderr.write("x" * (3 * 1024 * 1024))\n', {
      limits: { maxOutputBytes: 1024 * 1024 },
    });
    expect(error.message).toMatch(/: it wrote more than 1 MiB of output$/);
  });

  test('the default output limit applies to what env.py prints', async () => {
    const error = await failureOf('print("x" * (17 * 1024 * 1024))\n');
    expect(error.message).toMatch(/: it wrote more than 16 MiB of output$/);
  });
});

describe("env.py's output never reaches a message unmasked", () => {
  test('the last stderr line of a Python that died without an answer is scrubbed', async () => {
    const envPy = [
      'import os, sys',
      'sys.stderr.write("password " + os.environ["DB_PASSWORD"] + " url postgresql://u:hunter22@h/db\\n")',
      'os._exit(3)',
      '',
    ].join('\n');
    const error = await failureOf(envPy, { env: { DB_PASSWORD: 'TopSecret1' } });
    expect(error.message).toMatch(/: password \*\*\* url postgresql:\/\/u:\*\*\*@h\/db$/);
    expect(error.message).not.toContain('TopSecret1');
    expect(error.message).not.toContain('hunter22');
  });

  test('a secret env.py loaded from .env is masked too (the rule reaches Python)', async () => {
    const envPy = [
      'import os',
      'from dotenv import load_dotenv',
      'load_dotenv()',
      'raise RuntimeError("token " + os.environ["API_TOKEN"] + " dsn " + os.environ["SHOP_DSN"])',
      '',
    ].join('\n');
    const error = await failureOf(envPy, {
      env: { JETBASE_PY_NO_DOTENV: '1' },
      files: { '.env': 'API_TOKEN=tok-from-file\nSHOP_DSN="host=db password=pw-from-file"\n' },
    });
    expect(error.message).toBe('Error in env.py line 4: RuntimeError: token *** dsn ***');
  });

  test('the value of a connection-string variable echoed by env.py is masked', async () => {
    const error = await failureOf('import os\nraise RuntimeError(os.environ["SHOP_DATABASE_URL"])\n', {
      env: { SHOP_DATABASE_URL: 'mysql://app@db.internal/shop' },
    });
    expect(error.message).toBe('Error in env.py line 2: RuntimeError: ***');
  });
});

describe('a missing environment variable', () => {
  test.each([
    ['at the top level', 'import os\nif True:\n    url = os.environ["SHOP_DATABASE_URL"]\n', 'env.py line 3'],
    [
      'in get_env_vars()',
      'import os\ndef get_env_vars():\n    return {"sqlalchemy_url": os.environ["SHOP_DATABASE_URL"]}\n',
      'env.py get_env_vars() (line 3)',
    ],
    [
      'through from os import environ',
      'from os import environ as e\nif True:\n    x = e["SHOP_DATABASE_URL"]\n',
      'env.py line 3',
    ],
  ])('%s is an EnvPyMissingVariableError naming it', async (_where, envPy, where) => {
    const error = await failureOf(envPy);
    expect(error).toBeInstanceOf(EnvPyMissingVariableError);
    expect((error as EnvPyMissingVariableError).variable).toBe('SHOP_DATABASE_URL');
    expect(error.message).toBe(`Error in ${where}: KeyError: 'SHOP_DATABASE_URL'`);
  });

  test.each([
    ['a dict lookup', 'def get_env_vars():\n    return {"a": "b"}["SHOP_DATABASE_URL"]\n'],
    ['a KeyError raised by hand', 'raise KeyError("SHOP_DATABASE_URL")\n'],
  ])('%s is a plain ConfigError', async (_name, envPy) => {
    const error = await failureOf(envPy);
    expect(error).not.toBeInstanceOf(EnvPyMissingVariableError);
    expect(error.message).toMatch(/KeyError: 'SHOP_DATABASE_URL'$/);
  });

  test('resolveConfig passes it on', async () => {
    const project = makeProject({
      'jetbase/env.py':
        'import os\ndef get_env_vars():\n    return {"sqlalchemy_url": os.environ["DATABASE_URL"]}\n',
    });
    const error = await resolveConfig({ jetbaseDir: project.jetbaseDir, env: cleanEnv() }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(EnvPyMissingVariableError);
    expect((error as EnvPyMissingVariableError).variable).toBe('DATABASE_URL');
  });
});

describe('the dotenv stand-in notice', () => {
  test.each([
    [
      'appears when env.py called python-dotenv and the stand-in served it',
      'from dotenv import load_dotenv\nload_dotenv()\n',
      true,
    ],
    ['does not appear when env.py does not use dotenv', '', false],
  ])('%s', async (_name, prelude, expected) => {
    const project = makeProject({
      'jetbase/env.py': `${prelude}if True:\n    sqlalchemy_url = "sqlite://"\n`,
    });
    const config = await resolveConfig({
      jetbaseDir: project.jetbaseDir,
      env: cleanEnv({ JETBASE_PY_NO_DOTENV: '1' }),
    });
    expect(config.sqlalchemyUrl).toBe('sqlite://');
    expect(config.notices.includes(DOTENV_STAND_IN_NOTICE)).toBe(expected);
  });
});
