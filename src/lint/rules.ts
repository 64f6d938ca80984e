/** The rules: default severity, why each hurts and the safer way (README.md, "Lint"). */
import type { LintSeverity, RuleId } from './types.js';

export interface Rule {
  readonly severity: LintSeverity;
  readonly why: string;
  readonly safer: string;
}

const TRANSACTION_OFF_HINT = 'run it in its own file with `-- jetbase: transaction=off` in the header';

export const RULES: Readonly<Record<RuleId, Rule>> = {
  'drop-table': {
    severity: 'error',
    why: 'The table and its data are gone; application code still reading it fails.',
    safer:
      'Stop using the table first, keep a backup, drop it in a later release; allow the rule on the statement when that is done.',
  },
  'drop-column': {
    severity: 'error',
    why: 'The column and its data are gone; running application code that selects it fails.',
    safer: 'Deploy code that no longer uses the column first, then drop it in a later migration.',
  },
  'drop-schema': {
    severity: 'error',
    why: 'Every object in the schema or database and all their data are gone.',
    safer:
      'Drop the objects one by one after a backup, or allow the rule on the statement when it is intended.',
  },
  truncate: {
    severity: 'error',
    why: 'Every row of the table is deleted.',
    safer:
      'Delete the rows you mean with a WHERE clause, or allow the rule on the statement when it is intended.',
  },
  'delete-without-where': {
    severity: 'error',
    why: 'A DELETE without WHERE deletes every row of the table.',
    safer: 'Add a WHERE clause naming the rows to delete.',
  },
  'update-without-where': {
    severity: 'error',
    why: 'An UPDATE without WHERE rewrites every row of the table (and locks them all while it runs).',
    safer: 'Add a WHERE clause, and backfill large tables in batches.',
  },
  'create-or-replace-table': {
    severity: 'error',
    why: 'CREATE OR REPLACE TABLE replaces an existing table, and its data, with an empty one.',
    safer: 'Use CREATE TABLE IF NOT EXISTS, or ALTER TABLE to change an existing table.',
  },
  'create-index-not-concurrently': {
    severity: 'warning',
    why: 'CREATE INDEX blocks every write to the table until the index is built.',
    safer: `Use CREATE INDEX CONCURRENTLY and ${TRANSACTION_OFF_HINT}.`,
  },
  'set-not-null': {
    severity: 'warning',
    why: 'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock, blocking reads and writes.',
    safer:
      'Add `CHECK (col IS NOT NULL) NOT VALID`, VALIDATE it in a later migration, then SET NOT NULL (it uses the validated check).',
  },
  'constraint-not-valid': {
    severity: 'warning',
    why: 'Adding a foreign key or check constraint validates every row while holding a lock that blocks writes.',
    safer: 'Add the constraint NOT VALID, then VALIDATE CONSTRAINT in a later migration.',
  },
  'alter-column-type': {
    severity: 'warning',
    why: 'Changing a column type usually rewrites the table under a lock that blocks reads and writes.',
    safer: 'Add a new column, backfill it in batches, switch the code over, then drop the old column.',
  },
  'add-required-column': {
    severity: 'warning',
    why: 'A NOT NULL column without a default fails on a table that has rows, and running code inserting without it breaks.',
    safer:
      'Add the column nullable (or with a constant default), backfill it, then add the NOT NULL constraint.',
  },
  'add-column-volatile-default': {
    severity: 'warning',
    why: 'A volatile default (random(), clock_timestamp(), gen_random_uuid(), …) rewrites the whole table under an exclusive lock.',
    safer:
      'Add the column without a default, set the default afterwards, and backfill existing rows in batches.',
  },
  'rename-column': {
    severity: 'warning',
    why: 'Running application code still uses the old name and breaks until it is deployed again.',
    safer:
      'Add the new column, write to both, move the readers, then drop the old one (or rename behind a view).',
  },
  'rename-table': {
    severity: 'warning',
    why: 'Running application code still uses the old name and breaks until it is deployed again.',
    safer: 'Create the new table (or a view with the new name), move the code over, then drop the old name.',
  },
  'non-transactional-statement': {
    severity: 'error',
    why: 'This statement cannot run inside a transaction block, and Jetbase runs every file in one: the upgrade fails.',
    safer: `${TRANSACTION_OFF_HINT[0]!.toUpperCase()}${TRANSACTION_OFF_HINT.slice(1)}.`,
  },
  'implicit-commit': {
    severity: 'warning',
    why: 'DDL commits implicitly on this database, so a failure later in the file leaves the statements before it applied.',
    safer:
      'Put the DDL statements in their own files, one change per file, so a failed file can simply be fixed and rerun.',
  },
  'syntax-error': {
    severity: 'error',
    why: 'The database will reject the statement and the upgrade fails.',
    safer:
      'Fix the statement; remember that Jetbase joins a statement’s lines with spaces, so a `--` comment inside a statement hides the rest of it.',
  },
  'not-analyzed': {
    severity: 'info',
    why: 'The parser for this database cannot read the statement, so only the keyword checks ran on it.',
    safer: 'Review the statement by hand.',
  },
};
