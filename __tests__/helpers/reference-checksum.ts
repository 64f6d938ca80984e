/**
 * A straightforward line-by-line port of the contract's §4.2 Python reference, kept deliberately
 * independent of src/engine (its own whitespace handling via a regex of Python's set), so the
 * property tests compare two implementations rather than one with itself.
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

function delimiterOf(lines: string[]): string {
  for (const raw of lines) {
    const line = strip(raw);
    const m = /^--\s*jetbase:\s*delimiter=(.+)$/i.exec(line);
    if (m) return strip(m[1]!);
    if (line && !line.startsWith('--')) break;
  }
  return ';';
}

export function referenceUpgradeStatements(text: string): string[] {
  text = text.split('\r\n').join('\n').split('\r').join('\n');
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const d = delimiterOf(lines);
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

/** The contract's §4.2 Python, verbatim, for checking against the real thing when python3 exists. */
export const PYTHON_REFERENCE = `
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
texts = json.load(sys.stdin)
json.dump([checksum(t) for t in texts], sys.stdout)
`;
