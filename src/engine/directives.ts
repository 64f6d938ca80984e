/**
 * Comment-line directives this project reads in a file's header (the leading blank and `--` lines,
 * the same lines the delimiter directive may use). Comment lines never reach the checksum, so adding
 * one to an applied file is not drift. Python Jetbase ignores these lines.
 */
import { pyStrip, splitLines } from './pystr.js';

/** `-- jetbase: transaction=off`: run the file's statements one by one in autocommit. */
const TRANSACTION_OFF = /^--\s*jetbase:\s*transaction\s*=\s*off\s*$/i;

export interface HeaderLine {
  /** 1-based line number. */
  readonly line: number;
  /** The line stripped as Jetbase strips it. */
  readonly text: string;
}

/** The comment lines before the first line that is neither blank nor a `--` comment. */
export function headerCommentLines(text: string): HeaderLine[] {
  const header: HeaderLine[] = [];
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const stripped = pyStrip(lines[i]!);
    if (stripped === '') continue;
    if (!stripped.startsWith('--')) break;
    header.push({ line: i + 1, text: stripped });
  }
  return header;
}

/** Whether the file's header asks for `transaction=off`. */
export function transactionOffIn(text: string): boolean {
  return headerCommentLines(text).some((header) => TRANSACTION_OFF.test(header.text));
}
