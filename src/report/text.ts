/**
 * Plain-text renderings of engine results, shared by the CLI and the action's logs. Pure: no
 * colour, no I/O. Texts that Python Jetbase prints are reproduced exactly (docs/format.md, "Dry run") so that
 * scripts and habits built on the Python CLI keep working.
 */
import type { HistoryRow } from '../engine/history.js';
import type { MigrationType } from '../engine/names.js';

export const RULE = '-'.repeat(40);

export interface PreviewFile {
  readonly filename: string;
  readonly statements: readonly string[];
}

/** Jetbase's dry-run output (docs/format.md, "Dry run"), byte for byte, ending with a newline. */
export function dryRunText(files: readonly PreviewFile[]): string {
  let text = `\nJETBASE - Dry Run Mode\nNo SQL will be executed. This is a preview of what would happen.\n${RULE}\n\n\n`;
  for (const file of files) {
    const n = file.statements.length;
    text += `SQL Preview for ${file.filename} (${n} statement${n === 1 ? '' : 's'})\n\n`;
    for (const statement of file.statements) text += `${statement}\n\n`;
    text += `${RULE}\n\n`;
  }
  return text;
}

/** The Version column: the version for VERSIONED rows, else the type label, as Jetbase shows it. */
export function versionLabel(version: string | null, type: MigrationType): string {
  if (type === 'VERSIONED') return version ?? '';
  return type;
}

/**
 * `applied_at` as Jetbase's history shows it: `YYYY-MM-DD HH:MM:SS.ff`, the first 22 characters
 * of the microsecond form, as Jetbase's history shows it; a value without a fraction gets `.00`, NULL is empty.
 */
export function appliedAtText(value: string | null): string {
  if (value === null) return '';
  const normalised = value.replace('T', ' ');
  const match = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)(?:\.(\d+))?/.exec(normalised);
  if (!match) return normalised.slice(0, 22);
  const fraction = (match[2] ?? '').padEnd(6, '0');
  return `${match[1]}.${fraction}`.slice(0, 22);
}

export interface TableSpec {
  readonly title?: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** Visible width: code points (good enough for migration names; no East Asian width tables). */
function width(text: string): number {
  return [...text].length;
}

function pad(text: string, size: number): string {
  return text + ' '.repeat(Math.max(0, size - width(text)));
}

/** A box-drawn table in the style Jetbase's Rich tables use; empty tables keep header and borders. */
export function renderTable(table: TableSpec): string {
  const widths = table.columns.map((column, i) =>
    Math.max(width(column), ...table.rows.map((row) => width((row[i] ?? '').replace(/\n/g, ' ')))),
  );
  const line = (left: string, fill: string, join: string, right: string) =>
    left + widths.map((w) => fill.repeat(w + 2)).join(join) + right;
  const cells = (values: readonly string[], edge: string) =>
    edge + widths.map((w, i) => ` ${pad((values[i] ?? '').replace(/\n/g, ' '), w)} `).join(edge) + edge;
  const lines: string[] = [];
  const total = widths.reduce((sum, w) => sum + w + 3, 1);
  if (table.title !== undefined) {
    const left = Math.max(0, Math.floor((total - width(table.title)) / 2));
    lines.push(`${' '.repeat(left)}${table.title}`);
  }
  lines.push(line('┏', '━', '┳', '┓'));
  lines.push(cells(table.columns, '┃'));
  lines.push(line('┡', '━', '╇', '┩'));
  for (const row of table.rows) lines.push(cells(row, '│'));
  lines.push(line('└', '─', '┴', '┘'));
  return `${lines.join('\n')}\n`;
}

/** `history`: the table, or Jetbase's notice when there is nothing to show. */
export function historyText(tableExists: boolean, rows: readonly HistoryRow[]): string {
  if (!tableExists) return 'No migrations have been applied.\n';
  if (rows.length === 0) return 'No migrations have been applied yet.\n';
  return renderTable({
    title: 'Migration History',
    columns: ['Version', 'Order Executed', 'Description', 'Applied At'],
    rows: rows.map((row) => [
      versionLabel(row.version, row.migrationType),
      String(row.orderExecuted),
      row.description,
      appliedAtText(row.appliedAt),
    ]),
  });
}

export interface StatusRow {
  readonly version: string;
  readonly description: string;
}

/** `status`: the two tables, applied then pending. */
export function statusText(applied: readonly StatusRow[], pending: readonly StatusRow[]): string {
  const table = (title: string, rows: readonly StatusRow[]) =>
    renderTable({
      title,
      columns: ['Version', 'Description'],
      rows: rows.map((row) => [row.version, row.description]),
    });
  return `${table('Migrations Applied', applied)}\n${table('Migrations Pending', pending)}`;
}

/** `→ item` lines (U+2192), as Jetbase lists versions and files. */
export function arrowList(items: readonly string[]): string {
  return items.map((item) => `→ ${item}`).join('\n');
}

/** `validate-checksums` audit text, as Jetbase words it. */
export function checksumAuditText(versions: readonly string[]): string {
  return `JETBASE - Checksum Audit Report\n${RULE}\nChanges detected in the following migration versions:\n${arrowList(versions)}\n`;
}

/** `validate-checksums --fix` text, as Jetbase words it. */
export function checksumRepairText(versions: readonly string[]): string {
  return `${versions.map((v) => `Repaired checksum for version: ${v}`).join('\n')}\nSuccessfully repaired checksums\n`;
}

export const CHECKSUMS_VALID = 'All migration checksums are valid - no altered upgrade statements detected.';
export const NOTHING_TO_REPAIR = 'No migrations have been applied; nothing to repair.';

/** `validate-files` audit text, as Jetbase words it. */
export function missingFilesAuditText(versions: readonly string[], repeatables: readonly string[]): string {
  if (versions.length === 0 && repeatables.length === 0) return 'All migrations have corresponding files.\n';
  return `The following migration versions are missing their corresponding files:\n${arrowList([...versions, ...repeatables])}\n`;
}

/** `validate-files --fix` text, as Jetbase words it. */
export function missingFilesFixText(versions: readonly string[], repeatables: readonly string[]): string {
  if (versions.length === 0 && repeatables.length === 0) return 'No missing migration files.\n';
  let text = '';
  if (versions.length > 0)
    text += `Stopped tracking the following missing versions:\n${arrowList(versions)}\n`;
  if (repeatables.length > 0)
    text += `Removed the following missing repeatable migrations from the database:\n${arrowList(repeatables)}\n`;
  return text;
}

/** `12 ms`, `1.25 s`, `2 min 5 s`. */
export function durationText(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
