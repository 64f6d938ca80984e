/**
 * A small structural check of GitHub workflow files and action.yml, in the spirit of actionlint
 * (which cannot be installed here: it is a prebuilt binary from outside the npm registry). It
 * catches what breaks a workflow before GitHub runs it: YAML errors and duplicate keys, unknown
 * keys, events and permission scopes, jobs without `runs-on` or steps, steps with both or neither
 * of `uses` and `run`, unbalanced `${{ }}`, expressions naming an unknown context, a step id that is
 * not defined earlier in the job, a `needs` job that does not exist, a matrix key that is not in the
 * matrix, `secrets` in an `if`, local actions and reusable workflows that are not there.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { parseDocument } from 'yaml';

type Mapping = Record<string, unknown>;

const isMapping = (value: unknown): value is Mapping =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const WORKFLOW_KEYS = new Set([
  'name',
  'run-name',
  'on',
  'permissions',
  'env',
  'defaults',
  'concurrency',
  'jobs',
]);
const EVENTS = new Set([
  'branch_protection_rule',
  'check_run',
  'check_suite',
  'create',
  'delete',
  'deployment',
  'deployment_status',
  'discussion',
  'discussion_comment',
  'fork',
  'gollum',
  'issue_comment',
  'issues',
  'label',
  'merge_group',
  'milestone',
  'page_build',
  'public',
  'pull_request',
  'pull_request_review',
  'pull_request_review_comment',
  'pull_request_target',
  'push',
  'registry_package',
  'release',
  'repository_dispatch',
  'schedule',
  'status',
  'watch',
  'workflow_call',
  'workflow_dispatch',
  'workflow_run',
]);
const PERMISSION_SCOPES = new Set([
  'actions',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'discussions',
  'id-token',
  'issues',
  'models',
  'packages',
  'pages',
  'pull-requests',
  'repository-projects',
  'security-events',
  'statuses',
]);
const JOB_KEYS = new Set([
  'name',
  'needs',
  'permissions',
  'runs-on',
  'environment',
  'concurrency',
  'outputs',
  'env',
  'defaults',
  'if',
  'steps',
  'timeout-minutes',
  'strategy',
  'continue-on-error',
  'container',
  'services',
  'uses',
  'with',
  'secrets',
]);
const STEP_KEYS = new Set([
  'id',
  'if',
  'name',
  'uses',
  'run',
  'shell',
  'with',
  'env',
  'continue-on-error',
  'timeout-minutes',
  'working-directory',
]);
const SHELLS = new Set(['bash', 'pwsh', 'python', 'sh', 'cmd', 'powershell']);
const CONTEXTS = new Set([
  'github',
  'env',
  'vars',
  'job',
  'jobs',
  'steps',
  'runner',
  'secrets',
  'strategy',
  'matrix',
  'needs',
  'inputs',
]);
const FUNCTIONS = new Set([
  'contains',
  'startsWith',
  'endsWith',
  'format',
  'join',
  'toJSON',
  'fromJSON',
  'hashFiles',
  'success',
  'always',
  'cancelled',
  'failure',
]);
const LITERALS = new Set(['true', 'false', 'null']);
const ACTION_KEYS = new Set(['name', 'author', 'description', 'inputs', 'outputs', 'runs', 'branding']);
const ACTION_RUNTIMES = new Set(['node20', 'node24', 'composite', 'docker']);

/** Every `${{ … }}` in a string, or a problem when one is not closed. */
function expressionsIn(text: string, where: string, problems: string[]): string[] {
  const found: string[] = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf('${{', from);
    if (open < 0) break;
    const close = text.indexOf('}}', open + 3);
    const nextOpen = text.indexOf('${{', open + 3);
    if (close < 0 || (nextOpen >= 0 && nextOpen < close)) {
      problems.push(`${where}: unbalanced \${{ }} in ${JSON.stringify(text)}`);
      break;
    }
    found.push(text.slice(open + 3, close).trim());
    from = close + 2;
  }
  return found;
}

/** The names an expression starts property chains with (contexts, functions, literals). */
function rootNames(expression: string): string[] {
  const withoutStrings = expression.replace(/'(?:[^']|'')*'/g, "''");
  const names: string[] = [];
  for (const match of withoutStrings.matchAll(/(?<![\w.-])([A-Za-z_][\w-]*)/g))
    names.push(match[1] as string);
  return names;
}

/** `steps.<id>`, `needs.<job>` and `matrix.<key>` references in an expression. */
function references(expression: string, context: 'steps' | 'needs' | 'matrix'): string[] {
  const pattern = new RegExp(`(?<![\\w.-])${context}\\.([A-Za-z_][\\w-]*)`, 'g');
  return [...expression.replace(/'(?:[^']|'')*'/g, "''").matchAll(pattern)].map(
    (match) => match[1] as string,
  );
}

interface Scope {
  readonly where: string;
  /** Step ids defined before this point in the job; undefined outside a job. */
  readonly stepIds?: ReadonlySet<string>;
  readonly needs?: ReadonlySet<string>;
  readonly matrixKeys?: ReadonlySet<string>;
}

/** Checks every string below `value` for balanced expressions with known names and references. */
function checkExpressions(value: unknown, scope: Scope, problems: string[], isIf = false): void {
  if (typeof value === 'string') {
    const expressions = expressionsIn(value, scope.where, problems);
    // `if:` may be written without ${{ }}; it is an expression all the same.
    if (isIf && expressions.length === 0) expressions.push(value);
    for (const expression of expressions) {
      for (const name of rootNames(expression)) {
        if (!CONTEXTS.has(name) && !FUNCTIONS.has(name) && !LITERALS.has(name)) {
          problems.push(`${scope.where}: unknown name '${name}' in expression '${expression}'`);
        }
      }
      if (isIf && /(?<![\w.-])secrets\./.test(expression)) {
        problems.push(`${scope.where}: secrets cannot be used in an if (put them in env first)`);
      }
      for (const id of references(expression, 'steps')) {
        if (!scope.stepIds?.has(id))
          problems.push(`${scope.where}: steps.${id} is not a step defined earlier`);
      }
      for (const job of references(expression, 'needs')) {
        if (!scope.needs?.has(job)) problems.push(`${scope.where}: needs.${job} is not in this job's needs`);
      }
      for (const key of references(expression, 'matrix')) {
        if (!scope.matrixKeys?.has(key)) problems.push(`${scope.where}: matrix.${key} is not in the matrix`);
      }
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, index) =>
      checkExpressions(item, { ...scope, where: `${scope.where}[${index}]` }, problems),
    );
  } else if (isMapping(value)) {
    for (const [key, item] of Object.entries(value)) {
      checkExpressions(item, { ...scope, where: `${scope.where}.${key}` }, problems, key === 'if');
    }
  }
}

function checkPermissions(value: unknown, where: string, problems: string[]): void {
  if (value === 'read-all' || value === 'write-all' || (isMapping(value) && Object.keys(value).length === 0))
    return;
  if (!isMapping(value)) {
    problems.push(`${where}: permissions must be read-all, write-all or a mapping of scopes`);
    return;
  }
  for (const [scope, level] of Object.entries(value)) {
    if (!PERMISSION_SCOPES.has(scope)) problems.push(`${where}: unknown permission scope '${scope}'`);
    const allowed = scope === 'id-token' ? ['write', 'none'] : ['read', 'write', 'none'];
    if (!allowed.includes(String(level)))
      problems.push(`${where}.${scope}: '${String(level)}' is not ${allowed.join('/')}`);
  }
}

function parseYaml(text: string, file: string, problems: string[]): unknown {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  for (const error of document.errors) problems.push(`${file}: YAML: ${error.message}`);
  return document.errors.length > 0 ? undefined : document.toJS();
}

function matrixKeysOf(strategy: unknown): Set<string> {
  const keys = new Set<string>();
  const matrix = isMapping(strategy) ? strategy.matrix : undefined;
  if (!isMapping(matrix)) return keys;
  for (const [key, value] of Object.entries(matrix)) {
    if (key === 'include' && Array.isArray(value)) {
      for (const entry of value) if (isMapping(entry)) for (const name of Object.keys(entry)) keys.add(name);
    } else if (key !== 'exclude') keys.add(key);
  }
  return keys;
}

function checkUses(uses: string, where: string, repoRoot: string, problems: string[]): void {
  if (uses.startsWith('./')) {
    const target = path.join(repoRoot, uses);
    if (!existsSync(path.join(target, 'action.yml')) && !existsSync(path.join(target, 'action.yaml'))) {
      problems.push(`${where}: local action '${uses}' has no action.yml`);
    }
  } else if (!uses.startsWith('docker://') && !/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[\w./-]+$/.test(uses)) {
    problems.push(`${where}: '${uses}' is not owner/repo[/path]@ref, ./path or docker://image`);
  }
}

function checkSteps(
  steps: unknown,
  where: string,
  scope: Omit<Scope, 'where'>,
  repoRoot: string,
  problems: string[],
) {
  if (!Array.isArray(steps) || steps.length === 0) {
    problems.push(
      `${where}: a job needs runs-on and a non-empty list of steps (or uses: for a reusable workflow)`,
    );
    return;
  }
  const stepIds = new Set<string>();
  steps.forEach((step: unknown, index) => {
    const at = `${where}.steps[${index}]`;
    if (!isMapping(step)) {
      problems.push(`${at}: a step is a mapping`);
      return;
    }
    for (const key of Object.keys(step))
      if (!STEP_KEYS.has(key)) problems.push(`${at}: unknown step key '${key}'`);
    const hasUses = typeof step.uses === 'string';
    const hasRun = typeof step.run === 'string';
    if (hasUses === hasRun) problems.push(`${at}: a step has exactly one of uses and run`);
    if (hasUses) checkUses(step.uses as string, at, repoRoot, problems);
    if (hasUses && (step.shell !== undefined || step['working-directory'] !== undefined)) {
      problems.push(`${at}: shell and working-directory belong to run steps`);
    }
    if (hasRun && step.with !== undefined) problems.push(`${at}: with belongs to uses steps`);
    if (step.shell !== undefined && !SHELLS.has(String(step.shell)))
      problems.push(`${at}: unknown shell '${String(step.shell)}'`);
    checkExpressions(step, { ...scope, where: at, stepIds: new Set(stepIds) }, problems);
    if (typeof step.id === 'string') {
      if (stepIds.has(step.id)) problems.push(`${at}: duplicate step id '${step.id}'`);
      stepIds.add(step.id);
    }
  });
}

function checkJob(
  id: string,
  job: unknown,
  jobIds: ReadonlySet<string>,
  file: string,
  repoRoot: string,
  problems: string[],
): void {
  const where = `${file}: jobs.${id}`;
  if (!/^[A-Za-z_][\w-]*$/.test(id)) problems.push(`${where}: a job id is letters, digits, - and _`);
  if (!isMapping(job)) {
    problems.push(`${where}: a job is a mapping`);
    return;
  }
  for (const key of Object.keys(job))
    if (!JOB_KEYS.has(key)) problems.push(`${where}: unknown job key '${key}'`);
  const needs = new Set<string>(
    job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs.map(String) : [String(job.needs)],
  );
  for (const need of needs) {
    if (need === id || !jobIds.has(need))
      problems.push(`${where}: needs '${need}', which is not another job`);
  }
  if (job.permissions !== undefined) checkPermissions(job.permissions, `${where}.permissions`, problems);
  const scope = { needs, matrixKeys: matrixKeysOf(job.strategy) };
  if (typeof job.uses === 'string') {
    if (job.steps !== undefined || job['runs-on'] !== undefined) {
      problems.push(`${where}: a job that calls a reusable workflow has no runs-on or steps`);
    }
    const local = job.uses.match(/^\.\/(\.github\/workflows\/[\w.-]+\.ya?ml)$/);
    if (local) {
      const called = path.join(repoRoot, local[1] as string);
      const on: unknown = existsSync(called)
        ? parseYaml(readFileSync(called, 'utf8'), called, problems)
        : undefined;
      const events = isMapping(on) ? on.on : undefined;
      const callable = isMapping(events) ? 'workflow_call' in events : events === 'workflow_call';
      if (!callable) problems.push(`${where}: ${job.uses} is missing or has no workflow_call trigger`);
    } else if (!/^[\w.-]+\/[\w.-]+\/\.github\/workflows\/[\w.-]+\.ya?ml@[\w./-]+$/.test(job.uses)) {
      problems.push(`${where}: '${job.uses}' is not a reusable workflow reference`);
    }
    checkExpressions(job, { ...scope, where }, problems);
    return;
  }
  if (job['runs-on'] === undefined) problems.push(`${where}: runs-on is missing`);
  const { steps, ...rest } = job;
  checkExpressions(rest, { ...scope, where }, problems);
  checkSteps(steps, where, scope, repoRoot, problems);
}

/** Problems in one workflow file's text; [] when it passes. */
export function workflowProblems(text: string, file: string, repoRoot: string): string[] {
  const problems: string[] = [];
  const workflow = parseYaml(text, file, problems);
  if (workflow === undefined) return problems;
  if (!isMapping(workflow)) return [`${file}: a workflow is a mapping`];
  for (const key of Object.keys(workflow))
    if (!WORKFLOW_KEYS.has(key)) problems.push(`${file}: unknown key '${key}'`);
  const on = workflow.on;
  const events =
    typeof on === 'string' ? [on] : Array.isArray(on) ? on.map(String) : isMapping(on) ? Object.keys(on) : [];
  if (events.length === 0) problems.push(`${file}: 'on' names no event`);
  for (const event of events) if (!EVENTS.has(event)) problems.push(`${file}: unknown event '${event}'`);
  if (workflow.permissions === undefined)
    problems.push(`${file}: no top-level permissions (give the token least privilege)`);
  else checkPermissions(workflow.permissions, `${file}: permissions`, problems);
  for (const key of ['name', 'run-name', 'env', 'concurrency', 'defaults'] as const) {
    if (workflow[key] !== undefined) checkExpressions(workflow[key], { where: `${file}: ${key}` }, problems);
  }
  const jobs = workflow.jobs;
  if (!isMapping(jobs) || Object.keys(jobs).length === 0) {
    problems.push(`${file}: no jobs`);
    return problems;
  }
  const jobIds = new Set(Object.keys(jobs));
  for (const [id, job] of Object.entries(jobs)) checkJob(id, job, jobIds, file, repoRoot, problems);
  return problems;
}

/** Problems in an action.yml; [] when it passes. */
export function actionProblems(text: string, file: string, actionDir: string): string[] {
  const problems: string[] = [];
  const action = parseYaml(text, file, problems);
  if (action === undefined) return problems;
  if (!isMapping(action)) return [`${file}: an action is a mapping`];
  for (const key of Object.keys(action))
    if (!ACTION_KEYS.has(key)) problems.push(`${file}: unknown key '${key}'`);
  for (const key of ['name', 'description'] as const) {
    if (typeof action[key] !== 'string' || action[key] === '') problems.push(`${file}: ${key} is missing`);
  }
  for (const section of ['inputs', 'outputs'] as const) {
    const entries = action[section] ?? {};
    if (!isMapping(entries)) {
      problems.push(`${file}: ${section} is a mapping`);
      continue;
    }
    for (const [name, spec] of Object.entries(entries)) {
      const where = `${file}: ${section}.${name}`;
      if (!/^[A-Za-z_][\w-]*$/.test(name)) problems.push(`${where}: bad name`);
      if (!isMapping(spec) || typeof spec.description !== 'string' || spec.description.trim() === '') {
        problems.push(`${where}: needs a description`);
        continue;
      }
      if (section === 'inputs' && spec.default !== undefined && typeof spec.default !== 'string') {
        problems.push(`${where}: default must be a string (quote it)`);
      }
      checkExpressions(spec, { where }, problems);
    }
  }
  const runs = action.runs;
  if (!isMapping(runs) || !ACTION_RUNTIMES.has(String(runs.using))) {
    problems.push(`${file}: runs.using must be one of ${[...ACTION_RUNTIMES].join(', ')}`);
  } else if (String(runs.using).startsWith('node')) {
    for (const key of ['main', 'pre', 'post'] as const) {
      if (key === 'main' && typeof runs.main !== 'string') problems.push(`${file}: runs.main is missing`);
      if (typeof runs[key] === 'string' && !existsSync(path.join(actionDir, runs[key] as string))) {
        problems.push(`${file}: runs.${key} '${runs[key] as string}' does not exist`);
      }
    }
  }
  return problems;
}
