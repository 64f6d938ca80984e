#!/usr/bin/env node
// Prints the CHANGELOG.md section of one version: the release workflow's release notes.
//
//   node scripts/changelog-section.mjs 1.2.3 [--file PATH]
//
// A section starts at a level-2 heading naming the version (`## [1.2.3] - 2026-12-01`, `## 1.2.3`,
// `## v1.2.3`) and ends at the next level-2 heading. Exits 1, printing why, when the section is
// missing, empty or still marked "Unreleased": a release must not go out with no notes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function fail(message, code = 1) {
  process.stderr.write(`changelog-section: ${message}\n`);
  process.exit(code);
}

function parseArgs(argv) {
  let version;
  let file = path.join(root, 'CHANGELOG.md');
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--file') {
      file = argv[(i += 1)] ?? fail('--file needs a path.', 2);
    } else if (version === undefined && !arg.startsWith('-')) {
      version = arg.replace(/^v/, '');
    } else {
      fail(`unexpected argument '${arg}'. Usage: changelog-section.mjs VERSION [--file PATH]`, 2);
    }
  }
  if (!version || !/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/.test(version)) {
    fail(`give a version like 1.2.3 (got '${version ?? ''}').`, 2);
  }
  return { version, file };
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const { version, file } = parseArgs(process.argv.slice(2));
let text;
try {
  text = readFileSync(file, 'utf8').replace(/\r\n?/g, '\n');
} catch (error) {
  fail(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
}
const lines = text.split('\n');
const heading = new RegExp(`^## \\[?v?${escapeRegExp(version)}\\]?(?=$|[\\s(])`);
const start = lines.findIndex((line) => heading.test(line));
if (start < 0)
  fail(`${path.basename(file)} has no section for ${version} (a heading '## [${version}] - YYYY-MM-DD').`);
if (/unreleased/i.test(lines[start])) {
  fail(
    `the ${version} section of ${path.basename(file)} is still marked Unreleased: give it the release date first.`,
  );
}
let end = lines.findIndex((line, index) => index > start && /^## /.test(line));
if (end < 0) end = lines.length;
// Link reference definitions at the end of the file belong to the whole file, not to the last section.
const body = lines
  .slice(start + 1, end)
  .filter((line) => !/^\[[^\]]+\]:\s/.test(line))
  .join('\n')
  .trim();
if (body === '') fail(`the ${version} section of ${path.basename(file)} is empty.`);
process.stdout.write(`${body}\n`);
