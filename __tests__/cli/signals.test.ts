import { Output } from '../../src/cli/output.js';
import { CancellationGuard } from '../../src/cli/signals.js';

function capture(): { sink: { write(chunk: string): boolean }; text: () => string } {
  let text = '';
  return { sink: { write: (chunk: string) => ((text += chunk), true) }, text: () => text };
}

describe('CancellationGuard', () => {
  it('first signal aborts, second exits at once naming jetbase unlock', () => {
    const stderr = capture();
    const output = new Output(capture().sink, stderr.sink, { stdout: false, stderr: false });
    const exits: number[] = [];
    const guard = new CancellationGuard(output, (code) => exits.push(code));
    guard.install();
    try {
      process.emit('SIGINT', 'SIGINT');
      expect(guard.signal.aborted).toBe(true);
      expect(guard.exitCode).toBe(130);
      expect(stderr.text()).toBe('Cancelling: finishing the current step and releasing the lock…\n');
      expect(exits).toEqual([]);
      process.emit('SIGTERM', 'SIGTERM');
      expect(exits).toEqual([143]);
      expect(stderr.text()).toContain("'jetbase unlock'");
    } finally {
      guard.dispose();
    }
    expect(process.listenerCount('SIGINT')).toBe(0);
  });
});
