/**
 * Python's str.strip() whitespace set (contract §3.6). JavaScript's trim() differs: it strips the
 * BOM (U+FEFF) and keeps U+001C–U+001F and U+0085, which would change checksums (vector TV8).
 */
const PY_WHITESPACE = new Set<number>([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002,
  0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

export function isPyWhitespace(char: string): boolean {
  return PY_WHITESPACE.has(char.charCodeAt(0));
}

/** Python `s.strip()`; every character in the set is one UTF-16 unit, so indexing by unit is exact. */
export function pyStrip(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && PY_WHITESPACE.has(s.charCodeAt(start))) start++;
  while (end > start && PY_WHITESPACE.has(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** Python `s.rstrip()`. */
export function pyRstrip(s: string): string {
  let end = s.length;
  while (end > 0 && PY_WHITESPACE.has(s.charCodeAt(end - 1))) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** Python `s.rstrip(chars)`: strips trailing characters that belong to the *set* `chars` (contract §3.3, TV4). */
export function pyRstripChars(s: string, chars: string): string {
  const set = new Set(Array.from(chars));
  const units = Array.from(s);
  let end = units.length;
  while (end > 0 && set.has(units[end - 1]!)) end--;
  return end === units.length ? s : units.slice(0, end).join('');
}

/**
 * Python's universal newlines: `\r\n` and lone `\r` end a line; the last line need not end with one.
 * Equivalent to `text.splitlines()` for the characters file reading turns into `\n`.
 */
export function splitLines(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
