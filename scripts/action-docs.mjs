#!/usr/bin/env node
// The README's inputs and outputs tables, generated from action.yml so the two cannot drift.
//
//   node scripts/action-docs.mjs            rewrite the tables in README.md (npm run docs)
//   node scripts/action-docs.mjs --check    exit 1 when README.md is not what action.yml gives (npm run docs:check)
//   --action PATH / --readme PATH           other files (the tests use copies)
//
// The tables sit between marker comments in README.md; everything outside them is left as written.
// They are formatted with the project's prettier settings, so `prettier --check` agrees with them.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as prettier from 'prettier';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** One table per section: its markers in README.md and how it is built from action.yml. */
const SECTIONS = [
  { name: 'inputs', table: inputsTable },
  { name: 'outputs', table: outputsTable },
];

function usage(message) {
  process.stderr.write(
    `action-docs: ${message}\nUsage: action-docs.mjs [--check] [--action PATH] [--readme PATH]\n`,
  );
  process.exit(2);
}

function parseArgs(argv) {
  const options = {
    check: false,
    action: path.join(root, 'action.yml'),
    readme: path.join(root, 'README.md'),
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--check') options.check = true;
    else if (arg === '--action' || arg === '--readme') {
      const value = argv[(i += 1)];
      if (!value) usage(`${arg} needs a path.`);
      options[arg.slice(2)] = path.resolve(value);
    } else usage(`unknown argument '${arg}'.`);
  }
  return options;
}

/** A table cell: one line, pipes escaped (action.yml descriptions are plain text). */
function cell(text) {
  return String(text).replace(/\s+/g, ' ').trim().replaceAll('|', '\\|');
}

function code(text) {
  // A backtick inside would end the code span early: use a longer fence then.
  const fence = String(text).includes('`') ? '``' : '`';
  return `${fence}${text}${fence}`;
}

function entries(action, key, file) {
  const value = action[key] ?? {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new Error(`${file}: '${key}' is not a mapping.`);
  return Object.entries(value).map(([name, spec]) => {
    if (!spec || typeof spec.description !== 'string' || spec.description.trim() === '') {
      throw new Error(`${file}: ${key}.${name} has no description.`);
    }
    return [name, spec];
  });
}

function inputsTable(action, file) {
  const rows = entries(action, 'inputs', file).map(([name, spec]) => {
    const fallback = spec.default === undefined ? '' : String(spec.default);
    const required = spec.required === true || spec.required === 'true' ? '**Required.** ' : '';
    return `| ${code(name)} | ${code(fallback === '' ? "''" : fallback)} | ${required}${cell(spec.description)} |`;
  });
  return ['| Input | Default | What it does |', '| --- | --- | --- |', ...rows].join('\n');
}

function outputsTable(action, file) {
  const rows = entries(action, 'outputs', file).map(
    ([name, spec]) => `| ${code(name)} | ${cell(spec.description)} |`,
  );
  return ['| Output | Value |', '| --- | --- |', ...rows].join('\n');
}

function markers(name) {
  return {
    start: `<!-- action-docs:${name}:start (generated from action.yml by \`npm run docs\`; edit action.yml, not this table) -->`,
    end: `<!-- action-docs:${name}:end -->`,
  };
}

/** README.md with every section replaced by what action.yml gives. */
async function renderReadme(
  actionText,
  readmeText,
  { actionFile = 'action.yml', readmeFile = 'README.md' } = {},
) {
  const action = parse(actionText);
  if (!action || typeof action !== 'object') throw new Error(`${actionFile}: not a YAML mapping.`);
  const config = (await prettier.resolveConfig(path.join(root, 'README.md'))) ?? {};
  let text = readmeText;
  for (const { name, table } of SECTIONS) {
    const { start, end } = markers(name);
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from < 0 || to < from) {
      throw new Error(
        `${readmeFile}: the markers of the ${name} table are missing or out of order:\n  ${start}\n  ${end}`,
      );
    }
    const formatted = (
      await prettier.format(table(action, actionFile), { ...config, parser: 'markdown' })
    ).trimEnd();
    text = `${text.slice(0, from + start.length)}\n\n${formatted}\n\n${text.slice(to)}`;
  }
  return text;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const readmeText = readFileSync(options.readme, 'utf8');
  const rendered = await renderReadme(readFileSync(options.action, 'utf8'), readmeText, {
    actionFile: path.relative(process.cwd(), options.action),
    readmeFile: path.relative(process.cwd(), options.readme),
  });
  const readmeName = path.relative(process.cwd(), options.readme) || options.readme;
  if (options.check) {
    if (rendered !== readmeText) {
      process.stderr.write(
        `${readmeName} is out of date: its inputs/outputs tables are not what ${path.basename(options.action)} says. Run \`npm run docs\`.\n`,
      );
      process.exit(1);
    }
    process.stdout.write(`${readmeName}: the inputs and outputs tables match action.yml.\n`);
  } else if (rendered !== readmeText) {
    writeFileSync(options.readme, rendered);
    process.stdout.write(`${readmeName}: inputs and outputs tables rewritten from action.yml.\n`);
  } else {
    process.stdout.write(`${readmeName}: already up to date.\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`action-docs: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
