/**
 * Runs the bundled action the way the runner does: `node24 dist/index.js` from a copy of the action
 * that has no node_modules (the runner downloads the repository, nothing else), with INPUT_* per
 * input (upper-cased, spaces → '_', dashes kept), the event payload at GITHUB_EVENT_PATH, and the
 * GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_STATE files. The post step gets `STATE_<name>` for
 * every value the main step saved, as the runner passes them.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const NODE24 = path.join(REPO_ROOT, 'node_modules/node/bin/node');
const DIST_ENTRY = path.join(REPO_ROOT, 'dist/index.js');

let isolatedAction: string | undefined;

/** dist/ and action.yml copied outside the repository, so nothing can resolve from node_modules. */
export function actionCopy(): string {
  if (isolatedAction) return isolatedAction;
  if (!existsSync(DIST_ENTRY)) {
    throw new Error('dist/index.js is missing: run `npm run bundle` first (scripts/test.sh does).');
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'jetbase-action-'));
  cpSync(path.join(REPO_ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
  cpSync(path.join(REPO_ROOT, 'action.yml'), path.join(dir, 'action.yml'));
  isolatedAction = dir;
  return dir;
}

export interface ActionRunOptions {
  readonly inputs?: Readonly<Record<string, string>>;
  readonly eventName: string;
  /** Payload object, written to a file for GITHUB_EVENT_PATH. */
  readonly payload: unknown;
  readonly workspace: string;
  readonly apiUrl?: string;
  readonly sha?: string;
  readonly ref?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** For the post step: the saved state, passed as STATE_<name>. */
  readonly state?: Readonly<Record<string, string>>;
  /** Reuse the files of an earlier run (main → post share GITHUB_STATE etc.). */
  readonly files?: RunnerFiles;
  /** Send a signal once stdout matches. */
  readonly signalWhen?: { readonly pattern: RegExp; readonly signal: NodeJS.Signals };
  readonly timeoutMs?: number;
}

export interface RunnerFiles {
  readonly dir: string;
  readonly output: string;
  readonly summary: string;
  readonly state: string;
  readonly event: string;
}

export interface ActionRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
  readonly state: Record<string, string>;
  readonly stateFile: string;
  readonly files: RunnerFiles;
}

export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** `name<<delimiter\nvalue\ndelimiter` blocks, as core writes GITHUB_OUTPUT and GITHUB_STATE. */
export function parseFileCommands(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (!match) continue;
    const [, name, delimiter] = match;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!);
    result[name!] = value.join('\n');
  }
  return result;
}

export function newFiles(): RunnerFiles {
  const dir = mkdtempSync(path.join(tmpdir(), 'jetbase-runner-'));
  const files = {
    dir,
    output: path.join(dir, 'output.txt'),
    summary: path.join(dir, 'summary.md'),
    state: path.join(dir, 'state.txt'),
    event: path.join(dir, 'event.json'),
  };
  for (const file of [files.output, files.summary, files.state]) writeFileSync(file, '');
  mkdirSync(path.join(dir, 'temp'));
  return files;
}

/** The environment the runner gives a step: GITHUB_*, the runner's files, INPUT_* and STATE_*. */
export function runnerEnvironment(options: ActionRunOptions, files: RunnerFiles): Record<string, string> {
  writeFileSync(files.event, JSON.stringify(options.payload, null, 2));
  // A post run appends to the same files; outputs are read fresh per run.
  writeFileSync(files.output, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_SHA: options.sha ?? 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00',
    GITHUB_REF: options.ref ?? 'refs/pull/12/merge',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: options.apiUrl ?? 'http://127.0.0.1:9',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_STATE: files.state,
    RUNNER_TEMP: path.join(files.dir, 'temp'),
    SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true',
    DATABRICKS_TELEMETRY_DISABLED: '1',
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs ?? {})) env[inputEnvName(name)] = value;
  for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value;
  return env;
}

/** What a finished step left in the runner's files. */
export function stepResult(
  files: RunnerFiles,
  run: Pick<ActionRun, 'code' | 'signal' | 'stdout' | 'stderr'>,
): ActionRun {
  return {
    ...run,
    outputs: parseFileCommands(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
    state: parseFileCommands(readFileSync(files.state, 'utf8')),
    stateFile: readFileSync(files.state, 'utf8'),
    files,
  };
}

export async function runAction(options: ActionRunOptions): Promise<ActionRun> {
  const files = options.files ?? newFiles();
  const env = runnerEnvironment(options, files);

  const child = spawn(NODE24, [path.join(actionCopy(), 'dist/index.js')], {
    cwd: options.workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let signalled = false;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    if (options.signalWhen && !signalled && options.signalWhen.pattern.test(stdout)) {
      signalled = true;
      child.kill(options.signalWhen.signal);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const timeout = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 45_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (c, s) => resolve([c, s])),
  );
  clearTimeout(timeout);
  return stepResult(files, { code, signal, stdout, stderr });
}

/** Workflow commands (`::error file=…,line=…::message`) in stdout. */
export function workflowCommands(
  stdout: string,
  command: string,
): { properties: Record<string, string>; message: string }[] {
  const found: { properties: Record<string, string>; message: string }[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const match = new RegExp(`^::${command}(?: ([^:]*))?::(.*)$`).exec(line);
    if (!match) continue;
    const properties: Record<string, string> = {};
    for (const pair of (match[1] ?? '').split(',').filter(Boolean)) {
      const eq = pair.indexOf('=');
      properties[pair.slice(0, eq)] = decodeURIComponent(pair.slice(eq + 1));
    }
    found.push({
      properties,
      message: match[2]!.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%'),
    });
  }
  return found;
}

export function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

export const EVENTS_DIR = path.join(REPO_ROOT, '__tests__/fixtures/action/events');

export function eventPayload(
  name: 'pull_request' | 'pull_request_fork' | 'push_main' | 'workflow_dispatch',
): Record<string, unknown> {
  return readJson(path.join(EVENTS_DIR, `${name}.json`));
}
