/**
 * A straightforward line-by-line port of Jetbase's Python checksum code (docs/format.md, "Checksums"),
 * kept deliberately independent of src/engine (its own whitespace handling via a regex of Python's
 * set, its own hand-written directive matcher), so the property tests compare two implementations
 * rather than one with itself.
 */
import { createHash } from 'node:crypto';

const WS =
  '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const leading = new RegExp(`^[${WS}]+`);
const oneSpace = new RegExp(`^[${WS}]$`);

/** Trailing whitespace by a backward scan: a `[…]+$` regex is quadratic on a long run of spaces. */
function strip(s: string): string {
  const t = s.replace(leading, '');
  let end = t.length;
  while (end > 0 && oneSpace.test(t[end - 1]!)) end--;
  return t.slice(0, end);
}

function rstripSet(s: string, chars: string): string {
  const out = [...s];
  let end = out.length;
  while (end > 0 && chars.includes(out[end - 1]!)) end--;
  return out.slice(0, end).join('');
}

/** Does `c` match the ASCII `letter` under Python's re.IGNORECASE? (Python also folds ı, İ to i, ſ to s, K to k.) */
function pyCaseEquals(c: string, letter: string): boolean {
  const extra: Record<string, string> = { i: '\u0130\u0131', s: '\u017f', k: '\u212a' };
  return c === letter || c === letter.toUpperCase() || (extra[letter] ?? '').includes(c);
}

/** Python's `re.match(r"^--\s*jetbase:\s*delimiter=(.+)$", line, re.I)`, by hand: the captured text or null. */
function directiveValue(line: string): string | null {
  let at = 0;
  const skipSpaces = (): void => {
    while (at < line.length && oneSpace.test(line[at]!)) at++;
  };
  const literal = (word: string): boolean => {
    for (const ch of word) {
      if (at >= line.length || !pyCaseEquals(line[at]!, ch)) return false;
      at++;
    }
    return true;
  };
  if (!line.startsWith('--')) return null;
  at = 2;
  skipSpaces();
  if (!literal('jetbase:')) return null;
  skipSpaces();
  if (!literal('delimiter=')) return null;
  const rest = line.slice(at);
  // Python's `.` is anything but `\n`; `$` may also sit before one final `\n`.
  const value = rest.endsWith('\n') ? rest.slice(0, -1) : rest;
  return value === '' || value.includes('\n') ? null : value;
}

export function referenceDelimiterOf(lines: string[]): string {
  for (const raw of lines) {
    const line = strip(raw);
    const value = directiveValue(line);
    if (value !== null) return strip(value);
    if (line && !line.startsWith('--')) break;
  }
  return ';';
}

export function referenceUpgradeStatements(text: string): string[] {
  text = text.split('\r\n').join('\n').split('\r').join('\n');
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const d = referenceDelimiterOf(lines);
  const out: string[] = [];
  let cur: string[] = [];
  for (const raw of lines) {
    const line = strip(raw);
    if (line.startsWith('--') && strip(line.slice(2)).toLowerCase() === 'rollback') break;
    if (!line || line.startsWith('--')) continue;
    cur.push(line);
    if (line.endsWith(d)) {
      const s = strip(rstripSet(cur.join(' '), d));
      if (s) out.push(s);
      cur = [];
    }
  }
  return out;
}

export function referenceChecksum(text: string): string {
  return createHash('sha256').update(referenceUpgradeStatements(text).join('\n'), 'utf8').digest('hex');
}

/**
 * Jetbase's checksum code as Python (the documented reference, verbatim), for checking against the
 * real thing when python3 exists. Defines delimiter_of, upgrade_statements and checksum.
 */
export const PYTHON_REFERENCE_FUNCTIONS = `
import hashlib, re, json, sys
def delimiter_of(lines):
    for raw in lines:
        line = raw.strip()
        m = re.match(r"^--\\s*jetbase:\\s*delimiter=(.+)$", line, re.I)
        if m: return m.group(1).strip()
        if line and not line.startswith("--"): break
    return ";"
def upgrade_statements(text):
    text = text.replace("\\r\\n", "\\n").replace("\\r", "\\n")
    lines = text.split("\\n")
    if lines and lines[-1] == "": lines.pop()
    d = delimiter_of(lines); out, cur = [], []
    for raw in lines:
        line = raw.strip()
        if line.startswith("--") and line[2:].strip().lower() == "rollback": break
        if not line or line.startswith("--"): continue
        cur.append(line)
        if line.endswith(d):
            s = " ".join(cur).rstrip(d).strip()
            if s: out.append(s)
            cur = []
    return out
def checksum(text):
    return hashlib.sha256("\\n".join(upgrade_statements(text)).encode("utf-8")).hexdigest()
`;

/** A python3 program: reads a JSON list of file texts on stdin, writes the JSON list of their checksums. */
export const PYTHON_REFERENCE = `${PYTHON_REFERENCE_FUNCTIONS}
texts = json.load(sys.stdin)
json.dump([checksum(t) for t in texts], sys.stdout)
`;
