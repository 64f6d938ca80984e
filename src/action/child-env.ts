/**
 * The environment repository code (env.py, evaluated by Python) runs in: the workflow's own
 * variables, without what belongs to this action or to the runner. The runner hands an action its
 * inputs as INPUT_* (the database URL, the GitHub token, the Snowflake key), its saved state as
 * STATE_*, its tokens as ACTIONS_*, GITHUB_TOKEN and RUNNER_*TOKEN*, and the files through which a
 * step speaks to the runner (GITHUB_ENV, GITHUB_OUTPUT...); none of that is env.py's to read or
 * write. Variables the workflow maps in its `env:` (DATABASE_URL, ENVIRONMENT...) stay, since
 * env.py is written to read them, and so do the runner's descriptive ones (RUNNER_OS, GITHUB_SHA).
 */

/** Files through which the current step talks to the runner: writing them would speak for this action. */
const RUNNER_FILE_COMMANDS = new Set([
  'GITHUB_ENV',
  'GITHUB_OUTPUT',
  'GITHUB_PATH',
  'GITHUB_STATE',
  'GITHUB_STEP_SUMMARY',
]);

/** Whether a variable belongs to the action or the runner rather than to the workflow (names compared in upper case: Windows ignores case). */
export function isActionOrRunnerVariable(name: string): boolean {
  const upper = name.toUpperCase();
  return (
    upper.startsWith('INPUT_') ||
    upper.startsWith('ACTIONS_') ||
    upper.startsWith('STATE_') ||
    upper === 'GITHUB_TOKEN' ||
    (upper.startsWith('RUNNER_') && upper.includes('TOKEN')) ||
    RUNNER_FILE_COMMANDS.has(upper)
  );
}

/** `env` without the action's and the runner's variables (see isActionOrRunnerVariable); a new object. */
export function envForRepositoryCode(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !isActionOrRunnerVariable(name)) result[name] = value;
  }
  return result;
}
