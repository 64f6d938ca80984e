import { ConfigError } from '../../src/engine/errors.js';
import { MODEL_PATHS_NOTICE, requireUrl, resolveConfig } from '../../src/config/resolve.js';
import type { ConfigOverrides } from '../../src/config/types.js';
import { Redactor } from '../../src/report/redact.js';
import { cleanEnv, makeProject, removeProjects } from './project.js';

afterAll(removeProjects);

/** A project where each of the five layers sets postgres_schema (and the file layers more keys). */
function fiveLayerProject() {
  return makeProject({
    '../pyproject.toml':
      '[tool.jetbase]\npostgres_schema = "from_pyproject"\nsqlalchemy_url = "sqlite:///pyproject.db"\nskip_file_validation = true\n',
    'jetbase/jetbase.toml': 'postgres_schema = "from_toml"\nsqlalchemy_url = "sqlite:///toml.db"\n',
    'jetbase/env.py': 'postgres_schema = "from_env_py"\n',
  });
}

describe('precedence: flags > JETBASE_* env > env.py > jetbase.toml > [tool.jetbase]', () => {
  test.each<[string, ConfigOverrides, Record<string, string>, string, string]>([
    [
      'override',
      { postgres_schema: 'from_flag' },
      { JETBASE_POSTGRES_SCHEMA: 'from_env' },
      'from_flag',
      'flag',
    ],
    ['env', {}, { JETBASE_POSTGRES_SCHEMA: 'from_env' }, 'from_env', 'env'],
    ['empty env is unset', {}, { JETBASE_POSTGRES_SCHEMA: '' }, 'from_env_py', 'env.py'],
    ['empty override is unset', { postgres_schema: '' }, {}, 'from_env_py', 'env.py'],
  ])('%s', async (_name, overrides, env, value, source) => {
    const project = fiveLayerProject();
    const config = await resolveConfig({ jetbaseDir: project.jetbaseDir, overrides, env: cleanEnv(env) });
    expect(config.postgresSchema).toBe(value);
    expect(config.sources.postgres_schema).toBe(source);
  });

  test('each key falls through independently', async () => {
    const project = fiveLayerProject();
    const config = await resolveConfig({ jetbaseDir: project.jetbaseDir, env: cleanEnv() });
    expect(config.postgresSchema).toBe('from_env_py');
    expect(config.sqlalchemyUrl).toBe('sqlite:///toml.db');
    expect(config.skipFileValidation).toBe(true);
    expect(config.sources).toMatchObject({
      postgres_schema: 'env.py',
      sqlalchemy_url: 'jetbase.toml',
      skip_file_validation: 'pyproject.toml',
      skip_validation: 'default',
      async_mode: 'default',
    });
  });

  test('removing layers from the top down', async () => {
    const project = makeProject({
      '../pyproject.toml': '[tool.jetbase]\npostgres_schema = "from_pyproject"\n',
      'jetbase/jetbase.toml': 'postgres_schema = "from_toml"\n',
    });
    let config = await resolveConfig({ jetbaseDir: project.jetbaseDir, env: cleanEnv() });
    expect([config.postgresSchema, config.sources.postgres_schema]).toEqual(['from_toml', 'jetbase.toml']);

    const onlyPyproject = makeProject({
      '../pyproject.toml': '[tool.jetbase]\npostgres_schema = "from_pyproject"\n',
    });
    config = await resolveConfig({ jetbaseDir: onlyPyproject.jetbaseDir, env: cleanEnv() });
    expect([config.postgresSchema, config.sources.postgres_schema]).toEqual([
      'from_pyproject',
      'pyproject.toml',
    ]);

    const nothing = makeProject();
    config = await resolveConfig({ jetbaseDir: nothing.jetbaseDir, env: cleanEnv() });
    expect(config).toMatchObject({
      sqlalchemyUrl: null,
      asyncMode: false,
      postgresSchema: null,
      modelPaths: null,
      skipValidation: false,
      skipChecksumValidation: false,
      skipFileValidation: false,
      snowflakePrivateKey: null,
      snowflakePrivateKeyPassword: null,
      notices: [],
    });
  });

  test('env.py None falls through to the files below', async () => {
    const project = makeProject({
      'jetbase/env.py': 'import os\nsqlalchemy_url = os.getenv("NOT_SET")\npostgres_schema = None\n',
      'jetbase/jetbase.toml': 'sqlalchemy_url = "sqlite:///toml.db"\npostgres_schema = "s"\n',
    });
    const config = await resolveConfig({ jetbaseDir: project.jetbaseDir, env: cleanEnv() });
    expect(config.sqlalchemyUrl).toBe('sqlite:///toml.db');
    expect(config.postgresSchema).toBe('s');
  });

  test('the first pyproject.toml walking up decides, even without [tool.jetbase]', async () => {
    const project = makeProject({
      'pyproject.toml': '[project]\nname = "app"\n',
      '../pyproject.toml': '[tool.jetbase]\npostgres_schema = "too_far"\n',
    });
    const config = await resolveConfig({ jetbaseDir: project.jetbaseDir, env: cleanEnv() });
    expect(config.postgresSchema).toBeNull();
  });

  test('a pyproject.toml inside the jetbase directory is found first', async () => {
    const project = makeProject({
      'jetbase/pyproject.toml': '[tool.jetbase]\npostgres_schema = "inner"\n',
      'pyproject.toml': '[tool.jetbase]\npostgres_schema = "outer"\n',
    });
    const config = await resolveConfig({ jetbaseDir: project.jetbaseDir, env: cleanEnv() });
    expect(config.postgresSchema).toBe('inner');
  });

  test('lower layers are not read when a key is found above them', async () => {
    const project = makeProject({ 'jetbase/jetbase.toml': 'this is not toml' });
    const env = cleanEnv({
      JETBASE_SQLALCHEMY_URL: 'sqlite://',
      JETBASE_ASYNC_MODE: 'false',
      JETBASE_POSTGRES_SCHEMA: 's',
      JETBASE_MODEL_PATHS: 'm.py',
      JETBASE_SKIP_VALIDATION: 'false',
      JETBASE_SKIP_CHECKSUM_VALIDATION: 'false',
      JETBASE_SKIP_FILE_VALIDATION: 'false',
      JETBASE_SNOWFLAKE_PRIVATE_KEY: 'k-material',
      JETBASE_SNOWFLAKE_PRIVATE_KEY_PASSWORD: 'k-pass',
    });
    await expect(resolveConfig({ jetbaseDir: project.jetbaseDir, env })).resolves.toMatchObject({
      sqlalchemyUrl: 'sqlite://',
    });
    await expect(resolveConfig({ jetbaseDir: project.jetbaseDir, env: cleanEnv() })).rejects.toThrow(
      /^Invalid TOML in .*jetbase\.toml line 1: /,
    );
  });
});

describe('booleans', () => {
  test.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    ['Yes', true],
    ['false', false],
    ['False', false],
    ['0', false],
    ['no', false],
    ['NO', false],
  ])('JETBASE_SKIP_VALIDATION=%s', async (raw, expected) => {
    const project = makeProject({ 'jetbase/env.py': 'skip_validation = True\n' });
    const config = await resolveConfig({
      jetbaseDir: project.jetbaseDir,
      env: cleanEnv({ JETBASE_SKIP_VALIDATION: raw }),
    });
    expect(config.skipValidation).toBe(expected);
    expect(config.sources.skip_validation).toBe('env');
  });

  test.each([
    ['JETBASE_SKIP_VALIDATION', 'maybe'],
    ['JETBASE_SKIP_CHECKSUM_VALIDATION', 'on'],
    ['JETBASE_SKIP_FILE_VALIDATION', '2'],
    ['JETBASE_ASYNC_MODE', 'sometimes'],
  ])('%s=%s is an error naming the variable', async (name, raw) => {
    const project = makeProject();
    await expect(
      resolveConfig({ jetbaseDir: project.jetbaseDir, env: cleanEnv({ [name]: raw }) }),
    ).rejects.toThrow(new ConfigError(`${name} must be true or false, got '${raw}'`));
  });

  test.each([
    [
      'jetbase/env.py',
      'skip_validation = "True"\n',
      "env.py: skip_validation must be True or False, got str 'True'",
    ],
    [
      'jetbase/env.py',
      'skip_checksum_validation = 1\n',
      'env.py: skip_checksum_validation must be True or False, got int 1',
    ],
    ['jetbase/env.py', 'async_mode = ["x"]\n', 'env.py: async_mode must be True or False, got list'],
    ['jetbase/env.py', 'postgres_schema = 5\n', 'env.py: postgres_schema must be a string, got int'],
    [
      'jetbase/jetbase.toml',
      'skip_file_validation = "yes"\n',
      'jetbase.toml: skip_file_validation must be true or false, got a string "yes"',
    ],
    [
      'jetbase/jetbase.toml',
      'sqlalchemy_url = 5\n',
      'jetbase.toml: sqlalchemy_url must be a string, got an integer',
    ],
    [
      'pyproject.toml',
      '[tool.jetbase]\nskip_validation = 0\n',
      '[tool.jetbase]: skip_validation must be true or false, got an integer 0',
    ],
  ])('%s: %s', async (file, text, message) => {
    const project = makeProject({ [file]: text });
    const error = await resolveConfig({ jetbaseDir: project.jetbaseDir, env: cleanEnv() }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(message);
  });

  test('a python-evaluated env.py is type-checked too', async () => {
    const project = makeProject({
      'jetbase/env.py': 'def get_env_vars():\n    return {"skip_validation": "yes"}\n',
    });
    await expect(resolveConfig({ jetbaseDir: project.jetbaseDir, env: cleanEnv() })).rejects.toThrow(
      "env.py: skip_validation must be True or False, got str 'yes'",
    );
  });

  test('overrides are real booleans and win', async () => {
    const project = makeProject({ 'jetbase/jetbase.toml': 'skip_validation = true\n' });
    const config = await resolveConfig({
      jetbaseDir: project.jetbaseDir,
      overrides: { skip_validation: false, skip_checksum_validation: true },
      env: cleanEnv({ JETBASE_SKIP_CHECKSUM_VALIDATION: 'false' }),
    });
    expect(config.skipValidation).toBe(false);
    expect(config.skipChecksumValidation).toBe(true);
    expect(config.sources.skip_validation).toBe('flag');
  });
});

describe('async_mode and ASYNC', () => {
  test.each([
    ['true', true],
    ['1', true],
    ['YES', true],
    ['false', false],
    ['0', false],
    ['No', false],
  ])('ASYNC=%s overrides env.py and JETBASE_ASYNC_MODE', async (raw, expected) => {
    const project = makeProject({ 'jetbase/env.py': `async_mode = ${expected ? 'False' : 'True'}\n` });
    const config = await resolveConfig({
      jetbaseDir: project.jetbaseDir,
      env: cleanEnv({ ASYNC: raw, JETBASE_ASYNC_MODE: expected ? 'false' : 'true' }),
    });
    expect(config.asyncMode).toBe(expected);
    expect(config.sources.async_mode).toBe('env');
  });

  test('an unrecognised ASYNC is ignored with a notice; the configured value stays', async () => {
    const project = makeProject({ 'jetbase/env.py': 'async_mode = True\n' });
    const config = await resolveConfig({ jetbaseDir: project.jetbaseDir, env: cleanEnv({ ASYNC: 'maybe' }) });
    expect(config.asyncMode).toBe(true);
    expect(config.notices.join('\n')).toContain('ASYNC=maybe');
  });

  test('the async_mode override beats ASYNC', async () => {
    const project = makeProject();
    const config = await resolveConfig({
      jetbaseDir: project.jetbaseDir,
      overrides: { async_mode: false },
      env: cleanEnv({ ASYNC: 'true' }),
    });
    expect(config.asyncMode).toBe(false);
  });
});

describe('model_paths', () => {
  test('JETBASE_MODEL_PATHS is split on commas, trimmed, empties dropped', async () => {
    const project = makeProject();
    const config = await resolveConfig({
      jetbaseDir: project.jetbaseDir,
      env: cleanEnv({ JETBASE_MODEL_PATHS: ' a.py, ,b/models.py ,' }),
    });
    expect(config.modelPaths).toEqual(['a.py', 'b/models.py']);
    expect(config.notices).toEqual([MODEL_PATHS_NOTICE]);
  });

  test('from jetbase.toml and env.py', async () => {
    const fromToml = makeProject({ 'jetbase/jetbase.toml': 'model_paths = ["x.py"]\n' });
    expect((await resolveConfig({ jetbaseDir: fromToml.jetbaseDir, env: cleanEnv() })).modelPaths).toEqual([
      'x.py',
    ]);
    const fromEnvPy = makeProject({ 'jetbase/env.py': 'model_paths = ["y.py", "z.py"]\n' });
    const config = await resolveConfig({ jetbaseDir: fromEnvPy.jetbaseDir, env: cleanEnv() });
    expect(config.modelPaths).toEqual(['y.py', 'z.py']);
    expect(config.notices).toContain(
      'model_paths is accepted but not applicable: jetbase-action runs SQL migrations only',
    );
  });
});

describe('requireUrl', () => {
  test('missing URL lists every method', async () => {
    const project = makeProject();
    const config = await resolveConfig({ jetbaseDir: project.jetbaseDir, env: cleanEnv() });
    expect(config.sqlalchemyUrl).toBeNull();
    let error: unknown;
    try {
      requireUrl(config);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(
      message.startsWith(
        "Configuration 'sqlalchemy_url' not found. Please configure it using one of these methods:",
      ),
    ).toBe(true);
    for (const method of [
      '1. The CLI flag --url, or the action input database-url',
      '2. ',
      'JETBASE_SQLALCHEMY_URL',
      '3. jetbase/env.py',
      '4. jetbase/jetbase.toml',
      '5. pyproject.toml',
      '[tool.jetbase]',
    ]) {
      expect(message).toContain(method);
    }
    expect(() => requireUrl(config)).toThrow(ConfigError);
  });

  test('a driver-suffixed URL is returned as configured, async mode or not', async () => {
    const project = makeProject();
    for (const asyncFlag of ['true', 'false']) {
      const config = await resolveConfig({
        jetbaseDir: project.jetbaseDir,
        env: cleanEnv({ JETBASE_SQLALCHEMY_URL: 'postgresql+asyncpg://u:p@h/db', ASYNC: asyncFlag }),
      });
      expect(requireUrl(config)).toBe('postgresql+asyncpg://u:p@h/db');
    }
  });
});

describe('secrets are registered for redaction', () => {
  test('URL password, the URL itself, the Snowflake key and its passphrase', async () => {
    const project = makeProject();
    const redactor = new Redactor();
    const key = '-----BEGIN PRIVATE KEY-----\nMIIEvgIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';
    await resolveConfig({
      jetbaseDir: project.jetbaseDir,
      redactor,
      env: cleanEnv({
        JETBASE_SQLALCHEMY_URL: 'snowflake://me:pw%2Fsecret@acct/db/s?warehouse=W',
        JETBASE_SNOWFLAKE_PRIVATE_KEY: key,
        JETBASE_SNOWFLAKE_PRIVATE_KEY_PASSWORD: 'key-passphrase',
      }),
    });
    expect(redactor.secrets).toEqual(
      expect.arrayContaining([
        key,
        'key-passphrase',
        'pw/secret',
        'snowflake://me:pw%2Fsecret@acct/db/s?warehouse=W',
      ]),
    );
    expect(
      redactor.redact('failed: pw%2Fsecret / pw/secret / key-passphrase / MIIEvgIBADANBgkqhkiG9w0BAQEFAASC'),
    ).toBe('failed: *** / *** / *** / ***');
  });

  test('an unparsable URL does not fail resolution', async () => {
    const project = makeProject();
    const config = await resolveConfig({
      jetbaseDir: project.jetbaseDir,
      redactor: new Redactor(),
      env: cleanEnv({ JETBASE_SQLALCHEMY_URL: 'nonsense' }),
    });
    expect(config.sqlalchemyUrl).toBe('nonsense');
  });
});
