/** `-- jetbase-lint: allow rule-a, rule-b`: above a statement for that statement, in the header for the file. */
import { headerCommentLines } from '../engine/directives.js';
import { pyStrip, splitLines } from '../engine/pystr.js';

const ALLOW = /^--\s*jetbase-lint:\s*allow\s+(.+)$/i;

function allowedIn(comment: string): string[] {
  const match = ALLOW.exec(comment);
  if (!match) return [];
  return match[1]!
    .split(',')
    .map((id) => id.trim().toLowerCase())
    .filter((id) => id !== '');
}

export interface Allowances {
  readonly file: ReadonlySet<string>;
  /** Rules allowed for the statement starting at this 1-based line. */
  forStatement(line: number): ReadonlySet<string>;
}

export function allowancesOf(text: string): Allowances {
  const file = new Set(headerCommentLines(text).flatMap((header) => allowedIn(header.text)));
  const lines = splitLines(text);
  return {
    file,
    forStatement(line) {
      const allowed = new Set<string>();
      // The comment lines right above the statement (blank lines end the block).
      for (let i = line - 2; i >= 0; i--) {
        const stripped = pyStrip(lines[i]!);
        if (!stripped.startsWith('--')) break;
        for (const id of allowedIn(stripped)) allowed.add(id);
      }
      return allowed;
    },
  };
}
