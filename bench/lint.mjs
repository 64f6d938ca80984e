#!/usr/bin/env node
/**
 * `node bench/lint.mjs` (after `npm run build`): what lint adds, on SQLite files so that no server is
 * needed. L1: `jetbase lint` on 1,000 pending files against a command that does not lint (`status`),
 * whole process; L2: the parsers' cold load, in process; L3: process start to exit of a command that
 * does not lint, with lint's modules never loaded (checked, not assumed).
 *
 *   node bench/lint.mjs [--runs 5] [--files 1000]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const REPO = path.resolve(import.meta.dirname, '..');
const BIN = path.join(REPO, 'bin', 'jetbase.js');
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, files: { type: 'string', default: '1000' } },
});
const runs = Number(values.runs);
const fileCount = Number(values.files);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${Math.round(x)} ms`;

/** A project of `count` files, each a realistic mix: DDL, an index, DML with WHERE, a trigger body. */
function project(count) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'jetbase-bench-lint-'));
  const dir = path.join(root, 'jetbase', 'migrations');
  mkdirSync(dir, { recursive: true });
  for (let i = 1; i <= count; i++) {
    const body =
      i % 10 === 0
        ? `-- jetbase: delimiter=~\nCREATE TRIGGER t${i} AFTER INSERT ON t${i - 1} BEGIN UPDATE c SET n = n + 1 WHERE id = NEW.id; END~\n`
        : `CREATE TABLE t${i} (id INTEGER PRIMARY KEY, name TEXT NOT NULL, created_at TEXT);\nCREATE INDEX t${i}_name ON t${i} (name);\nINSERT INTO t${i} (name) VALUES ('a'), ('b');\nUPDATE t${i} SET name = 'c' WHERE id = 1;\n`;
    writeFileSync(path.join(dir, `V${i}__m${i}.sql`), body);
  }
  return path.join(root, 'jetbase');
}

function timeProcess(args, env = {}) {
  const started = performance.now();
  try {
    execFileSync(process.execPath, [BIN, ...args], { stdio: 'ignore', env: { ...process.env, ...env } });
  } catch {
    // lint exits 1 on an error-level finding; the time is what counts here.
  }
  return performance.now() - started;
}

const big = project(fileCount);
const url = `sqlite:///${path.join(path.dirname(big), 'bench.db')}`;
const small = project(10);
const smallUrl = `sqlite:///${path.join(path.dirname(small), 'bench.db')}`;

const lintTimes = [];
const statusTimes = [];
const coldNoLint = [];
const coldLint = [];
for (let r = 0; r < runs; r++) {
  statusTimes.push(timeProcess(['status', '--dir', big, '--url', url]));
  lintTimes.push(timeProcess(['lint', '--dir', big, '--url', url]));
  coldNoLint.push(timeProcess(['status', '--dir', small, '--url', smallUrl]));
  coldLint.push(timeProcess(['lint', '--dir', small, '--url', smallUrl]));
}

// L2: the parsers' load, each in a fresh process (import + WebAssembly instantiation).
const loadScript = (module, init) =>
  `const t=performance.now();const m=await import(${JSON.stringify(module)});await m.${init}();console.log(performance.now()-t)`;
const load = (module, init) =>
  median(
    Array.from({ length: runs }, () =>
      Number(
        execFileSync(process.execPath, ['--input-type=module', '-e', loadScript(module, init)], {
          cwd: REPO,
          encoding: 'utf8',
        }),
      ),
    ),
  );
const pgLoad = load('libpg-query', 'loadModule');
const sqlLoad = load('@guanmingchiu/sqlparser-ts', 'init');

// L3 check: a command that does not lint instantiates no WebAssembly (both parsers are WebAssembly).
const loaded = execFileSync(
  process.execPath,
  [
    '--input-type=module',
    '-e',
    `let compiled = 0;
     for (const name of ['instantiate', 'compile', 'instantiateStreaming', 'compileStreaming']) {
       const original = WebAssembly[name];
       WebAssembly[name] = (...args) => { compiled++; return original(...args); };
     }
     const { main } = await import(${JSON.stringify(path.join(REPO, 'lib/cli/index.js'))});
     const sink = { write: () => true };
     await main(['status', '--dir', ${JSON.stringify(small)}, '--url', ${JSON.stringify(smallUrl)}], { stdout: sink, stderr: sink, env: {}, cwd: process.cwd() });
     console.log(compiled === 0 ? 'not loaded' : 'loaded');`,
  ],
  { encoding: 'utf8' },
).trim();

console.log(
  `\nLint bench: ${runs} runs, medians; Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}\n`,
);
console.log(`| L1: ${fileCount.toLocaleString('en')} pending files (SQLite), whole process | median |`);
console.log('| --- | ---: |');
console.log(`| \`jetbase status\` (does not lint) | ${ms(median(statusTimes))} |`);
console.log(`| \`jetbase lint\` | ${ms(median(lintTimes))} |`);
console.log(`| lint's added time | ${ms(median(lintTimes) - median(statusTimes))} |`);
console.log('');
console.log(
  `- L2, parsers' cold load in a fresh process: libpg-query ${ms(pgLoad)}, sqlparser-rs ${ms(sqlLoad)}.`,
);
console.log(
  `- L3, 10 files: \`jetbase status\` ${ms(median(coldNoLint))} (lint's parsers ${loaded}), \`jetbase lint\` ${ms(median(coldLint))}.`,
);
