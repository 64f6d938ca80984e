/** The action's main step in-process, from src/ (no bundle), with the runner's environment as INPUT_* and GITHUB_*. */
import { run } from '../../src/action/main.js';
import {
  newFiles,
  runnerEnvironment,
  stepResult,
  type ActionRun,
  type ActionRunOptions,
} from './run-action.js';

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
