/** Configuration files are UTF-8 (Python source by default, TOML by definition): anything else is an error, not mojibake. */
import { readFileSync } from 'node:fs';

import { ConfigError } from '../engine/errors.js';

/** The file's text; a ConfigError naming the file when it is not valid UTF-8. */
export function readUtf8File(file: string): string {
  const bytes = readFileSync(file);
  try {
    // ignoreBOM keeps a leading U+FEFF, as readFileSync(file, 'utf8') did.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new ConfigError(`Cannot read ${file}: it is not valid UTF-8 text.`, {
      hint: 'Save the file as UTF-8.',
    });
  }
}
