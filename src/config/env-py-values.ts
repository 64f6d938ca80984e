/** What env.py yields: the configuration keys it may set and the Python values they hold. */
import type { ConfigKey } from './types.js';

/** The configuration keys env.py may define, including the newer Jetbase line's async_mode and model_paths. */
export const CONFIG_KEYS: readonly ConfigKey[] = [
  'sqlalchemy_url',
  'async_mode',
  'postgres_schema',
  'model_paths',
  'skip_validation',
  'skip_checksum_validation',
  'skip_file_validation',
  'snowflake_private_key',
  'snowflake_private_key_password',
];

/** A Python value as read from env.py; a value of any other type is named by `unsupportedType`. */
export type EnvPyValue =
  string | boolean | number | null | readonly string[] | { readonly unsupportedType: string };

export type EnvPyValues = Partial<Record<ConfigKey, EnvPyValue>>;

/** The configuration keys among `values`; a key set to None counts as not set. */
export function configValuesOf(values: Readonly<Record<string, EnvPyValue>>): EnvPyValues {
  const result: EnvPyValues = {};
  for (const key of CONFIG_KEYS) {
    const value = values[key];
    if (value !== undefined && value !== null) result[key] = value;
  }
  return result;
}
