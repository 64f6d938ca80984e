import { execFileSync, spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { checksumOfStatements } from '../../src/engine/checksum.js';
import { PY_SPACE_CLASS, pyIgnoreCaseSource, pyStrip, splitLines } from '../../src/engine/pystr.js';
import { delimiterOf, upgradeStatements } from '../../src/engine/sql-file.js';
import {
  PYTHON_REFERENCE,
  PYTHON_REFERENCE_FUNCTIONS,
  referenceChecksum,
  referenceDelimiterOf,
  referenceUpgradeStatements,
} from '../helpers/reference-checksum.js';
import { sqlFileText, textClassChars } from '../helpers/sql-generator.js';

const hasPython = spawnSync('python3', ['--version']).status === 0;

describe("checksum equals the Python reference's on random files", () => {
  test('against the TypeScript reference port (20,000 files)', () => {
    fc.assert(
      fc.property(sqlFileText, (text) => {
        expect(upgradeStatements(text)).toEqual(referenceUpgradeStatements(text));
        expect(checksumOfStatements(upgradeStatements(text))).toBe(referenceChecksum(text));
      }),
      { numRuns: 20000, seed: 20261125 },
    );
  });

  (hasPython ? test : test.skip)(
    'against the Python reference itself (2,000 files, one python3 process)',
    () => {
      const texts = fc.sample(sqlFileText, { numRuns: 2000, seed: 4242 });
      const python: string[] = JSON.parse(
        execFileSync('python3', ['-c', PYTHON_REFERENCE], {
          input: JSON.stringify(texts),
          maxBuffer: 64 << 20,
        }).toString(),
      );
      const ours = texts.map((t) => checksumOfStatements(upgradeStatements(t)));
      const disagreements = texts.filter((_, i) => ours[i] !== python[i]);
      expect(disagreements).toEqual([]);
    },
  );
});

/** Every way of putting `char` into `base`: before each character, and instead of each. */
function everyPosition(base: string, char: string): string[] {
  const out: string[] = [];
  for (let i = 0; i <= base.length; i++) out.push(base.slice(0, i) + char + base.slice(i));
  for (let i = 0; i < base.length; i++) out.push(base.slice(0, i) + char + base.slice(i + 1));
  return out;
}

function runPython<T>(program: string, input: unknown): T {
  return JSON.parse(
    execFileSync('python3', ['-c', program], {
      input: JSON.stringify(input),
      maxBuffer: 64 << 20,
    }).toString(),
  ) as T;
}

describe('file text is read with Python semantics, character by character', () => {
  (hasPython ? test : test.skip)(
    "our strip, \\s and case-insensitive letters match the same code points as Python's str.strip() and re",
    () => {
      const letters = 'jetbasdlimrock';
      const python = runPython<{ strip: number[]; space: number[]; letters: Record<string, number[]> }>(
        `
import json, re, sys
letters = json.load(sys.stdin)
cps = [c for c in range(0x110000) if not 0xD800 <= c < 0xE000]
space = re.compile(r"\\s")
json.dump({
  "strip": [c for c in cps if not chr(c).strip()],
  "space": [c for c in cps if space.fullmatch(chr(c))],
  # Nothing outside the BMP folds to an ASCII letter; the BMP keeps this test fast.
  "letters": {l: [c for c in cps if c < 0x10000 and re.fullmatch(l, chr(c), re.I)] for l in letters},
}, sys.stdout)
`,
        letters,
      );
      const codePoints: number[] = [];
      for (let c = 0; c < 0x110000; c++) if (c < 0xd800 || c >= 0xe000) codePoints.push(c);
      const space = new RegExp(`^${PY_SPACE_CLASS}$`);
      expect(codePoints.filter((c) => pyStrip(String.fromCodePoint(c)) === '')).toEqual(python.strip);
      expect(codePoints.filter((c) => space.test(String.fromCodePoint(c)))).toEqual(python.space);
      for (const letter of letters) {
        const pattern = new RegExp(`^${pyIgnoreCaseSource(letter)}$`);
        const bmp = codePoints.filter((c) => c < 0x10000);
        expect([letter, bmp.filter((c) => pattern.test(String.fromCodePoint(c)))]).toEqual([
          letter,
          python.letters[letter],
        ]);
      }
    },
  );

  (hasPython ? test : test.skip)(
    'an odd character anywhere in the directive, the rollback marker or a statement end gives the delimiter and statements Python gives',
    () => {
      const chars = [
        ...textClassChars,
        '\r',
        '\n',
        '\r\n',
        '\u0130',
        '\u0131',
        '\u017f',
        '\u212a',
        'x',
        'é',
        '🎉',
        '-',
        ';',
        '~',
      ];
      const texts: string[] = [];
      for (const char of chars) {
        for (const line of everyPosition('-- jetbase: delimiter=~', char))
          texts.push(`${line}\nSELECT 1~\nSELECT 2;\nSELECT 3\u2028~\n-- rollback\nDROP TABLE t~\n`);
        for (const line of everyPosition('-- rollback', char)) texts.push(`SELECT 1;\n${line}\nSELECT 2;\n`);
        for (const line of everyPosition('SELECT 1;', char)) texts.push(`${line}\nSELECT 2;\n`);
        for (const line of everyPosition('SELECT 1~', char))
          texts.push(`-- jetbase: delimiter=~\n${line}\nSELECT 2~\n`);
      }
      const python = runPython<[string, string[]][]>(
        `${PYTHON_REFERENCE_FUNCTIONS}
def lines_of(text):
    lines = text.replace("\\r\\n", "\\n").replace("\\r", "\\n").split("\\n")
    if lines and lines[-1] == "": lines.pop()
    return lines
json.dump([[delimiter_of(lines_of(t)), upgrade_statements(t)] for t in json.load(sys.stdin)], sys.stdout)
`,
        texts,
      );
      const ours = texts.map((t) => [delimiterOf(splitLines(t)), upgradeStatements(t)]);
      const disagreements = texts
        .map((text, i) => ({ text, ours: ours[i], python: python[i] }))
        .filter((d) => JSON.stringify(d.ours) !== JSON.stringify(d.python));
      expect(disagreements).toEqual([]);
      // The independent TypeScript port agrees too, so the random-file property above compares like with like.
      expect(texts.filter((t, i) => referenceDelimiterOf(splitLines(t)) !== python[i]![0])).toEqual([]);
    },
  );
});
