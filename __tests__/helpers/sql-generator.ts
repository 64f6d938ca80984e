/** fast-check generators of migration files that stress the line-based parser. */
import fc from 'fast-check';

/**
 * Characters on which Python and JavaScript disagree, or which look like line breaks: Python's
 * whitespace (U+001C–U+001F, U+0085 are not JavaScript's `\s`), U+FEFF (JavaScript's `\s`, not
 * Python's), U+2028/U+2029 (inside a line for Python's file reading, refused by JavaScript's `.`),
 * U+200B (whitespace to neither).
 */
export const textClassChars = [
  ' ',
  '\t',
  '\u000b',
  '\u000c',
  '\u001c',
  '\u001d',
  '\u001e',
  '\u001f',
  '\u0085',
  '\u00a0',
  '\u1680',
  '\u2003',
  '\u200a',
  '\u2028',
  '\u2029',
  '\u202f',
  '\u3000',
  '\u200b',
  '\ufeff',
] as const;
const oddWhitespace = fc.constantFrom(...textClassChars);

/** Letters Python's re.IGNORECASE equates with ASCII ones (ı, İ → i; ſ → s; K → k); JavaScript's `/i` does not. */
const pythonCaseVariants: Readonly<Record<string, readonly string[]>> = {
  i: ['i', 'I', '\u0130', '\u0131'],
  s: ['s', 'S', '\u017f'],
  k: ['k', 'K', '\u212a'],
};

/** `word` with each letter in lower, upper or a Python-only case variant. */
function caseVariant(word: string): fc.Arbitrary<string> {
  return fc
    .tuple(
      ...Array.from(word, (ch) => fc.constantFrom(...(pythonCaseVariants[ch] ?? [ch, ch.toUpperCase()]))),
    )
    .map((chars) => chars.join(''));
}

const spaces = fc.array(oddWhitespace, { maxLength: 2 }).map((w) => w.join(''));

/** A delimiter directive with odd whitespace and case at every position, and odd characters in its value. */
const directiveLine = fc
  .tuple(
    spaces,
    spaces,
    caseVariant('jetbase'),
    spaces,
    caseVariant('delimiter'),
    fc.constantFrom('~', '$$', '//', '|', ';'),
    fc.constantFrom('', ...textClassChars),
    spaces,
  )
  .map(
    ([lead, a, jetbase, b, delimiter, value, inner, trail]) =>
      `${lead}--${a}${jetbase}:${b}${delimiter}=${value}${inner}${inner === '' ? '' : value}${trail}`,
  );

/** A rollback marker (or near miss) with odd whitespace and case around and inside it. */
const rollbackLine = fc
  .tuple(
    spaces,
    fc.constantFrom('--', '---', '-- '),
    spaces,
    caseVariant('rollback'),
    spaces,
    fc.constantFrom('', ';'),
  )
  .map(([lead, dashes, a, word, b, end]) => `${lead}${dashes}${a}${word}${b}${end}`);

const delimiters = fc.constantFrom(';', '~', '$$', '//', '|', ';;', 'GO');
const fragments = fc.constantFrom(
  'SELECT 1',
  "INSERT INTO t VALUES ('a;b')",
  "'x;",
  'CREATE TABLE t (id INT)',
  'BEGIN',
  'END',
  'RETURN NEW',
  '$$ LANGUAGE plpgsql',
  '/* block */',
  'naïve ünïcödé 🎉',
  "SELECT '\u2028\u0085\u001c' AS odd",
  'x'.repeat(500),
);

const line = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        fc.array(oddWhitespace, { maxLength: 2 }),
        fragments,
        fc.constantFrom('', ';', '~', '$$', ';;', '; -- note', '$'),
        fc.array(oddWhitespace, { maxLength: 2 }),
      )
      .map(([a, f, end, b]) => `${a.join('')}${f}${end}${b.join('')}`),
  },
  { weight: 1, arbitrary: directiveLine },
  { weight: 1, arbitrary: rollbackLine },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      '   ',
      '-- comment',
      '--',
      '  -- rollback',
      '--ROLLBACK',
      '-- rollback;',
      '---rollback',
      '-- jetbase: delimiter=~',
      '-- JETBASE: DELIMITER=$$',
      '--jetbase:delimiter= | ',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.tuple(delimiters, oddWhitespace).map(([d, w]) => `${w}-- jetbase: delimiter=${d}${w}`),
  },
);

/** A file; in about one of three the first line is a directive, the only place one takes effect. */
export const sqlFileText = fc
  .tuple(
    fc.boolean(),
    fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: directiveLine }),
    fc.array(line, { maxLength: 25 }),
    fc.constantFrom('\n', '\r\n', '\r'),
    fc.boolean(),
  )
  .map(
    ([bom, directive, lines, eol, finalEol]) =>
      `${bom ? '\ufeff' : ''}${[...(directive === null ? [] : [directive]), ...lines].join(eol)}${finalEol ? eol : ''}`,
  );

/** A line of 64 KiB to 1 MiB: one long statement, or long runs of whitespace and delimiters. */
const hugeLine = fc
  .tuple(
    fc.integer({ min: 64 << 10, max: 1 << 20 }),
    fc.constantFrom('x', ' ', ';', "'", '\u00a0', 'é', '-- '),
    fc.constantFrom('', ';', '~', ' '),
  )
  .map(
    ([length, unit, end]) => `INSERT INTO t VALUES ('${unit.repeat(Math.ceil(length / unit.length))}')${end}`,
  );

/** sqlFileText, with a huge line spliced in at a random place in about one file in 200. */
export const sqlFileTextWithHugeLines = fc
  .tuple(
    sqlFileText,
    fc.oneof(
      { weight: 199, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.tuple(hugeLine, fc.nat()) },
    ),
  )
  .map(([text, huge]) => {
    if (huge === null) return text;
    const [line, at] = huge;
    const lines = text.split('\n');
    lines.splice(at % (lines.length + 1), 0, line);
    return lines.join('\n');
  });
