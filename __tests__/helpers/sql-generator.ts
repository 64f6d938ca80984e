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
