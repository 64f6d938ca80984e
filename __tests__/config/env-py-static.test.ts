import { ConfigError } from '../../src/engine/errors.js';
import { EnvPyMissingVariableError } from '../../src/config/env-py-errors.js';
import { readEnvPyStatic } from '../../src/config/env-py-static.js';

const ENV: NodeJS.ProcessEnv = { DATABASE_URL: 'postgresql://u:p@h/db', EMPTY: '', SCHEMA: 'app' };

describe('readEnvPyStatic: literal forms', () => {
  test.each<[string, string, Record<string, unknown>]>([
    ['double-quoted', 'sqlalchemy_url = "sqlite:///./x.db"\n', { sqlalchemy_url: 'sqlite:///./x.db' }],
    ['single-quoted', "postgres_schema = 'public'\n", { postgres_schema: 'public' }],
    [
      'triple-quoted over lines',
      'snowflake_private_key = """-----BEGIN\nABC\n-----END"""\n',
      { snowflake_private_key: '-----BEGIN\nABC\n-----END' },
    ],
    ['triple single-quoted', "x = '''a'b'''", { x: "a'b" }],
    ['escapes', 'x = "a\\tb\\n\\x41\\u00e9\\\\"', { x: 'a\tb\nAé\\' }],
    ['raw string keeps backslashes', 'x = r"C:\\new\\table"', { x: 'C:\\new\\table' }],
    ['raw string with escaped quote', 'x = r"a\\"b"', { x: 'a\\"b' }],
    ['u prefix', 'x = u"v"', { x: 'v' }],
    [
      'implicit concatenation in parentheses',
      'sqlalchemy_url = (\n    "postgresql://u:p@h"  # host\n    \'/db\'\n)\n',
      { sqlalchemy_url: 'postgresql://u:p@h/db' },
    ],
    ['implicit concatenation on one line', 'x = "a" \'b\' r"\\c"', { x: 'ab\\c' }],
    ['backslash continuation', 'x = \\\n  "v"', { x: 'v' }],
    [
      'booleans',
      'skip_validation = True\nskip_file_validation = False',
      { skip_validation: true, skip_file_validation: false },
    ],
    ['None', 'postgres_schema = None', { postgres_schema: null }],
    ['integers', 'a = 42\nb = 1_000\nc = -3', { a: 42, b: 1000, c: -3 }],
    ['list of strings', 'model_paths = ["a.py", \'b.py\',]\n', { model_paths: ['a.py', 'b.py'] }],
    [
      'multi-line list',
      'model_paths = [\n  "a.py",  # first\n  "b.py"\n]',
      { model_paths: ['a.py', 'b.py'] },
    ],
    ['empty list', 'model_paths = []', { model_paths: [] }],
    ['last assignment wins', 'x = "1"\nx = "2"', { x: '2' }],
    ['semicolons', 'a = "1"; b = "2"', { a: '1', b: '2' }],
    [
      'comments, imports and docstring',
      '"""Config."""\n# comment\nimport os\nimport sys, re\nfrom pathlib import Path\n\nx = "v"  # trailing\n',
      { x: 'v' },
    ],
    ['hash inside a string', 'x = "a#b"', { x: 'a#b' }],
    ['BOM and CRLF', '\ufeffx = "v"\r\ny = True\r\n', { x: 'v', y: true }],
  ])('%s', (_name, source, expected) => {
    const result = readEnvPyStatic(source, ENV);
    expect(result.needsPython).toEqual([]);
    expect(result.values).toEqual(expected);
  });
});

describe('readEnvPyStatic: environment lookups', () => {
  test.each<[string, string, Record<string, unknown>]>([
    [
      'os.getenv',
      'import os\nsqlalchemy_url = os.getenv("DATABASE_URL")',
      { sqlalchemy_url: 'postgresql://u:p@h/db' },
    ],
    ['os.getenv unset', 'import os\nx = os.getenv("NOPE")', { x: null }],
    ['os.getenv default', 'import os\nx = os.getenv("NOPE", "d")', { x: 'd' }],
    ['os.getenv default= keyword', 'import os\nx = os.getenv("NOPE", default="d")', { x: 'd' }],
    ['os.getenv set to empty', 'import os\nx = os.getenv("EMPTY", "d")', { x: '' }],
    ['os.getenv non-string default', 'import os\nx = os.getenv("NOPE", False)', { x: false }],
    ['os.environ[...]', 'import os\nx = os.environ["SCHEMA"]', { x: 'app' }],
    [
      'os.environ.get',
      'import os\nx = os.environ.get("SCHEMA")\ny = os.environ.get("NOPE")',
      { x: 'app', y: null },
    ],
    ['os.environ.get default', "import os\nx = os.environ.get('NOPE', 'fallback')", { x: 'fallback' }],
    ['from os import getenv', 'from os import getenv\nx = getenv("SCHEMA")', { x: 'app' }],
    [
      'from os import environ as e',
      'from os import environ as e, getenv\nx = e["SCHEMA"]\ny = e.get("NOPE", "d")',
      { x: 'app', y: 'd' },
    ],
    [
      'in parentheses, over lines',
      'import os\nx = (\n  os.getenv(\n    "SCHEMA",\n    "d",\n  )\n)',
      { x: 'app' },
    ],
  ])('%s', (_name, source, expected) => {
    const result = readEnvPyStatic(source, ENV);
    expect(result.needsPython).toEqual([]);
    expect(result.values).toEqual(expected);
  });

  test('os.environ["X"] of an unset variable is the KeyError Python would raise', () => {
    expect(() => readEnvPyStatic('import os\nsqlalchemy_url = os.environ["MISSING_URL"]\n', {})).toThrow(
      ConfigError,
    );
    expect(() => readEnvPyStatic('import os\nsqlalchemy_url = os.environ["MISSING_URL"]\n', {})).toThrow(
      'env.py line 2 reads os.environ["MISSING_URL"], which is not set (Python raises KeyError).',
    );
  });

  test('the unset variable is named by the error, for a caller that can do without it', () => {
    let caught: unknown;
    try {
      readEnvPyStatic('from os import environ\nsqlalchemy_url = environ["SHOP_DATABASE_URL"]\n', {});
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EnvPyMissingVariableError);
    expect((caught as EnvPyMissingVariableError).variable).toBe('SHOP_DATABASE_URL');
    expect((caught as EnvPyMissingVariableError).hint).toContain('os.getenv("SHOP_DATABASE_URL")');
  });
});

describe('readEnvPyStatic: constructs that need Python', () => {
  test.each<[string, string, string]>([
    [
      'get_env_vars',
      'def get_env_vars():\n    return {"sqlalchemy_url": "sqlite://"}\n',
      'env.py defines get_env_vars()',
    ],
    [
      'get_env_vars inside if wins',
      'import os\nif os.getenv("E") == "DEV":\n    def get_env_vars():\n        return {}\n',
      'env.py defines get_env_vars()',
    ],
    [
      'load_dotenv',
      'from dotenv import load_dotenv\nload_dotenv()\nx = "v"\n',
      'env.py calls load_dotenv() (line 2)',
    ],
    ['if statement', 'import os\nif True:\n    x = "a"\n', "env.py uses an 'if' statement (line 2)"],
    [
      'f-string',
      'user = "u"\nsqlalchemy_url = f"postgresql://{user}@h/db"\n',
      'env.py uses an f-string (line 2)',
    ],
    ['function call', 'x = str(5)', 'env.py calls str() (line 1)'],
    [
      'assignment from another name',
      'base = "sqlite:///"\nsqlalchemy_url = base',
      'env.py assigns sqlalchemy_url from another name (line 2)',
    ],
    ['operator', 'x = "a" + "b"', 'env.py assigns x an expression that is not a literal (line 1)'],
    [
      'or-default',
      'import os\nx = os.getenv("A") or "d"',
      'env.py assigns x an expression that is not a literal (line 2)',
    ],
    ['other os call', 'import os\nx = os.path.join("a", "b")', 'env.py calls os.path.join() (line 2)'],
    ['bytes', 'x = b"v"', 'env.py assigns x a bytes literal (line 1)'],
    ['float', 'x = 1.5', 'env.py assigns x a number that is not a plain integer (line 1)'],
    ['list of non-strings', 'x = [1, 2]', 'env.py assigns x a list that is not a list of strings (line 1)'],
    ['unterminated string', 'x = "abc\n', 'env.py line 1 has an unterminated string'],
    ['unclosed bracket', 'x = ("abc"\n', 'env.py line 1 has an unclosed bracket'],
    ['stray indentation', '  x = "v"', 'env.py line 1 is indented'],
    ['augmented assignment', 'x = "a"\nx += "b"', 'env.py line 2 is not a literal assignment'],
    ['comparison is not assignment', 'x == "a"', 'env.py line 1 is not a literal assignment'],
  ])('%s', (_name, source, construct) => {
    const result = readEnvPyStatic(source, {});
    expect(result.needsPython[0]).toBe(construct);
  });

  test('literal assignments are still collected next to a construct that needs Python', () => {
    const result = readEnvPyStatic('load_dotenv()\npostgres_schema = "public"\nx = y\n', {});
    expect(result.values).toEqual({ postgres_schema: 'public' });
    expect(result.needsPython).toHaveLength(2);
  });

  test('a name re-assigned from a non-literal is no longer a known literal', () => {
    const result = readEnvPyStatic('x = "a"\nx = other\n', {});
    expect(result.values).toEqual({});
  });
});
