/**
 * The one rule for which names hold secrets. A name is secret when it contains one of a few words,
 * in any case. Two kinds of names are judged, with one deliberate difference:
 *
 * - environment variables: their values are masked in env.py's error messages (by this process and
 *   by the Python program that evaluates env.py, which receives the words from here);
 * - query parameters of a database URL: their values are masked where the URL is shown and
 *   registered for redaction.
 *
 * An environment variable named after any key (`API_KEY`, `AWS_SECRET_ACCESS_KEY`) or a connection
 * string (`DATABASE_URL`, `PG_DSN`) is treated as secret: such values embed passwords. In a URL's
 * query a bare "key" names a file or an id (`sslkey=/certs/client.key`) and no parameter holds a
 * whole connection string, so only the credential words and `private_key` count there.
 */
export type SecretNameKind = 'environment-variable' | 'url-query-parameter';

/** Words that name a credential wherever they appear (lower case). */
const CREDENTIAL_WORDS: readonly string[] = [
  'pass',
  'pwd',
  'token',
  'secret',
  'credential',
  'private_key',
  'privatekey',
];

const WORDS_BY_KIND: Readonly<Record<SecretNameKind, readonly string[]>> = {
  'environment-variable': [...CREDENTIAL_WORDS, 'key', 'url', 'dsn'],
  'url-query-parameter': CREDENTIAL_WORDS,
};

/**
 * Values shorter than this are not masked because of their name: masking every `1` or `on` would
 * garble a message and hide nothing worth hiding.
 */
export const MIN_MASKED_VALUE_LENGTH = 3;

/** The lower-case words whose presence makes a name of this kind secret. */
export function secretNameWords(kind: SecretNameKind): readonly string[] {
  return WORDS_BY_KIND[kind];
}

export function isSecretName(name: string, kind: SecretNameKind): boolean {
  const lower = name.toLowerCase();
  return WORDS_BY_KIND[kind].some((word) => lower.includes(word));
}

/** The values of the secret-named variables of `env` that are long enough to mask, longest first. */
export function secretValuesOf(env: NodeJS.ProcessEnv): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (
      value !== undefined &&
      value.length >= MIN_MASKED_VALUE_LENGTH &&
      isSecretName(name, 'environment-variable')
    )
      values.add(value);
  }
  return [...values].sort((a, b) => b.length - a.length);
}
