/**
 * The generated parts of the docs: README.md's inputs/outputs tables (scripts/action-docs.mjs)
 * match action.yml, so CI fails when they drift; and the release notes come out of CHANGELOG.md
 * (scripts/changelog-section.mjs) for exactly the tagged version.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const ACTION = readFileSync(path.join(ROOT, 'action.yml'), 'utf8');
const PACKAGE_VERSION = (
  JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

function script(name: string, args: string[]) {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts', name), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'jetbase-docs-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Copies of README.md and action.yml (changed by `edit`), and the script's arguments for them. */
function copies(edit: { readme?: (text: string) => string; action?: (text: string) => string } = {}) {
  const readme = path.join(dir, 'README.md');
  const action = path.join(dir, 'action.yml');
  writeFileSync(readme, (edit.readme ?? ((text) => text))(README));
  writeFileSync(action, (edit.action ?? ((text) => text))(ACTION));
  return { readme, args: ['--readme', readme, '--action', action] };
}

describe('README inputs and outputs tables (npm run docs:check)', () => {
  it('match action.yml in this commit', () => {
    const check = script('action-docs.mjs', ['--check']);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
  });

  it('list every input with its default and every output, from action.yml', () => {
    expect(README).toMatch(/\| `lock-timeout` +\| `60` +\| Seconds to wait for Jetbase's migration lock/);
    expect(README).toMatch(/\| `github-token` +\| `\$\{\{ github\.token \}\}` +\|/);
    expect(README).toMatch(
      /\| `drift` +\| true when an applied migration's file changed or is missing\. +\|/,
    );
  });

  it('fail the check when action.yml changes, and `npm run docs` brings them back in line', () => {
    const { readme, args } = copies({
      action: (text) => text.replace('Skip checksum and file validation.', 'Skip every | validation.'),
    });
    const stale = script('action-docs.mjs', ['--check', ...args]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/README\.md is out of date.*Run `npm run docs`/);
    expect(script('action-docs.mjs', args).code).toBe(0);
    expect(readFileSync(readme, 'utf8')).toMatch(
      /\| `skip-validation` +\| `false` +\| Skip every \\\| validation\. +\|/,
    );
    expect(script('action-docs.mjs', ['--check', ...args]).code).toBe(0);
  });

  it('fail the check when the table is edited by hand, and regenerating restores it exactly', () => {
    const { readme, args } = copies({
      readme: (text) => text.replace('Write the report to the job summary.', 'Hand-edited.'),
    });
    expect(script('action-docs.mjs', ['--check', ...args]).code).toBe(1);
    expect(script('action-docs.mjs', args).code).toBe(0);
    expect(readFileSync(readme, 'utf8')).toBe(README);
  });

  it('say which markers are missing', () => {
    const { args } = copies({ readme: (text) => text.replace(/<!-- action-docs:outputs:end -->/, '') });
    const result = script('action-docs.mjs', ['--check', ...args]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/markers of the outputs table are missing/);
  });

  it('refuse an input without a description', () => {
    const { args } = copies({
      action: (text) => text.replace(/ {4}description: Skip checksum validation.*\n/, ''),
    });
    const result = script('action-docs.mjs', ['--check', ...args]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/inputs\.skip-checksum-validation has no description/);
  });
});

describe('release notes from CHANGELOG.md', () => {
  const changelog = (text: string) => {
    const file = path.join(dir, 'CHANGELOG.md');
    writeFileSync(file, text);
    return file;
  };
  const SAMPLE = [
    '# Changelog',
    '',
    '## [2.1.0] - 2027-01-02',
    '',
    '- Newest.',
    '',
    '## [2.0.10] - 2026-12-30',
    '',
    '### Fixed',
    '',
    '- Tenth patch.',
    '',
    '## 2.0.1 - 2026-12-01',
    '',
    '- First patch.',
    '',
    '[2.1.0]: https://example.invalid/compare/v2.0.10...v2.1.0',
    '',
  ].join('\n');

  it('has a section for the version in package.json', () => {
    const text = readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
    expect(text).toMatch(new RegExp(`^## \\[${PACKAGE_VERSION.replaceAll('.', '\\.')}\\]`, 'm'));
  });

  it('prints exactly the section of the tagged version', () => {
    const file = changelog(SAMPLE);
    const tenth = script('changelog-section.mjs', ['v2.0.10', '--file', file]);
    expect(tenth.code).toBe(0);
    expect(tenth.stdout).toBe('### Fixed\n\n- Tenth patch.\n');
    expect(script('changelog-section.mjs', ['2.0.1', '--file', file]).stdout).toBe('- First patch.\n');
    expect(script('changelog-section.mjs', ['2.1.0', '--file', file]).stdout).toBe('- Newest.\n');
  });

  it('refuses a missing, empty or unreleased section', () => {
    const missing = script('changelog-section.mjs', ['2.0.0', '--file', changelog(SAMPLE)]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no section for 2\.0\.0/);
    const empty = script('changelog-section.mjs', [
      '1.0.0',
      '--file',
      changelog('## [1.0.0] - 2026-01-01\n\n## 0.9.0\n- x\n'),
    ]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/section of CHANGELOG\.md is empty/);
    const unreleased = script('changelog-section.mjs', [
      '1.0.0',
      '--file',
      changelog('## [1.0.0] - Unreleased\n\n- x\n'),
    ]);
    expect(unreleased.code).toBe(1);
    expect(unreleased.stderr).toMatch(/still marked Unreleased/);
    expect(script('changelog-section.mjs', ['latest']).code).toBe(2);
  });
});
