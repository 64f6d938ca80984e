/**
 * The action's main step in-process, from src/ (no bundle): the runner's environment is set as
 * INPUT_* and GITHUB_* variables and the real @actions/core writes workflow commands to stdout and
 * the runner's files.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import * as core from '@actions/core';

import { run } from '../../src/action/main.js';
import {
  newFiles,
  runnerEnvironment,
  stepResult,
  type ActionRun,
  type ActionRunOptions,
} from './run-action.js';

export function workspace(
  files: Record<string, string>,
  envPy?: string,
): { root: string; jetbaseDir: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'jetbase-inproc-'));
  const jetbaseDir = path.join(root, 'jetbase');
  mkdirSync(path.join(jetbaseDir, 'migrations'), { recursive: true });
  for (const [name, text] of Object.entries(files))
    writeFileSync(path.join(jetbaseDir, 'migrations', name), text);
  if (envPy !== undefined) writeFileSync(path.join(jetbaseDir, 'env.py'), envPy);
  return { root, jetbaseDir };
}

/** Runs `run()` with the runner's environment in place of this process's, capturing stdout. */
export async function runInProcess(options: ActionRunOptions): Promise<ActionRun> {
  const files = newFiles();
  const env = runnerEnvironment(options, files);
  const saved = process.env;
  const savedExitCode = process.exitCode;
  const write = process.stdout.write.bind(process.stdout);
  let stdout = '';
  process.env = { ...env };
  process.exitCode = undefined;
  // core.summary keeps the first GITHUB_STEP_SUMMARY it saw; each run here has its own file.
  (core.summary as unknown as { _filePath?: string })._filePath = undefined;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  let code: number;
  try {
    await run();
    code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  } finally {
    process.stdout.write = write;
    process.env = saved;
    process.exitCode = savedExitCode;
  }
  return stepResult(files, { code, signal: null, stdout, stderr: '' });
}
