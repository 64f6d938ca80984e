import {
  appliedAtText,
  checksumAuditText,
  checksumRepairText,
  dryRunText,
  historyText,
  missingFilesAuditText,
  missingFilesFixText,
  renderTable,
  versionLabel,
} from '../../src/report/text.js';

const HEADER =
  '\nJETBASE - Dry Run Mode\nNo SQL will be executed. This is a preview of what would happen.\n----------------------------------------\n\n\n';
const RULE = '----------------------------------------';

describe('dryRunText: Jetbase 0.18.1 dry-run output', () => {
  it('prints only the header block when nothing would run', () => {
    expect(dryRunText([])).toBe(HEADER);
  });

  it('says "statement" for exactly one and "statements" otherwise, (0 statements) included', () => {
    const text = dryRunText([
      { filename: 'V1__a.sql', statements: [] },
      { filename: 'V2__b.sql', statements: ['SELECT 1'] },
      { filename: 'V3__c.sql', statements: ['SELECT 1', 'SELECT 2', 'SELECT 3', 'SELECT 4'] },
    ]);
    expect(text).toContain('SQL Preview for V1__a.sql (0 statements)\n');
    expect(text).toContain('SQL Preview for V2__b.sql (1 statement)\n');
    expect(text).toContain('SQL Preview for V3__c.sql (4 statements)\n');
  });

  it('matches the exact bytes Jetbase prints, multi-line preview statements included', () => {
    const text = dryRunText([
      {
        filename: 'V1__m1.sql',
        statements: ['CREATE TABLE users (\n    id SERIAL PRIMARY KEY,\n    name VARCHAR(255) NOT NULL\n)'],
      },
      {
        filename: 'RA__ra.sql',
        statements: ["INSERT INTO users (name) VALUES ('a')", "INSERT INTO users (name) VALUES ('b')"],
      },
    ]);
    expect(text).toBe(
      HEADER +
        'SQL Preview for V1__m1.sql (1 statement)\n\n' +
        'CREATE TABLE users (\n    id SERIAL PRIMARY KEY,\n    name VARCHAR(255) NOT NULL\n)\n\n' +
        `${RULE}\n\n` +
        'SQL Preview for RA__ra.sql (2 statements)\n\n' +
        "INSERT INTO users (name) VALUES ('a')\n\n" +
        "INSERT INTO users (name) VALUES ('b')\n\n" +
        `${RULE}\n\n`,
    );
  });
});

describe('labels and timestamps as Jetbase shows them', () => {
  it('shows the version of a VERSIONED row and the type of a repeatable', () => {
    expect(versionLabel('1.2.3', 'VERSIONED')).toBe('1.2.3');
    expect(versionLabel(null, 'RUNS_ALWAYS')).toBe('RUNS_ALWAYS');
    expect(versionLabel(null, 'RUNS_ON_CHANGE')).toBe('RUNS_ON_CHANGE');
  });

  it.each([
    ['2024-06-15 14:30:45.123456', '2024-06-15 14:30:45.12'],
    ['2024-06-15 14:30:45.123', '2024-06-15 14:30:45.12'],
    ['2024-06-15 14:30:45.1', '2024-06-15 14:30:45.10'],
    ['2024-06-15 14:30:45', '2024-06-15 14:30:45.00'],
    ['2024-06-15T14:30:45.123456', '2024-06-15 14:30:45.12'],
  ])('applied_at %s → %s', (input, expected) => {
    expect(appliedAtText(input)).toBe(expected);
  });

  it('shows NULL as empty', () => {
    expect(appliedAtText(null)).toBe('');
  });
});

describe('tables', () => {
  it('aligns every column to its widest cell and keeps borders when empty', () => {
    const text = renderTable({
      title: 'T',
      columns: ['Version', 'Description'],
      rows: [['21', 'a much longer description']],
    });
    const lines = text.trimEnd().split('\n');
    const widths = new Set(lines.slice(1).map((line) => [...line].length));
    expect(widths.size).toBe(1);
    expect(text).toContain('│ 21      │ a much longer description │');
    const empty = renderTable({ columns: ['Version', 'Description'], rows: [] });
    expect(empty).toBe(
      '┏━━━━━━━━━┳━━━━━━━━━━━━━┓\n┃ Version ┃ Description ┃\n┡━━━━━━━━━╇━━━━━━━━━━━━━┩\n└─────────┴─────────────┘\n',
    );
  });

  it('history: Jetbase notices without a table', () => {
    expect(historyText(false, [])).toBe('No migrations have been applied.\n');
    expect(historyText(true, [])).toBe('No migrations have been applied yet.\n');
    const text = historyText(true, [
      {
        orderExecuted: 1,
        version: '1',
        description: 'create users',
        filename: 'V1__create_users.sql',
        migrationType: 'VERSIONED',
        appliedAt: '2026-11-25 12:27:27.898',
        checksum: 'x',
      },
    ]);
    expect(text).toContain('Migration History');
    expect(text).toMatch(/┃ Version ┃ Order Executed ┃ Description\s+┃ Applied At\s+┃/);
    expect(text).toContain('│ 1       │ 1              │ create users │ 2026-11-25 12:27:27.89 │');
  });
});

describe('validate-checksums and validate-files texts', () => {
  it('audit report', () => {
    expect(checksumAuditText(['2', '3'])).toBe(
      'JETBASE - Checksum Audit Report\n----------------------------------------\nChanges detected in the following migration versions:\n→ 2\n→ 3\n',
    );
  });

  it('repair report', () => {
    expect(checksumRepairText(['2', '3'])).toBe(
      'Repaired checksum for version: 2\nRepaired checksum for version: 3\nSuccessfully repaired checksums\n',
    );
  });

  it('missing files', () => {
    expect(missingFilesAuditText([], [])).toBe('All migrations have corresponding files.\n');
    expect(missingFilesAuditText(['2'], ['RA__x.sql'])).toBe(
      'The following migration versions are missing their corresponding files:\n→ 2\n→ RA__x.sql\n',
    );
    expect(missingFilesFixText([], [])).toBe('No missing migration files.\n');
    expect(missingFilesFixText(['2'], ['RA__x.sql'])).toBe(
      'Stopped tracking the following missing versions:\n→ 2\nRemoved the following missing repeatable migrations from the database:\n→ RA__x.sql\n',
    );
  });
});
