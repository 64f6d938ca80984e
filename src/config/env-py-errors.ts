/** Errors of reading env.py that a caller may want to tell apart from the rest. */
import { ConfigError } from '../engine/errors.js';

/**
 * env.py failed because it reads an environment variable that is not set (`os.environ["NAME"]`,
 * at the top level or in `get_env_vars()`). A pull request from a fork does not get the
 * repository's secrets, so this is what its env.py typically does there: the action can fall back
 * to validating the migration files offline instead of failing.
 */
export class EnvPyMissingVariableError extends ConfigError {
  /** The name of the variable that is not set. */
  readonly variable: string;

  constructor(message: string, variable: string) {
    super(message, {
      hint: `Set ${variable} in the environment, or use os.getenv("${variable}") for an optional value.`,
    });
    this.name = 'EnvPyMissingVariableError';
    this.variable = variable;
  }
}
