/**
 * Every workflow under .github/workflows and action.yml pass the structural checks of
 * workflow-lint.ts; the checks themselves catch each kind of mistake they are for; and the
 * release, CI and self-test workflows do what the README says they do.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { parse } from 'yaml';

import { actionProblems, workflowProblems } from './workflow-lint.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const WORKFLOWS = path.join(ROOT, '.github', 'workflows');
const workflowFiles = readdirSync(WORKFLOWS).filter((name) => /\.ya?ml$/.test(name));

type Mapping = Record<string, unknown>;
const workflow = (name: string): Mapping =>
  parse(readFileSync(path.join(WORKFLOWS, name), 'utf8')) as Mapping;
const jobsOf = (name: string) => workflow(name).jobs as Record<string, Mapping>;
const stepsOf = (job: Mapping) => job.steps as Mapping[];

describe('the repository workflows and action.yml', () => {
  it('has the CI, release and self-test workflows', () => {
    expect(workflowFiles).toEqual(expect.arrayContaining(['ci.yml', 'release.yml', 'self-test.yml']));
  });

  it.each(workflowFiles)('%s passes the workflow checks', (name) => {
    const file = path.join(WORKFLOWS, name);
    expect(workflowProblems(readFileSync(file, 'utf8'), `.github/workflows/${name}`, ROOT)).toEqual([]);
  });

  it('action.yml passes the action checks', () => {
    expect(actionProblems(readFileSync(path.join(ROOT, 'action.yml'), 'utf8'), 'action.yml', ROOT)).toEqual(
      [],
    );
  });

  it('CI runs .ci/run and can be called by the release workflow', () => {
    const ci = workflow('ci.yml');
    expect(Object.keys(ci.on as Mapping)).toEqual(
      expect.arrayContaining(['pull_request', 'push', 'workflow_call']),
    );
    const runs = Object.values(jobsOf('ci.yml')).flatMap((job) => stepsOf(job).map((step) => step.run));
    expect(runs).toContain('bash .ci/run');
  });

  it('the self-test runs the action from this commit on Linux, Windows and macOS', () => {
    const self = workflow('self-test.yml');
    expect(Object.keys(self.on as Mapping)).toEqual(expect.arrayContaining(['pull_request', 'push']));
    const sqlite = jobsOf('self-test.yml').sqlite as Mapping;
    expect(((sqlite.strategy as Mapping).matrix as Mapping).os).toEqual(
      expect.arrayContaining(['ubuntu-latest', 'windows-latest', 'macos-latest']),
    );
    expect(sqlite['runs-on']).toBe('${{ matrix.os }}');
    expect(stepsOf(sqlite).filter((step) => step.uses === './')).toHaveLength(3);
  });

  it('a release runs the checks first, then the release, the major tag and npm (with provenance)', () => {
    const release = workflow('release.yml');
    expect(((release.on as Mapping).push as Mapping).tags).toEqual(['v[0-9]+.[0-9]+.[0-9]+']);
    const jobs = jobsOf('release.yml');
    expect(jobs.checks?.uses).toBe('./.github/workflows/ci.yml');
    expect(jobs['github-release']?.needs).toBe('checks');
    expect(jobs['github-release']?.permissions).toEqual({ contents: 'write' });
    const releaseScript = stepsOf(jobs['github-release'] as Mapping)
      .map((step) => String(step.run ?? ''))
      .join('\n');
    expect(releaseScript).toContain('node scripts/changelog-section.mjs');
    expect(releaseScript).toContain('gh release create');
    expect(releaseScript).toMatch(/git push --force origin "refs\/tags\/\$MAJOR"/);
    const npm = jobs.npm as Mapping;
    expect(npm.needs).toBe('github-release');
    expect((npm.permissions as Mapping)['id-token']).toBe('write');
    expect((npm.env as Mapping).NODE_AUTH_TOKEN).toBe('${{ secrets.NPM_TOKEN }}');
    const publish = stepsOf(npm).find((step) => String(step.run ?? '').includes('npm publish'));
    expect(publish?.run).toContain('npm publish --provenance');
    // Skipped, not failed, without a token: every step but the notice is conditional on it.
    for (const step of stepsOf(npm)) expect(String(step.if)).toMatch(/^env\.NODE_AUTH_TOKEN [!=]= ''$/);
  });
});

describe('the workflow checks catch', () => {
  const job = (steps: string) =>
    `on: push\npermissions:\n  contents: read\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;
  const problemsOf = (text: string) => workflowProblems(text, 'test.yml', ROOT).join('\n');

  it.each([
    [
      'a step with both uses and run',
      job('      - uses: actions/checkout@v5\n        run: echo\n'),
      /exactly one of uses/,
    ],
    ['a step with neither', job('      - name: nothing\n'), /exactly one of uses/],
    ['an unclosed expression', job('      - run: echo ${{ github.sha\n'), /unbalanced/],
    ['an unknown context', job('      - run: echo ${{ gihtub.sha }}\n'), /unknown name 'gihtub'/],
    ['a step id not defined before', job('      - run: echo ${{ steps.later.outputs.x }}\n'), /steps\.later/],
    ['a matrix key not in the matrix', job('      - run: echo ${{ matrix.os }}\n'), /matrix\.os/],
    [
      'secrets in an if',
      job("      - if: secrets.TOKEN != ''\n        run: echo\n"),
      /secrets cannot be used in an if/,
    ],
    ['an unknown step key', job('      - run: echo\n        shel: bash\n'), /unknown step key 'shel'/],
    ['an action without a ref', job('      - uses: actions/checkout\n'), /is not owner\/repo/],
    ['a local action that is not there', job('      - uses: ./no-such-action\n'), /has no action.yml/],
    ['a duplicate key', job('      - run: echo\n        run: echo\n'), /YAML:.*[Uu]nique|YAML:.*duplicate/i],
    [
      'no runs-on',
      'on: push\npermissions: {}\njobs:\n  a:\n    steps:\n      - run: echo\n',
      /runs-on is missing/,
    ],
    [
      'no steps',
      'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n',
      /non-empty list of steps/,
    ],
    ['an unknown event', 'on: pushed\npermissions: {}\njobs: {}\n', /unknown event 'pushed'/],
    [
      'no permissions',
      'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n',
      /no top-level permissions/,
    ],
    [
      'an unknown scope',
      'on: push\npermissions:\n  content: read\njobs: {}\n',
      /unknown permission scope 'content'/,
    ],
    ['a bad level', 'on: push\npermissions:\n  id-token: read\njobs: {}\n', /id-token: 'read'/],
    [
      'needs of a job that does not exist',
      'on: push\npermissions: {}\njobs:\n  a:\n    needs: b\n    runs-on: x\n    steps:\n      - run: echo\n',
      /needs 'b'/,
    ],
    [
      'a reusable workflow without workflow_call',
      'on: push\npermissions: {}\njobs:\n  a:\n    uses: ./.github/workflows/self-test.yml\n',
      /has no workflow_call trigger/,
    ],
  ])('%s', (_what, text, expected) => {
    expect(problemsOf(text)).toMatch(expected);
  });

  it('and accept a correct workflow', () => {
    expect(
      problemsOf(
        job(
          "      - id: a\n        run: echo x\n      - if: steps.a.outcome == 'success' && always()\n        run: echo ${{ toJSON(steps.a.outputs) }}\n",
        ),
      ),
    ).toBe('');
  });

  it('an action.yml without descriptions or with a missing main', () => {
    const text =
      'name: x\ndescription: y\ninputs:\n  a:\n    default: 1\nruns:\n  using: node24\n  main: nowhere.js\n';
    const problems = actionProblems(text, 'action.yml', ROOT).join('\n');
    expect(problems).toMatch(/inputs\.a: needs a description/);
    expect(problems).toMatch(/runs\.main 'nowhere.js' does not exist/);
    expect(
      actionProblems('name: x\ndescription: y\nruns:\n  using: node12\n', 'action.yml', ROOT).join(),
    ).toMatch(/runs\.using/);
  });
});
