/** fast-check generators of migration files that stress the line-based parser. */
import fc from 'fast-check';

const oddWhitespace = fc.constantFrom(
  ' ',
  '\t',
  '\u000b',
  '\u000c',
  '\u001c',
  '\u001f',
  '\u0085',
  '\u00a0',
  '\u2003',
  '\u3000',
  '\u200b',
  '\ufeff',
);
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

export const sqlFileText = fc
  .tuple(fc.boolean(), fc.array(line, { maxLength: 25 }), fc.constantFrom('\n', '\r\n', '\r'), fc.boolean())
  .map(([bom, lines, eol, finalEol]) => `${bom ? '\ufeff' : ''}${lines.join(eol)}${finalEol ? eol : ''}`);

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
