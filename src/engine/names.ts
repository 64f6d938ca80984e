/** Migration file names (docs/format.md, "Migration file names"). */
import { pyStrip } from './pystr.js';
import { isValidVersion, versionKey } from './version.js';

export type MigrationType = 'VERSIONED' | 'RUNS_ALWAYS' | 'RUNS_ON_CHANGE';

export const MAX_FILENAME_LENGTH = 512;

export type ParsedName =
  | {
      readonly ok: true;
      readonly type: 'VERSIONED';
      readonly rawVersion: string;
      readonly version: string;
      readonly description: string;
    }
  | {
      readonly ok: true;
      readonly type: 'RUNS_ALWAYS' | 'RUNS_ON_CHANGE';
      readonly version: null;
      readonly description: string;
    }
  | { readonly ok: false; readonly reason: 'too-long' | 'invalid'; readonly message: string };

/** Jetbase's exact message for an invalid versioned file name. */
export function invalidFilenameMessage(name: string): string {
  return (
    `Invalid migration filename format: ${name}.\n` +
    "Filenames must start with 'V', followed by the version number, two underscores '__', a description, and end with '.sql'.\n" +
    "V<version_number>__<my_description>.sql. Examples: 'V1_2_0__add_new_table.sql' or 'V1.2.0__add_new_table.sql'\n"
  );
}

export function tooLongMessage(name: string): string {
  return `Migration filename too long: ${name}.\nFilename is currently ${name.length} characters.\nFilenames must not exceed ${MAX_FILENAME_LENGTH} characters.`;
}

/** The raw description: between the first `__` and the first `.sql` after it, stripped of Python whitespace. */
export function rawDescription(name: string): string {
  const start = name.indexOf('__');
  if (start < 0) return '';
  const end = name.indexOf('.sql', start + 2);
  return pyStrip(name.slice(start + 2, end < 0 ? name.length : end));
}

/** Stored/printed description: underscores become spaces. */
export function formatDescription(raw: string): string {
  return raw.replaceAll('_', ' ');
}

export function parseMigrationName(name: string): ParsedName {
  if (name.length > MAX_FILENAME_LENGTH)
    return { ok: false, reason: 'too-long', message: tooLongMessage(name) };
  const invalid = { ok: false, reason: 'invalid', message: invalidFilenameMessage(name) } as const;
  if (!name.endsWith('.sql')) return invalid;
  if (!(name.startsWith('V') || name.startsWith('RA__') || name.startsWith('ROC__'))) return invalid;
  if (!name.includes('__')) return invalid;
  const raw = rawDescription(name);
  if (raw === '') return invalid;
  const description = formatDescription(raw);
  if (name.startsWith('RA__')) return { ok: true, type: 'RUNS_ALWAYS', version: null, description };
  if (name.startsWith('ROC__')) return { ok: true, type: 'RUNS_ON_CHANGE', version: null, description };
  const rawVersion = name.slice(1, name.indexOf('__'));
  if (!isValidVersion(rawVersion)) return invalid;
  return { ok: true, type: 'VERSIONED', rawVersion, version: versionKey(rawVersion), description };
}
