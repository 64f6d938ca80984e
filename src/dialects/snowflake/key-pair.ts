/**
 * Key-pair authentication, as Jetbase does it: the PEM text of `snowflake_private_key`
 * (JETBASE_SNOWFLAKE_PRIVATE_KEY), optionally encrypted with `snowflake_private_key_password`,
 * becomes the unencrypted PKCS#8 PEM that snowflake-sdk signs its JWT with.
 *
 * Every error here is a ConfigError with a fixed text: it names the setting at fault and never
 * quotes the key, the passphrase or node:crypto's message (which could echo input back).
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';

import { ConfigError } from '../../engine/errors.js';

/** Jetbase's exact text, so a user switching tools sees the same advice. */
export const MISSING_PRIVATE_KEY_MESSAGE =
  "Snowflake private key is not set. You can set it as 'JETBASE_SNOWFLAKE_PRIVATE_KEY' in an environment variable. Alternatively, you can add the password to the SQLAlchemy URL.";

const KEY_SETTING = "'JETBASE_SNOWFLAKE_PRIVATE_KEY' (config key snowflake_private_key)";
const PASSPHRASE_SETTING =
  "'JETBASE_SNOWFLAKE_PRIVATE_KEY_PASSWORD' (config key snowflake_private_key_password)";

/** A PEM private-key block: PKCS#8 (`PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`) or PKCS#1 (`RSA PRIVATE KEY`). */
const PRIVATE_KEY_PEM = /-----BEGIN ((?:ENCRYPTED |RSA )?PRIVATE KEY)-----[\s\S]+?-----END \1-----/;

/** Encrypted PEM: PKCS#8 `ENCRYPTED PRIVATE KEY`, or the legacy OpenSSL `Proc-Type: 4,ENCRYPTED` header of PKCS#1. */
function isEncryptedPem(pem: string): boolean {
  return pem.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----') || /Proc-Type:\s*4,\s*ENCRYPTED/i.test(pem);
}

/**
 * The PEM block out of the setting's text. CI secret stores often flatten a key to one line with
 * literal `\n` sequences; those are turned back into line breaks (a real PEM has no backslash).
 */
function extractPem(text: string): string | null {
  const normalised = !text.includes('\n') && text.includes('\\n') ? text.replaceAll('\\n', '\n') : text;
  return PRIVATE_KEY_PEM.exec(normalised.replaceAll('\r\n', '\n'))?.[0] ?? null;
}

function notPem(): ConfigError {
  return new ConfigError(
    `The Snowflake private key in ${KEY_SETTING} is not a PEM private key: expected a block starting with '-----BEGIN PRIVATE KEY-----', '-----BEGIN ENCRYPTED PRIVATE KEY-----' or '-----BEGIN RSA PRIVATE KEY-----'.`,
    {
      hint: 'Set it to the whole content of the key file, e.g. JETBASE_SNOWFLAKE_PRIVATE_KEY="$(cat rsa_key.p8)".',
    },
  );
}

function readKey(pem: string, passphrase: string | null): KeyObject {
  const encrypted = isEncryptedPem(pem);
  if (encrypted && !passphrase) {
    throw new ConfigError(
      `The Snowflake private key in ${KEY_SETTING} is encrypted, but no passphrase is set: set ${PASSPHRASE_SETTING} to its passphrase.`,
    );
  }
  try {
    // The passphrase is used as its UTF-8 bytes, as Jetbase does; an unencrypted key ignores it.
    return createPrivateKey({
      key: pem,
      format: 'pem',
      ...(encrypted ? { passphrase: passphrase ?? '' } : {}),
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (encrypted) {
      throw new ConfigError(
        `The Snowflake private key in ${KEY_SETTING} could not be decrypted with the passphrase in ${PASSPHRASE_SETTING}: the passphrase is wrong or the key is damaged${typeof code === 'string' ? ` (${code})` : ''}.`,
      );
    }
    throw new ConfigError(
      `The Snowflake private key in ${KEY_SETTING} could not be read: the PEM block is damaged or not a private key${typeof code === 'string' ? ` (${code})` : ''}.`,
    );
  }
}

/**
 * The key for snowflake-sdk's `privateKey`: unencrypted PKCS#8 PEM, from PKCS#8 or PKCS#1 input,
 * plain or encrypted. Snowflake key-pair authentication signs with RS256, so the key must be RSA.
 */
export function privateKeyForSdk(
  keyText: string | null | undefined,
  passphrase: string | null | undefined,
): string {
  if (!keyText || keyText.trim() === '') throw new ConfigError(MISSING_PRIVATE_KEY_MESSAGE);
  const pem = extractPem(keyText);
  if (pem === null) throw notPem();
  const key = readKey(pem, passphrase || null);
  if (key.asymmetricKeyType !== 'rsa') {
    throw new ConfigError(
      `The Snowflake private key in ${KEY_SETTING} is a ${key.asymmetricKeyType ?? 'non-RSA'} key: Snowflake key-pair authentication needs an RSA key.`,
    );
  }
  return key.export({ format: 'pem', type: 'pkcs8' }).toString();
}
