/**
 * resolveConfig's guards for repository code, with the real python3: what env.py sees
 * (`envPyEnv`), and `forbidEnvPyExecution`, under which env.py is only ever read statically.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

import { envForRepositoryCode } from '../../src/action/child-env.js';
import { resolveConfig } from '../../src/config/resolve.js';
import { ConfigError } from '../../src/engine/errors.js';
import { cleanEnv, makeProject, removeProjects } from './project.js';

afterAll(removeProjects);

const REASON = 'pull_request_target runs with secrets and the pull request comes from a fork';
const FORBID = { forbidEnvPyExecution: { reason: REASON } } as const;

/** Needs Python (get_env_vars), leaves a trace when it runs, and sets postgres_schema literally. */
const DYNAMIC_ENV_PY = [
  'open("ran.txt", "w").write("env.py ran")',
  'postgres_schema = "lit"',
  'def get_env_vars():',
  '    return {"sqlalchemy_url": "sqlite:///from-env-py.db"}',
  '',
].join('\n');

describe('forbidEnvPyExecution', () => {
  test('an env.py that needs Python is not run, nothing is thrown, and the result says why', async () => {
    const project = makeProject({ 'jetbase/env.py': DYNAMIC_ENV_PY });
    const config = await resolveConfig({ jetbaseDir: project.jetbaseDir, env: cleanEnv(), ...FORBID });
    expect(existsSync(path.join(project.jetbaseDir, 'ran.txt'))).toBe(false);
    expect(config.envPyNotExecuted).toEqual({
      reason: REASON,
      construct: 'env.py defines get_env_vars()',
    });
    expect(config.sqlalchemyUrl).toBeNull();
    expect(config.sources.sqlalchemy_url).toBe('default');
    expect(config.postgresSchema).toBe('lit');
    expect(config.notices).toContain(
      `env.py was not executed (env.py defines get_env_vars()): ${REASON}. ` +
        'Only its literal assignments were read; sqlalchemy_url is not taken from env.py.',
    );
    expect(config.notices.join('\n')).toContain('sqlalchemy_url is not taken from env.py');
  });

  test('the construct named is the most telling one', async () => {
    const project = makeProject({
      'jetbase/env.py': 'import os\nif os.getenv("X"):\n    pass\ndef get_env_vars():\n    return {}\n',
    });
    const config = await resolveConfig({ jetbaseDir: project.jetbaseDir, env: cleanEnv(), ...FORBID });
    expect(config.envPyNotExecuted?.construct).toBe('env.py defines get_env_vars()');
  });

  test('the URL does not fall through to jetbase.toml or pyproject.toml, which env.py would have overridden', async () => {
    const project = makeProject({
      'jetbase/env.py': DYNAMIC_ENV_PY,
      'jetbase/jetbase.toml': 'sqlalchemy_url = "sqlite:///from-toml.db"\nskip_validation = true\n',
      'pyproject.toml': '[tool.jetbase]\nsqlalchemy_url = "sqlite:///from-pyproject.db"\n',
    });
    const config = await resolveConfig({ jetbaseDir: project.jetbaseDir, env: cleanEnv(), ...FORBID });
    expect(config.sqlalchemyUrl).toBeNull();
    // Other keys still come from the files below env.py.
    expect(config.skipValidation).toBe(true);
    expect(config.sources.skip_validation).toBe('jetbase.toml');
  });

  test('a URL from the input or JETBASE_SQLALCHEMY_URL is used, and the notice says where it came from', async () => {
    const project = makeProject({ 'jetbase/env.py': DYNAMIC_ENV_PY });
    const fromInput = await resolveConfig({
      jetbaseDir: project.jetbaseDir,
      env: cleanEnv(),
      overrides: { sqlalchemy_url: 'sqlite:///from-input.db' },
      ...FORBID,
    });
    expect(fromInput.sqlalchemyUrl).toBe('sqlite:///from-input.db');
    expect(fromInput.envPyNotExecuted?.reason).toBe(REASON);
    expect(fromInput.notices.join('\n')).toContain('sqlalchemy_url comes from the flag/input');
    const fromEnv = await resolveConfig({
      jetbaseDir: project.jetbaseDir,
      env: cleanEnv({ JETBASE_SQLALCHEMY_URL: 'sqlite:///from-env.db' }),
      ...FORBID,
    });
    expect(fromEnv.sqlalchemyUrl).toBe('sqlite:///from-env.db');
    expect(fromEnv.notices.join('\n')).toContain('sqlalchemy_url comes from JETBASE_SQLALCHEMY_URL');
    expect(existsSync(path.join(project.jetbaseDir, 'ran.txt'))).toBe(false);
  });

  test('a static env.py is still read: reading is not running', async () => {
    const project = makeProject({
      'jetbase/env.py':
        'import os\nsqlalchemy_url = os.getenv("SHOP_DATABASE_URL")\npostgres_schema = "app"\n',
    });
    const config = await resolveConfig({
      jetbaseDir: project.jetbaseDir,
      env: cleanEnv({ SHOP_DATABASE_URL: 'sqlite:///shop.db' }),
      ...FORBID,
    });
    expect(config.sqlalchemyUrl).toBe('sqlite:///shop.db');
    expect(config.sources.sqlalchemy_url).toBe('env.py');
    expect(config.envPyNotExecuted).toBeNull();
  });

  test('without it, the same env.py runs; without Python and without a URL it is an error', async () => {
    const project = makeProject({ 'jetbase/env.py': DYNAMIC_ENV_PY });
    const config = await resolveConfig({ jetbaseDir: project.jetbaseDir, env: cleanEnv() });
    expect(config.sqlalchemyUrl).toBe('sqlite:///from-env-py.db');
    expect(config.envPyNotExecuted).toBeNull();
    expect(existsSync(path.join(project.jetbaseDir, 'ran.txt'))).toBe(true);

    const other = makeProject({ 'jetbase/env.py': DYNAMIC_ENV_PY });
    await expect(
      resolveConfig({ jetbaseDir: other.jetbaseDir, env: cleanEnv(), python: null }),
    ).rejects.toThrow(ConfigError);
    // Forbidden wins over "no Python": the caller gets a config to fall back with, not an error.
    const forbidden = await resolveConfig({
      jetbaseDir: other.jetbaseDir,
      env: cleanEnv(),
      python: null,
      ...FORBID,
    });
    expect(forbidden.envPyNotExecuted?.reason).toBe(REASON);
  });
});

describe('envPyEnv: what env.py sees', () => {
  test('static lookups read envPyEnv; JETBASE_* still come from env', async () => {
    const project = makeProject({
      'jetbase/env.py':
        'import os\nsqlalchemy_url = os.getenv("DATABASE_URL")\npostgres_schema = os.getenv("SCHEMA")\n',
    });
    const env = cleanEnv({ DATABASE_URL: 'sqlite:///parent.db', SCHEMA: 'parent' });
    const config = await resolveConfig({
      jetbaseDir: project.jetbaseDir,
      env: { ...env, JETBASE_SKIP_VALIDATION: 'true' },
      envPyEnv: { DATABASE_URL: 'sqlite:///child.db' },
    });
    expect(config.sqlalchemyUrl).toBe('sqlite:///child.db');
    expect(config.postgresSchema).toBeNull();
    expect(config.skipValidation).toBe(true);
  });

  test("Python gets envPyEnv as its whole environment: the action's inputs and tokens stay out", async () => {
    const project = makeProject({
      'jetbase/env.py': [
        'import os',
        'seen = sorted(k for k in os.environ if k.upper().startswith(("INPUT_", "ACTIONS_")) or k == "GITHUB_TOKEN")',
        'def get_env_vars():',
        '    return {"sqlalchemy_url": os.environ["DATABASE_URL"], "postgres_schema": ",".join(seen) or "none"}',
        '',
      ].join('\n'),
    });
    const env = cleanEnv({
      DATABASE_URL: 'sqlite:///workflow.db',
      'INPUT_DATABASE-URL': 'postgresql://u:input-secret@h/db',
      'INPUT_GITHUB-TOKEN': 'ghs_inputtoken',
      GITHUB_TOKEN: 'ghs_token',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc',
      ACTIONS_RUNTIME_TOKEN: 'runtime',
    });
    const everything = await resolveConfig({ jetbaseDir: project.jetbaseDir, env });
    expect(everything.postgresSchema).toBe(
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN,ACTIONS_RUNTIME_TOKEN,GITHUB_TOKEN,INPUT_DATABASE-URL,INPUT_GITHUB-TOKEN',
    );
    const guarded = await resolveConfig({
      jetbaseDir: project.jetbaseDir,
      env,
      envPyEnv: envForRepositoryCode(env),
    });
    expect(guarded.sqlalchemyUrl).toBe('sqlite:///workflow.db');
    expect(guarded.postgresSchema).toBe('none');
  });
});
