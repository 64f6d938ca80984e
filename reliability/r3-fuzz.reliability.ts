/**
 * R3 fuzz. Generated migration files (comments, quotes, CRLF/CR, BOM, Unicode whitespace,
 * delimiter directives, huge lines): our parser and checksum against an independent port of
 * Jetbase's Python checksum code, and a sample against that Python code itself. Then random input
 * to the file-name parser and the URL parser: nothing may escape but our typed errors.
 */
import { execFileSync, spawnSync } from 'node:child_process';

import fc from 'fast-check';

import { parseDatabaseUrl } from '../src/config/url.js';
import { checksumOfStatements } from '../src/engine/checksum.js';
import { JetbaseError } from '../src/engine/errors.js';
import { parseMigrationName } from '../src/engine/names.js';
import { parseSqlFile, upgradeStatements } from '../src/engine/sql-file.js';
import { PYTHON_REFERENCE, referenceChecksum } from '../__tests__/helpers/reference-checksum.js';
import { sqlFileTextWithHugeLines } from '../__tests__/helpers/sql-generator.js';
import { recordFigure, sized } from './helpers/figures.js';

const FILES = sized(20_000, 100_000);
const PYTHON_SAMPLE = sized(500, 3_000);
const NAMES = sized(50_000, 200_000);
const URLS = sized(50_000, 200_000);
/** Generated in batches so the huge lines of one batch are garbage before the next. */
const BATCH = 2_000;

function ourChecksum(text: string): string {
  return checksumOfStatements(upgradeStatements(text));
}

function describeThrown(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message.slice(0, 120)}` : String(error);
}

describe("generated files, names and URLs: checksums equal Jetbase's, only typed errors (R3)", () => {
  test("checksum: ours equals the reference port of Jetbase's, no crash", () => {
    let equal = 0;
    let crashes = 0;
    let hugeFiles = 0;
    const examples: string[] = [];
    for (let done = 0; done < FILES; done += BATCH) {
      const texts = fc.sample(sqlFileTextWithHugeLines, {
        numRuns: Math.min(BATCH, FILES - done),
        seed: 20261125 + done,
      });
      for (const text of texts) {
        if (text.length > 64 << 10) hugeFiles += 1;
        try {
          // The execution and preview parses run too: a crash in either counts.
          parseSqlFile(text, 'execution');
          parseSqlFile(text, 'preview');
          if (ourChecksum(text) === referenceChecksum(text)) equal += 1;
          else if (examples.length < 3) examples.push(JSON.stringify(text.slice(0, 200)));
        } catch (error) {
          crashes += 1;
          if (examples.length < 3) examples.push(describeThrown(error));
        }
      }
    }
    const ok = equal === FILES && crashes === 0 && hugeFiles > 0;
    recordFigure({
      id: 'R3 checksum',
      ok,
      text: `R3 fuzz: ${FILES.toLocaleString('en-US')} generated files (${hugeFiles} with a line of 64 KiB–1 MiB): checksum equals the reference port in ${((100 * equal) / FILES).toFixed(3)}%, ${crashes} crashes`,
    });
    if (examples.length > 0) process.stderr.write(`${examples.join('\n')}\n`);
    expect(ok).toBe(true);
  });

  test("checksum: a sample against Jetbase's Python checksum code", () => {
    if (spawnSync('python3', ['--version']).status !== 0) {
      // The target is "when python3 exists": without it there is nothing to measure, and that is not a failure.
      recordFigure({
        id: 'R3 python',
        ok: true,
        text: 'R3 fuzz (Python reference): skipped, no python3 on this machine',
      });
      return;
    }
    const texts = fc.sample(sqlFileTextWithHugeLines, { numRuns: PYTHON_SAMPLE, seed: 4242 });
    const python = JSON.parse(
      execFileSync('python3', ['-c', PYTHON_REFERENCE], {
        input: JSON.stringify(texts),
        maxBuffer: 1 << 30,
      }).toString(),
    ) as string[];
    const equal = texts.filter((text, i) => ourChecksum(text) === python[i]).length;
    const ok = equal === texts.length;
    recordFigure({
      id: 'R3 python',
      ok,
      text: `R3 fuzz (Python reference): ${equal}/${texts.length} sampled files give python3's checksum`,
    });
    expect(ok).toBe(true);
  });

  test('file names: parseMigrationName never throws', () => {
    const name = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.string({ maxLength: 600 }),
      fc
        .tuple(
          fc.constantFrom('V', 'v', 'RA', 'ROC', 'R', ''),
          fc.stringMatching(/^[0-9._\-a-zA-Z+!]{0,12}$/),
          fc.constantFrom('__', '_', '___', ''),
          fc.string({ maxLength: 30 }),
          fc.constantFrom('.sql', '.SQL', '.sql.sql', '', '.sq'),
        )
        .map((parts) => parts.join('')),
    );
    let thrown = 0;
    let valid = 0;
    const examples: string[] = [];
    for (const candidate of fc.sample(name, { numRuns: NAMES, seed: 77 })) {
      try {
        if (parseMigrationName(candidate).ok) valid += 1;
      } catch (error) {
        thrown += 1;
        if (examples.length < 3) examples.push(`${JSON.stringify(candidate)} → ${describeThrown(error)}`);
      }
    }
    const ok = thrown === 0 && valid > 0;
    recordFigure({
      id: 'R3 names',
      ok,
      text: `R3 fuzz (file names): ${NAMES.toLocaleString('en-US')} random names (${valid} valid), ${thrown} exceptions`,
    });
    if (examples.length > 0) process.stderr.write(`${examples.join('\n')}\n`);
    expect(ok).toBe(true);
  });

  test('URLs: parseDatabaseUrl throws nothing but typed errors', () => {
    const part = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(
        '',
        '@',
        ':',
        '/',
        '//',
        '?',
        '%',
        '%zz',
        '%40',
        '[',
        ']',
        '[::1]',
        '#',
        '+',
        '\n',
        '\u0000',
        'é',
      ),
    );
    const url = fc.oneof(
      fc.string({ maxLength: 100 }),
      fc.string({ unit: 'binary', maxLength: 100 }),
      fc
        .tuple(
          fc.constantFrom(
            'postgresql',
            'postgres',
            'postgresql+psycopg2',
            'sqlite',
            'mysql+pymysql',
            'snowflake',
            'databricks',
            'mariadb',
            'clickhouse',
            'x+',
            '+y',
            '',
          ),
          fc.constantFrom('://', ':/', ':', '///', '////'),
          fc.array(part, { maxLength: 8 }),
        )
        .map(([scheme, sep, parts]) => `${scheme}${sep}${parts.join('')}`),
    );
    let typed = 0;
    let parsed = 0;
    let untyped = 0;
    const examples: string[] = [];
    for (const candidate of fc.sample(url, { numRuns: URLS, seed: 99 })) {
      try {
        parseDatabaseUrl(candidate);
        parsed += 1;
      } catch (error) {
        if (error instanceof JetbaseError) typed += 1;
        else {
          untyped += 1;
          if (examples.length < 3) examples.push(`${JSON.stringify(candidate)} → ${describeThrown(error)}`);
        }
      }
    }
    const ok = untyped === 0 && typed > 0 && parsed > 0;
    recordFigure({
      id: 'R3 urls',
      ok,
      text: `R3 fuzz (URLs): ${URLS.toLocaleString('en-US')} random URLs: ${parsed} parsed, ${typed} rejected with a typed error, ${untyped} other exceptions`,
    });
    if (examples.length > 0) process.stderr.write(`${examples.join('\n')}\n`);
    expect(ok).toBe(true);
  });
});
