/**
 * Python's string semantics where they differ from JavaScript's and where Jetbase applies them to
 * file text (docs/format.md, "Whitespace"). JavaScript's trim() and regex `\s` treat U+FEFF (the
 * BOM) as whitespace and U+001C–U+001F and U+0085 as not; Python does the opposite, and a different
 * strip means different statements and a different checksum than Python Jetbase's.
 */

/** The characters Python's `str.strip()` removes and Python's `re` matches with `\s` (they are one set). */
const PY_WHITESPACE_CODES: readonly number[] = [
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002,
  0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
];
const PY_WHITESPACE = new Set<number>(PY_WHITESPACE_CODES);

const unicodeEscape = (code: number): string => `\\u${code.toString(16).padStart(4, '0')}`;

/** Regex source for Python's `\s`, for patterns used without the `u` flag. */
export const PY_SPACE_CLASS = `[${PY_WHITESPACE_CODES.map(unicodeEscape).join('')}]`;

/**
 * Non-ASCII characters that Python's `re.IGNORECASE` equates with an ASCII letter (checked against
 * python3 over every code point): dotted and dotless I, long s, Kelvin sign. JavaScript's `/i`
 * matches none of them; `/iu` matches only the last two.
 */
const PY_IGNORECASE_EXTRA: Readonly<Record<string, readonly number[]>> = {
  i: [0x130, 0x131],
  k: [0x212a],
  s: [0x17f],
};

/** Regex source matching `literal` as Python's `re.IGNORECASE` does (letters become classes, the rest is escaped). */
export function pyIgnoreCaseSource(literal: string): string {
  return Array.from(literal, (char) => {
    const lower = char.toLowerCase();
    if (!/^[a-z]$/.test(lower)) return char.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
    const extra = (PY_IGNORECASE_EXTRA[lower] ?? []).map(unicodeEscape).join('');
    return `[${lower}${lower.toUpperCase()}${extra}]`;
  }).join('');
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

/**
 * Python `s.rstrip(chars)`: strips trailing characters that belong to the *set* `chars`, not the
 * suffix, so with the delimiter `$$` every trailing `$` goes (docs/format.md, "Splitting a file into statements").
 */
export function pyRstripChars(s: string, chars: string): string {
  const set = new Set(Array.from(chars));
  const units = Array.from(s);
  let end = units.length;
  while (end > 0 && set.has(units[end - 1]!)) end--;
  return end === units.length ? s : units.slice(0, end).join('');
}

/**
 * Lines as Python's text-mode file reading yields them: `\n`, `\r\n` and a lone `\r` end a line, and
 * nothing else does (U+2028, U+0085, U+001C… stay inside the line, unlike `str.splitlines()`); the
 * last line need not end with a newline.
 */
export function splitLines(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
