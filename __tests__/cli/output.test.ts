import { Output, wantsColour } from '../../src/cli/output.js';
import { problemLine } from '../../src/cli/print.js';
import { redactor } from '../../src/report/redact.js';

function capture(isTTY = false): {
  sink: { write(chunk: string): boolean; isTTY: boolean };
  text: () => string;
} {
  let text = '';
  return { sink: { isTTY, write: (chunk: string) => ((text += chunk), true) }, text: () => text };
}

describe('colour', () => {
  it.each([
    [true, {}, false, true],
    [false, {}, false, false],
    [true, { NO_COLOR: '1' }, false, false],
    [true, { NO_COLOR: '' }, false, true],
    [true, {}, true, false],
  ])('tty=%s env=%j --no-color=%s → %s', (isTTY, env, flag, expected) => {
    expect(wantsColour(capture(isTTY).sink, env, flag)).toBe(expected);
  });
});

describe('Output', () => {
  it('redacts registered secrets and URL passwords on both channels', () => {
    redactor.add('hunter2-registered');
    const stdout = capture();
    const stderr = capture();
    const output = new Output(stdout.sink, stderr.sink, { stdout: false, stderr: false });
    output.print('token hunter2-registered');
    output.log('failed for mysql://app:other-pass@db/x');
    expect(stdout.text()).toBe('token ***\n');
    expect(stderr.text()).toBe('failed for mysql://app:***@db/x\n');
  });
});

describe('problemLine', () => {
  it('adds file:line only when the message does not name the file, and the fix command', () => {
    expect(
      problemLine({
        kind: 'missing-file',
        severity: 'error',
        message: 'Version 2 is missing.',
        fix: 'jetbase fix-files',
      }),
    ).toBe('Version 2 is missing. (fix: jetbase fix-files)');
    expect(
      problemLine({
        kind: 'trailing-comment',
        severity: 'warning',
        file: 'migrations/V1__a.sql',
        line: 3,
        message: 'Odd.',
      }),
    ).toBe('migrations/V1__a.sql:3: Odd.');
    expect(
      problemLine({
        kind: 'out-of-order',
        severity: 'error',
        file: 'migrations/V1__a.sql',
        message: 'migrations/V1__a.sql is low.',
      }),
    ).toBe('migrations/V1__a.sql is low.');
  });
});

describe('transient lines (a retry countdown)', () => {
  it('on a terminal the next line replaces it', () => {
    const stdout = capture(true);
    const stderr = capture(true);
    const output = new Output(stdout.sink, stderr.sink, { stdout: false, stderr: false });
    output.transient('retrying (attempt 1)');
    output.transient('retrying (attempt 2)');
    output.log('Error: gave up');
    expect(stderr.text()).toBe(
      'retrying (attempt 1)\r\u001b[2Kretrying (attempt 2)\r\u001b[2KError: gave up\n',
    );
  });

  it('in a log or a pipe every attempt keeps its own line', () => {
    const stdout = capture(false);
    const stderr = capture(false);
    const output = new Output(stdout.sink, stderr.sink, { stdout: false, stderr: false });
    output.transient('retrying (attempt 1)');
    output.transient('retrying (attempt 2)');
    expect(stderr.text()).toBe('retrying (attempt 1)\nretrying (attempt 2)\n');
  });
});
