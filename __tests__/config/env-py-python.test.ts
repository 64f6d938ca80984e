/**
 * env.py evaluated by the real python3: the seed page's examples verbatim, with dotenv as installed
 * and with the built-in stand-in (JETBASE_PY_NO_DOTENV=1).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { ConfigError } from '../../src/engine/errors.js';
import { findPython, loadEnvPy } from '../../src/config/env-py.js';
import { MODEL_PATHS_NOTICE, resolveConfig } from '../../src/config/resolve.js';
import { cleanEnv, makeProject, removeProjects } from './project.js';

afterAll(removeProjects);

const python = findPython(process.env);
if (python === null) throw new Error('these tests need python3 on PATH');
const hasRealDotenv = (() => {
  try {
    execFileSync(python.executable, [...python.args, '-c', 'import dotenv'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const EXAMPLE_1 = `# jetbase/env.py
from dotenv import load_dotenv
import os

load_dotenv()

ENVIRONMENT = os.getenv("ENVIRONMENT")
POSTGRES_USER = os.getenv("POSTGRES_USER")
POSTGRES_PASSWORD = os.getenv("POSTGRES_PASSWORD")
POSTGRES_HOST = os.getenv("POSTGRES_HOST", "localhost")
POSTGRES_PORT = os.getenv("POSTGRES_PORT", "5432")
POSTGRES_DB = os.getenv("POSTGRES_DB")

if ENVIRONMENT == "DEV":
    def get_env_vars():
        return {
            "sqlalchemy_url": "sqlite+aiosqlite:///./egos.db",
            "async_mode": True,
        }
else:
    def get_env_vars():
        return {
            "sqlalchemy_url": (
                f"postgresql+asyncpg://"
                f"{POSTGRES_USER}:{POSTGRES_PASSWORD}"
                f"@{POSTGRES_HOST}:{POSTGRES_PORT}"
                f"/{POSTGRES_DB}"
            ),
            "async_mode": True,
        }
`;

const EXAMPLE_2 = `# jetbase/env.py
sqlalchemy_url = "sqlite:///./mydb.db"
`;

const EXAMPLE_3 = `# jetbase/env.py
sqlalchemy_url = "postgresql+psycopg2://myuser:mypassword@localhost:5432/myapp"
postgres_schema = "public"
`;

const EXAMPLE_4 = `# jetbase/env.py
from dotenv import load_dotenv
import os

load_dotenv()

ENVIRONMENT = os.getenv("ENVIRONMENT", "DEV")

if ENVIRONMENT == "LOCAL":
    def get_env_vars():
        return {
            "sqlalchemy_url": "sqlite+aiosqlite:///./local.db",
            "async_mode": True,
        }

elif ENVIRONMENT == "DEV":
    def get_env_vars():
        return {
            "sqlalchemy_url": "sqlite+aiosqlite:///./dev.db",
            "async_mode": True,
        }

elif ENVIRONMENT == "STAGING":
    def get_env_vars():
        return {
            "sqlalchemy_url": "postgresql+psycopg2://staging_user:staging_pass@staging-db.example.com:5432/staging_db",
            "async_mode": False,
            "postgres_schema": "public",
        }

else:  # Production
    def get_env_vars():
        return {
            "sqlalchemy_url": "postgresql+asyncpg://prod_user:prod_pass@prod-db.example.com:5432/prod_db",
            "async_mode": True,
            "postgres_schema": "public",
        }
`;

const EXAMPLE_5 = `# jetbase/env.py
from dotenv import load_dotenv
import os

load_dotenv()

ENVIRONMENT = os.getenv("ENVIRONMENT", "DEV")

if ENVIRONMENT == "DEV":
    def get_env_vars():
        return {
            "sqlalchemy_url": "sqlite+aiosqlite:///./dev.db",
            "async_mode": True,
            "model_paths": ["../app/models.py"],
        }
else:
    def get_env_vars():
        return {
            "sqlalchemy_url": "postgresql+asyncpg://user:pass@db:5432/app",
            "async_mode": True,
            "model_paths": ["../app/models.py"],
        }
`;

const EXAMPLE_6 = `# jetbase/env.py
sqlalchemy_url = "sqlite:///./mydb.db"
skip_checksum_validation = True
skip_file_validation = False
`;

/** The page's "Method 1" and "Method 2" snippets. */
const METHOD_1 = `sqlalchemy_url = "postgresql+psycopg2://user:password@localhost:5432/mydb"
async_mode = True
`;

const METHOD_2 = `from dotenv import load_dotenv
import os

load_dotenv()

ENVIRONMENT = os.getenv("ENVIRONMENT")

if ENVIRONMENT == "DEV":
    def get_env_vars():
        return {
            "sqlalchemy_url": "sqlite+aiosqlite:///./egos.db",
            "async_mode": True,
        }
else:
    def get_env_vars():
        return {
            "sqlalchemy_url": "postgresql+asyncpg://user:password@localhost:5432/mydb",
            "async_mode": True,
        }
`;

/** Both ways `dotenv` can be present: the real package (when installed) and the stand-in. */
const DOTENV_MODES: ReadonlyArray<[string, Record<string, string>]> = [
  ...(hasRealDotenv ? ([['real python-dotenv', {}]] as Array<[string, Record<string, string>]>) : []),
  ['dotenv stand-in', { JETBASE_PY_NO_DOTENV: '1' }],
];

describe.each(DOTENV_MODES)('seed examples with %s', (_mode, modeEnv) => {
  const resolve = async (
    envPy: string,
    files: Record<string, string>,
    extraEnv: Record<string, string> = {},
  ) => {
    const project = makeProject({ 'jetbase/env.py': envPy, ...files });
    return resolveConfig({ jetbaseDir: project.jetbaseDir, env: cleanEnv({ ...modeEnv, ...extraEnv }) });
  };

  test('Example 1: ENVIRONMENT=DEV from a .env file in the project root', async () => {
    const config = await resolve(EXAMPLE_1, { '.env': 'ENVIRONMENT=DEV\n' });
    expect(config.sqlalchemyUrl).toBe('sqlite+aiosqlite:///./egos.db');
    expect(config.asyncMode).toBe(true);
    expect(config.sources.sqlalchemy_url).toBe('env.py');
    expect(config.sources.async_mode).toBe('env.py');
  });

  test('Example 1: ENVIRONMENT=DEV from the process environment, no .env', async () => {
    const config = await resolve(EXAMPLE_1, {}, { ENVIRONMENT: 'DEV' });
    expect(config.sqlalchemyUrl).toBe('sqlite+aiosqlite:///./egos.db');
  });

  test('Example 1: the f-string URL built from POSTGRES_* in a .env file (quotes, export, comments)', async () => {
    const dotenv = [
      '# production settings',
      'ENVIRONMENT=PROD',
      'export POSTGRES_USER=app_user',
      'POSTGRES_PASSWORD="p@ss word"  # quoted',
      "POSTGRES_HOST='db.internal'",
      'POSTGRES_DB=app # inline comment',
      '',
    ].join('\n');
    const config = await resolve(EXAMPLE_1, { '.env': dotenv });
    expect(config.sqlalchemyUrl).toBe('postgresql+asyncpg://app_user:p@ss word@db.internal:5432/app');
    expect(config.asyncMode).toBe(true);
  });

  test('Example 1: the process environment wins over .env (load_dotenv does not override)', async () => {
    const config = await resolve(
      EXAMPLE_1,
      { '.env': 'ENVIRONMENT=PROD\nPOSTGRES_DB=fromfile\n' },
      { ENVIRONMENT: 'DEV' },
    );
    expect(config.sqlalchemyUrl).toBe('sqlite+aiosqlite:///./egos.db');
  });

  test('Example 1: a .env next to env.py is found too', async () => {
    const config = await resolve(EXAMPLE_1, { 'jetbase/.env': 'ENVIRONMENT=DEV\n' });
    expect(config.sqlalchemyUrl).toBe('sqlite+aiosqlite:///./egos.db');
  });

  test('Example 2: simple SQLite', async () => {
    const config = await resolve(EXAMPLE_2, {});
    expect(config.sqlalchemyUrl).toBe('sqlite:///./mydb.db');
    expect(config.asyncMode).toBe(false);
  });

  test('Example 3: PostgreSQL with a schema', async () => {
    const config = await resolve(EXAMPLE_3, {});
    expect(config.sqlalchemyUrl).toBe('postgresql+psycopg2://myuser:mypassword@localhost:5432/myapp');
    expect(config.postgresSchema).toBe('public');
  });

  test.each([
    ['LOCAL', 'sqlite+aiosqlite:///./local.db', true, null],
    ['DEV', 'sqlite+aiosqlite:///./dev.db', true, null],
    [
      'STAGING',
      'postgresql+psycopg2://staging_user:staging_pass@staging-db.example.com:5432/staging_db',
      false,
      'public',
    ],
    [
      'PRODUCTION',
      'postgresql+asyncpg://prod_user:prod_pass@prod-db.example.com:5432/prod_db',
      true,
      'public',
    ],
  ])(
    'Example 4: ENVIRONMENT=%s via .env and via the process env',
    async (environment, url, asyncMode, schema) => {
      for (const config of [
        await resolve(EXAMPLE_4, { '.env': `ENVIRONMENT=${environment}\n` }),
        await resolve(EXAMPLE_4, {}, { ENVIRONMENT: environment }),
      ]) {
        expect(config.sqlalchemyUrl).toBe(url);
        expect(config.asyncMode).toBe(asyncMode);
        expect(config.postgresSchema).toBe(schema);
      }
    },
  );

  test('Example 4: ENVIRONMENT defaults to DEV', async () => {
    const config = await resolve(EXAMPLE_4, {});
    expect(config.sqlalchemyUrl).toBe('sqlite+aiosqlite:///./dev.db');
  });

  test('Example 5: model_paths is accepted with a notice', async () => {
    const config = await resolve(EXAMPLE_5, {});
    expect(config.sqlalchemyUrl).toBe('sqlite+aiosqlite:///./dev.db');
    expect(config.modelPaths).toEqual(['../app/models.py']);
    expect(config.notices).toContain(MODEL_PATHS_NOTICE);
    const production = await resolve(EXAMPLE_5, {}, { ENVIRONMENT: 'PROD' });
    expect(production.sqlalchemyUrl).toBe('postgresql+asyncpg://user:pass@db:5432/app');
  });

  test('Example 6: skip switches', async () => {
    const config = await resolve(EXAMPLE_6, {});
    expect(config.sqlalchemyUrl).toBe('sqlite:///./mydb.db');
    expect(config.skipChecksumValidation).toBe(true);
    expect(config.skipFileValidation).toBe(false);
    expect(config.sources.skip_file_validation).toBe('env.py');
  });

  test('Methods 1 and 2 of the page', async () => {
    const method1 = await resolve(METHOD_1, {});
    expect(method1.sqlalchemyUrl).toBe('postgresql+psycopg2://user:password@localhost:5432/mydb');
    expect(method1.asyncMode).toBe(true);
    expect((await resolve(METHOD_2, {}, { ENVIRONMENT: 'DEV' })).sqlalchemyUrl).toBe(
      'sqlite+aiosqlite:///./egos.db',
    );
    expect((await resolve(METHOD_2, {})).sqlalchemyUrl).toBe(
      'postgresql+asyncpg://user:password@localhost:5432/mydb',
    );
  });
});

describe('python3 evaluation details', () => {
  test('JETBASE_PY_NO_DOTENV=1 forces the stand-in; otherwise the installed package is used', async () => {
    const project = makeProject({ 'jetbase/env.py': EXAMPLE_4 });
    const standIn = await loadEnvPy({
      jetbaseDir: project.jetbaseDir,
      env: cleanEnv({ JETBASE_PY_NO_DOTENV: '1' }),
      python,
    });
    expect(standIn?.mode).toBe('python');
    expect(standIn?.usedDotenvStandIn).toBe(true);
    const installed = await loadEnvPy({ jetbaseDir: project.jetbaseDir, env: cleanEnv(), python });
    expect(installed?.usedDotenvStandIn).toBe(!hasRealDotenv);
  });

  test('the stand-in: dotenv_values, override=True, explicit path, ${VAR} interpolation', async () => {
    const envPy = [
      'import os',
      'from dotenv import dotenv_values, load_dotenv',
      'values = dotenv_values()',
      'load_dotenv(dotenv_path=os.path.join(os.path.dirname(__file__), "custom.env"), override=True)',
      'def get_env_vars():',
      '    return {"sqlalchemy_url": values["URL"], "postgres_schema": os.environ["SCHEMA"]}',
      '',
    ].join('\n');
    const project = makeProject({
      'jetbase/env.py': envPy,
      '.env': 'HOST=db.local\nURL="postgresql://u@${HOST}/app"\n',
      'jetbase/custom.env': 'SCHEMA=from_file\n',
    });
    const config = await resolveConfig({
      jetbaseDir: project.jetbaseDir,
      env: cleanEnv({ JETBASE_PY_NO_DOTENV: '1', SCHEMA: 'from_process' }),
    });
    expect(config.sqlalchemyUrl).toBe('postgresql://u@db.local/app');
    expect(config.postgresSchema).toBe('from_file');
  });

  test('cwd is the jetbase directory and the project root is importable', async () => {
    const project = makeProject({
      'settings.py': 'URL = "sqlite:///./from-root.db"\n',
      'jetbase/env.py':
        'import os, settings\nsqlalchemy_url = settings.URL\npostgres_schema = os.path.basename(os.getcwd())\n',
    });
    const config = await resolveConfig({ jetbaseDir: project.jetbaseDir, env: cleanEnv() });
    expect(config.sqlalchemyUrl).toBe('sqlite:///./from-root.db');
    expect(config.postgresSchema).toBe('jetbase');
  });

  test('get_env_vars() wins over module attributes; None in its dict falls back', async () => {
    const project = makeProject({
      'jetbase/env.py': [
        'sqlalchemy_url = "sqlite:///module.db"',
        'postgres_schema = "module_schema"',
        'def get_env_vars():',
        '    return {"sqlalchemy_url": "sqlite:///dict.db", "postgres_schema": None}',
      ].join('\n'),
    });
    const config = await resolveConfig({ jetbaseDir: project.jetbaseDir, env: cleanEnv() });
    expect(config.sqlalchemyUrl).toBe('sqlite:///dict.db');
    expect(config.postgresSchema).toBe('module_schema');
  });

  test("env.py's prints do not disturb the answer", async () => {
    const project = makeProject({
      'jetbase/env.py':
        'print("hello from env.py")\nimport sys\nsys.stdout.write("{not json")\nsqlalchemy_url = "sqlite:///x.db"\n',
    });
    const config = await resolveConfig({ jetbaseDir: project.jetbaseDir, env: cleanEnv() });
    expect(config.sqlalchemyUrl).toBe('sqlite:///x.db');
  });

  test('env.py is executed once per resolve', async () => {
    const project = makeProject({
      'jetbase/env.py': 'with open("runs.txt", "a") as f:\n    f.write("x")\nskip_validation = True\n',
    });
    await resolveConfig({ jetbaseDir: project.jetbaseDir, env: cleanEnv() });
    expect(readFileSync(path.join(project.jetbaseDir, 'runs.txt'), 'utf8')).toBe('x');
  });

  test('a sqlalchemy.URL-like object is rendered with its password', async () => {
    const project = makeProject({
      'jetbase/env.py': [
        'class URL:',
        '    def render_as_string(self, hide_password=True):',
        '        return "postgresql://u:***@h/db" if hide_password else "postgresql://u:pw@h/db"',
        'sqlalchemy_url = URL()',
      ].join('\n'),
    });
    const config = await resolveConfig({ jetbaseDir: project.jetbaseDir, env: cleanEnv() });
    expect(config.sqlalchemyUrl).toBe('postgresql://u:pw@h/db');
  });

  test.each([
    [
      'an exception',
      'import os\nload = 1\nraise ValueError("cannot reach postgresql://u:TopSecret1@h/db")\n',
      /^Error in env\.py line 3: ValueError: cannot reach postgresql:\/\/u:\*\*\*@h\/db$/,
    ],
    [
      'a KeyError',
      'import os\nif True:\n    x = os.environ["NOT_SET_ANYWHERE"]\n',
      /^Error in env\.py line 3: KeyError: 'NOT_SET_ANYWHERE'$/,
    ],
    ['a syntax error', 'if True\n    x = 1\n', /^Error in env\.py line 1: SyntaxError: /],
    [
      'an ImportError',
      'from no_such_module_here import URL\nsqlalchemy_url = URL\n',
      /^Error in env\.py line 1: ModuleNotFoundError: No module named 'no_such_module_here'$/,
    ],
    [
      'an error in get_env_vars()',
      'def get_env_vars():\n    return 1 / 0\n',
      /^Error in env\.py get_env_vars\(\) \(line 2\): ZeroDivisionError: division by zero$/,
    ],
    [
      'get_env_vars() returning a list',
      'def get_env_vars():\n    return []\n',
      /^Error in env\.py get_env_vars\(\): TypeError: get_env_vars\(\) must return a dict, got list$/,
    ],
    ['sys.exit', 'import sys\nsys.exit(3)\n', /^Error in env\.py line 2: SystemExit: 3$/],
  ])('%s becomes a one-line ConfigError without values', async (_name, envPy, expected) => {
    const project = makeProject({ 'jetbase/env.py': envPy });
    const error = await resolveConfig({
      jetbaseDir: project.jetbaseDir,
      env: cleanEnv({ DB_PASSWORD: 'TopSecret1' }),
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(expected);
    expect(message).not.toContain('TopSecret1');
    expect(message).not.toContain('\n');
  });

  test('a secret-named variable echoed in an error is masked', async () => {
    const project = makeProject({
      'jetbase/env.py': 'import os\nraise RuntimeError("token is " + os.environ["API_TOKEN"])\n',
    });
    const error = (await resolveConfig({
      jetbaseDir: project.jetbaseDir,
      env: cleanEnv({ API_TOKEN: 'tok-12345' }),
    }).catch((caught: unknown) => caught)) as ConfigError;
    expect(error.message).toBe('Error in env.py line 2: RuntimeError: token is ***');
  });
});

describe('without python3', () => {
  const NO_PYTHON_ENV = { PATH: '/nonexistent-dir' };

  test.each([
    ['Example 1', EXAMPLE_1, 'env.py defines get_env_vars()'],
    ['Example 4', EXAMPLE_4, 'env.py defines get_env_vars()'],
    [
      'load_dotenv only',
      'from dotenv import load_dotenv\nload_dotenv()\nimport os\nsqlalchemy_url = os.getenv("URL")\n',
      'env.py calls load_dotenv() (line 2)',
    ],
    ['an f-string', 'u = "x"\nsqlalchemy_url = f"sqlite:///{u}.db"\n', 'env.py uses an f-string (line 2)'],
  ])('%s: the error names the construct and the inputs to use instead', async (_name, envPy, construct) => {
    const project = makeProject({ 'jetbase/env.py': envPy });
    for (const args of [{ env: NO_PYTHON_ENV }, { env: cleanEnv(), python: null }]) {
      const error = await resolveConfig({ jetbaseDir: project.jetbaseDir, ...args }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message.startsWith(construct)).toBe(true);
      expect(message).toContain('python3 was not found');
      expect(message).toContain('JETBASE_SQLALCHEMY_URL');
      expect(message).toContain('database-url');
    }
  });

  test('with JETBASE_SQLALCHEMY_URL set, the literal assignments are used and a notice explains', async () => {
    const project = makeProject({ 'jetbase/env.py': `${EXAMPLE_1}\npostgres_schema = "lit"\n` });
    const config = await resolveConfig({
      jetbaseDir: project.jetbaseDir,
      env: { ...NO_PYTHON_ENV, JETBASE_SQLALCHEMY_URL: 'sqlite:///./ci.db' },
    });
    expect(config.sqlalchemyUrl).toBe('sqlite:///./ci.db');
    expect(config.sources.sqlalchemy_url).toBe('env');
    expect(config.postgresSchema).toBe('lit');
    expect(config.notices.join('\n')).toContain('env.py defines get_env_vars() and python3 was not found');
  });

  test('static env.py files need no Python (Examples 2, 3, 6)', async () => {
    for (const [envPy, url] of [
      [EXAMPLE_2, 'sqlite:///./mydb.db'],
      [EXAMPLE_3, 'postgresql+psycopg2://myuser:mypassword@localhost:5432/myapp'],
      [EXAMPLE_6, 'sqlite:///./mydb.db'],
    ] as const) {
      const project = makeProject({ 'jetbase/env.py': envPy });
      const config = await resolveConfig({ jetbaseDir: project.jetbaseDir, env: NO_PYTHON_ENV });
      expect(config.sqlalchemyUrl).toBe(url);
    }
  });

  test('the upstream integration-test env.py reads DATABASE_URL statically', async () => {
    const project = makeProject({
      'jetbase/env.py': 'import os\n\nsqlalchemy_url = os.getenv("DATABASE_URL")\n',
    });
    const config = await resolveConfig({
      jetbaseDir: project.jetbaseDir,
      env: { ...NO_PYTHON_ENV, DATABASE_URL: 'postgresql://u:p@localhost/db' },
    });
    expect(config.sqlalchemyUrl).toBe('postgresql://u:p@localhost/db');
    expect(config.sources.sqlalchemy_url).toBe('env.py');
  });
});
