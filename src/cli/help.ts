/** `--help` texts: the commands and flags of Python Jetbase plus this tool's global flags. */
import type { CommandName } from './args.js';

const GLOBAL_FLAGS = `Global options (every command):
  --dir PATH                The jetbase directory (holds migrations/). Default: the current
                            directory when it is named 'jetbase' and has migrations/, else ./jetbase
  --url URL                 Database URL (highest precedence; else JETBASE_SQLALCHEMY_URL,
                            env.py, jetbase.toml, pyproject.toml [tool.jetbase])
  --postgres-schema NAME    PostgreSQL: run everything with search_path set to this schema
  --lock-timeout SECONDS    Wait up to this long for the migration lock (default 0: fail at once);
                            a lock whose holder is gone (killed) is then taken over
  --connect-timeout SECONDS Retry the first connection this long while the database is starting
                            (default 0: one attempt). Never retries bad passwords or URLs.
  --json                    Print the result as one JSON document on stdout
  --no-color                No colours (also NO_COLOR=1)
  -h, --help                Show help`;

const SUMMARIES: Readonly<Record<CommandName, { usage: string; summary: string; options?: string }>> = {
  init: {
    usage: 'init',
    summary:
      'Create jetbase/ with migrations/ and env.py (an existing env.py is kept). With --dir PATH: create PATH/jetbase.',
  },
  new: {
    usage: 'new DESCRIPTION [-v VERSION]',
    summary:
      'Create migrations/V<version>__<description>.sql (version defaults to the local time YYYYMMDD.HHMMSS).',
    options: '  -v, --version VERSION     The migration version, e.g. 1, 1.5, 1_5',
  },
  upgrade: {
    usage:
      'upgrade [-c N | -t VERSION] [-d] [--skip-validation] [--skip-checksum-validation] [--skip-file-validation]',
    summary: 'Apply pending migrations (versioned, then RA__, then changed ROC__ files).',
    options: `  -c, --count N             Apply at most N pending versioned migrations
  -t, --to-version VERSION  Apply pending migrations up to and including VERSION
  -d, --dry-run             Show the SQL that would run; change nothing
  --skip-validation         Skip checksum and file validation
  --skip-checksum-validation  Skip the check that applied files are unchanged
  --skip-file-validation    Skip the missing-file and out-of-order checks`,
  },
  rollback: {
    usage: 'rollback [-c N | -t VERSION] [-d]',
    summary: 'Roll back applied migrations, newest first (default: the last one).',
    options: `  -c, --count N             Roll back the last N applied migrations
  -t, --to-version VERSION  Roll back everything applied after VERSION (VERSION stays applied)
  -d, --dry-run             Show the rollback SQL that would run; change nothing`,
  },
  status: {
    usage: 'status',
    summary: 'Show applied and pending migrations, and any problems (read-only).',
    options: '  --skip-validation, --skip-checksum-validation, --skip-file-validation',
  },
  validate: {
    usage: 'validate',
    summary: 'Check files against the history without changing anything; exit 1 on any problem (for CI).',
    options: '  --skip-validation, --skip-checksum-validation, --skip-file-validation',
  },
  history: { usage: 'history', summary: 'Show every applied migration.' },
  current: { usage: 'current', summary: 'Show the latest applied version.' },
  'lock-status': { usage: 'lock-status', summary: 'Show whether the migration lock is held.' },
  unlock: {
    usage: 'unlock',
    summary: 'Force-release the migration lock (only when no migration is running).',
  },
  'validate-checksums': {
    usage: 'validate-checksums [-f]',
    summary: 'List applied migrations whose files changed.',
    options: "  -f, --fix                 Store the files' current checksums instead",
  },
  'validate-files': {
    usage: 'validate-files [-f]',
    summary: 'List applied migrations whose files are missing.',
    options: '  -f, --fix                 Remove their rows from the history instead',
  },
  'fix-checksums': { usage: 'fix-checksums', summary: 'Same as validate-checksums --fix.' },
  'fix-files': { usage: 'fix-files', summary: 'Same as validate-files --fix.' },
  fix: { usage: 'fix', summary: 'fix-files, then fix-checksums.' },
  lint: {
    usage: 'lint [--dialect NAME]',
    summary:
      'Review the SQL of pending migrations for risks (destructive, locking, not transactional, syntax); exit 1 on an error-level finding. Works without a database.',
    options:
      '  --dialect NAME            postgresql, mysql, sqlite, snowflake or databricks (default: from the URL)',
  },
  verify: {
    usage: 'verify --url URL [--json]',
    summary:
      'On an EMPTY throw-away database: upgrade everything, roll back every versioned migration, upgrade again.',
    options:
      '  --url URL                 The disposable database (refused when it has a table or view, or is the target)',
  },
};

export function globalHelp(): string {
  const width = Math.max(...Object.keys(SUMMARIES).map((name) => name.length));
  const commands = Object.entries(SUMMARIES)
    .map(([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`)
    .join('\n');
  return `Usage: jetbase [--version] COMMAND [OPTIONS]

Jetbase SQL migrations, compatible with the Python Jetbase CLI's files and tables.

Commands:
${commands}

${GLOBAL_FLAGS}

Run 'jetbase COMMAND --help' for a command's options.
`;
}

export function commandHelp(command: CommandName): string {
  const { usage, summary, options } = SUMMARIES[command];
  return `Usage: jetbase ${usage} [GLOBAL OPTIONS]

${summary}
${options === undefined ? '' : `\nOptions:\n${options}\n`}
${GLOBAL_FLAGS}
`;
}
