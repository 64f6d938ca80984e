import { envForRepositoryCode, isActionOrRunnerVariable } from '../../src/action/child-env.js';

/** The environment of a real job step, as the runner sets it, plus the workflow's own `env:`. */
const STEP_ENV: NodeJS.ProcessEnv = {
  PATH: '/opt/hostedtoolcache/Python/3.12.3/x64/bin:/usr/bin:/bin',
  HOME: '/home/runner',
  CI: 'true',
  GITHUB_ACTIONS: 'true',
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_SHA: '4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b',
  GITHUB_REF: 'refs/pull/13/merge',
  GITHUB_EVENT_NAME: 'pull_request_target',
  GITHUB_EVENT_PATH: '/home/runner/work/_temp/_github_workflow/event.json',
  GITHUB_WORKSPACE: '/home/runner/work/shop/shop',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_TOKEN: 'ghs_16C7e42F292c6912E7710c838347Ae178B4a',
  GITHUB_ENV: '/home/runner/work/_temp/_runner_file_commands/set_env_1',
  GITHUB_PATH: '/home/runner/work/_temp/_runner_file_commands/add_path_1',
  GITHUB_OUTPUT: '/home/runner/work/_temp/_runner_file_commands/set_output_1',
  GITHUB_STATE: '/home/runner/work/_temp/_runner_file_commands/save_state_1',
  GITHUB_STEP_SUMMARY: '/home/runner/work/_temp/_runner_file_commands/step_summary_1',
  ACTIONS_RUNTIME_TOKEN: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.runtime',
  ACTIONS_RUNTIME_URL: 'https://pipelines.actions.githubusercontent.com/abc/',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.oidc',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://pipelines.actions.githubusercontent.com/abc/idtoken',
  ACTIONS_CACHE_URL: 'https://artifactcache.actions.githubusercontent.com/abc/',
  RUNNER_OS: 'Linux',
  RUNNER_ARCH: 'X64',
  RUNNER_TEMP: '/home/runner/work/_temp',
  RUNNER_TOOL_CACHE: '/opt/hostedtoolcache',
  RUNNER_DEBUG: '1',
  RUNNER_ADMIN_TOKEN: 'runner-admin',
  'INPUT_DATABASE-URL': 'postgresql://app:s3cret@db.internal/shop',
  'INPUT_GITHUB-TOKEN': 'ghs_16C7e42F292c6912E7710c838347Ae178B4a',
  'INPUT_SNOWFLAKE-PRIVATE-KEY': '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----',
  INPUT_COMMAND: 'auto',
  STATE_lock_pid: '4242',
  // The workflow's own `env:`
  DATABASE_URL: 'postgresql://app:s3cret@db.internal/shop',
  ENVIRONMENT: 'STAGING',
  GH_TOKEN: 'ghp_mappedByTheWorkflow',
};

test("the workflow's variables stay, the action's and the runner's go", () => {
  const env = envForRepositoryCode(STEP_ENV);
  expect(Object.keys(env).sort()).toEqual(
    [
      'PATH',
      'HOME',
      'CI',
      'GITHUB_ACTIONS',
      'GITHUB_REPOSITORY',
      'GITHUB_SHA',
      'GITHUB_REF',
      'GITHUB_EVENT_NAME',
      'GITHUB_EVENT_PATH',
      'GITHUB_WORKSPACE',
      'GITHUB_SERVER_URL',
      'RUNNER_OS',
      'RUNNER_ARCH',
      'RUNNER_TEMP',
      'RUNNER_TOOL_CACHE',
      'RUNNER_DEBUG',
      'DATABASE_URL',
      'ENVIRONMENT',
      'GH_TOKEN',
    ].sort(),
  );
  expect(env.DATABASE_URL).toBe(STEP_ENV.DATABASE_URL);
  expect(env.PATH).toBe(STEP_ENV.PATH);
});

test('no value of a removed variable is left anywhere in the result', () => {
  const env = envForRepositoryCode(STEP_ENV);
  const values = Object.values(env).join('\n');
  for (const secret of [
    'runtime',
    'oidc',
    'runner-admin',
    'ghs_16C7e42F292c6912E7710c838347Ae178B4a',
    'MIIE',
  ]) {
    expect(values).not.toContain(secret);
  }
});

test('names are compared in any case (Windows keeps the case it was given)', () => {
  for (const name of [
    'input_database-url',
    'Actions_Runtime_Token',
    'github_token',
    'Runner_Token',
    'github_env',
  ]) {
    expect(isActionOrRunnerVariable(name)).toBe(true);
  }
  for (const name of ['GITHUB_TOKENS_FILE', 'MY_INPUT_X', 'RUNNER_OS', 'JETBASE_SQLALCHEMY_URL']) {
    expect(isActionOrRunnerVariable(name)).toBe(false);
  }
});

test('the input is not changed and undefined values are dropped', () => {
  const input: NodeJS.ProcessEnv = { GITHUB_TOKEN: 'x', KEEP: 'y', GONE: undefined };
  const env = envForRepositoryCode(input);
  expect(env).toEqual({ KEEP: 'y' });
  expect(input.GITHUB_TOKEN).toBe('x');
  expect(env).not.toBe(input);
});
