/**
 * Runs one contender as a whole process, bounded: after `timeoutMs` its process group is killed and
 * the run reported as timed out, so a hung tool never stalls the bench. Output is kept up to a cap.
 * Times are on performance.now()'s clock, the one the counting proxy stamps messages with.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const OUTPUT_CAP = 1 << 20;
const live = new Set();
// A bench stopped by Ctrl-C or an exception leaves no contender behind (each is its own process group).
process.once('exit', () => {
  for (const pid of live) killGroup(pid);
});

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * @param {{ cmd: string, args?: string[], cwd?: string, env?: NodeJS.ProcessEnv }} command
 * @param {{ timeoutMs?: number }} [options]
 */
export function runProcess(command, { timeoutMs = 60_000 } = {}) {
  return new Promise((resolve) => {
    const out = { stdout: '', stderr: '' };
    const startedAt = performance.now();
    const child = spawn(command.cmd, command.args ?? [], {
      cwd: command.cwd,
      env: command.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let exitedAt;
    let timedOut = false;
    let spawnError;
    if (child.pid) live.add(child.pid);
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) killGroup(child.pid);
    }, timeoutMs);
    for (const stream of ['stdout', 'stderr'])
      child[stream].on('data', (chunk) => {
        // Keep the tail: the last lines say why a run failed.
        out[stream] = (out[stream] + chunk.toString('utf8')).slice(-OUTPUT_CAP);
      });
    child.once('exit', () => (exitedAt = performance.now()));
    let done = false;
    const finish = (code, signal) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      live.delete(child.pid);
      const end = exitedAt ?? performance.now();
      resolve({
        ok: code === 0 && !timedOut && !spawnError,
        code,
        signal,
        timedOut,
        stdout: out.stdout,
        stderr: spawnError ? `${out.stderr}${spawnError.message}` : out.stderr,
        startedAt,
        ms: end - startedAt,
      });
    };
    child.once('error', (error) => {
      spawnError = error;
      // Not started at all (ENOENT, EACCES): no 'close' is promised then.
      if (!child.pid) finish(null, null);
    });
    child.once('close', finish);
  });
}
