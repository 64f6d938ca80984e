import { parseCliArgs, type Invocation } from '../../src/cli/args.js';
import { UsageError } from '../../src/engine/errors.js';

const NO_SKIP = { skipValidation: false, skipChecksumValidation: false, skipFileValidation: false };
const DEFAULTS = { json: false, noColor: false };

describe('parseCliArgs: commands and their options', () => {
  const cases: Array<[string, readonly string[], Invocation]> = [
    ['no arguments: help', [], { kind: 'help' }],
    ['global --help', ['--help'], { kind: 'help' }],
    ['global -h', ['-h'], { kind: 'help' }],
    ['tool version', ['--version'], { kind: 'version' }],
    ['per-command help', ['upgrade', '--help'], { kind: 'help', command: 'upgrade' }],
    ['per-command -h', ['new', '-h'], { kind: 'help', command: 'new' }],
    ['init', ['init'], { kind: 'run', command: { name: 'init' }, options: DEFAULTS }],
    [
      'new',
      ['new', 'create users'],
      { kind: 'run', command: { name: 'new', description: 'create users' }, options: DEFAULTS },
    ],
    // `-v` and `--version` after `new` are the migration's version, not the tool's.
    [
      'new -v',
      ['new', 'x', '-v', '1.5'],
      { kind: 'run', command: { name: 'new', description: 'x', version: '1.5' }, options: DEFAULTS },
    ],
    [
      'new --version',
      ['new', '--version', '3_1', 'x'],
      { kind: 'run', command: { name: 'new', description: 'x', version: '3_1' }, options: DEFAULTS },
    ],
    [
      'upgrade',
      ['upgrade'],
      { kind: 'run', command: { name: 'upgrade', dryRun: false, ...NO_SKIP }, options: DEFAULTS },
    ],
    [
      'upgrade -c 3 -d',
      ['upgrade', '-c', '3', '-d'],
      { kind: 'run', command: { name: 'upgrade', count: 3, dryRun: true, ...NO_SKIP }, options: DEFAULTS },
    ],
    [
      'upgrade --count=2 --to-version 2_1',
      ['upgrade', '--count=2', '--to-version', '2_1'],
      // Both given: the engine rejects the combination with Jetbase's message.
      {
        kind: 'run',
        command: { name: 'upgrade', count: 2, toVersion: '2_1', dryRun: false, ...NO_SKIP },
        options: DEFAULTS,
      },
    ],
    [
      'upgrade --count -1 (a negative number, not an option)',
      ['upgrade', '--count', '-1'],
      { kind: 'run', command: { name: 'upgrade', count: -1, dryRun: false, ...NO_SKIP }, options: DEFAULTS },
    ],
    [
      'upgrade -c -1',
      ['upgrade', '-c', '-1'],
      { kind: 'run', command: { name: 'upgrade', count: -1, dryRun: false, ...NO_SKIP }, options: DEFAULTS },
    ],
    [
      'upgrade skip flags',
      ['upgrade', '--skip-validation', '--skip-checksum-validation', '--skip-file-validation'],
      {
        kind: 'run',
        command: {
          name: 'upgrade',
          dryRun: false,
          skipValidation: true,
          skipChecksumValidation: true,
          skipFileValidation: true,
        },
        options: DEFAULTS,
      },
    ],
    [
      'rollback -t 2',
      ['rollback', '-t', '2'],
      { kind: 'run', command: { name: 'rollback', toVersion: '2', dryRun: false }, options: DEFAULTS },
    ],
    [
      'rollback --dry-run -c 2',
      ['rollback', '--dry-run', '-c', '2'],
      { kind: 'run', command: { name: 'rollback', count: 2, dryRun: true }, options: DEFAULTS },
    ],
    ['status', ['status'], { kind: 'run', command: { name: 'status', ...NO_SKIP }, options: DEFAULTS }],
    [
      'validate',
      ['validate', '--skip-file-validation'],
      { kind: 'run', command: { name: 'validate', ...NO_SKIP, skipFileValidation: true }, options: DEFAULTS },
    ],
    ['history', ['history'], { kind: 'run', command: { name: 'history' }, options: DEFAULTS }],
    ['current', ['current'], { kind: 'run', command: { name: 'current' }, options: DEFAULTS }],
    ['lock-status', ['lock-status'], { kind: 'run', command: { name: 'lock-status' }, options: DEFAULTS }],
    ['unlock', ['unlock'], { kind: 'run', command: { name: 'unlock' }, options: DEFAULTS }],
    [
      'validate-checksums',
      ['validate-checksums'],
      { kind: 'run', command: { name: 'validate-checksums', fix: false }, options: DEFAULTS },
    ],
    [
      'validate-checksums -f',
      ['validate-checksums', '-f'],
      { kind: 'run', command: { name: 'validate-checksums', fix: true }, options: DEFAULTS },
    ],
    [
      'validate-files --fix',
      ['validate-files', '--fix'],
      { kind: 'run', command: { name: 'validate-files', fix: true }, options: DEFAULTS },
    ],
    [
      'fix-checksums',
      ['fix-checksums'],
      { kind: 'run', command: { name: 'fix-checksums' }, options: DEFAULTS },
    ],
    ['fix-files', ['fix-files'], { kind: 'run', command: { name: 'fix-files' }, options: DEFAULTS }],
    ['fix', ['fix'], { kind: 'run', command: { name: 'fix' }, options: DEFAULTS }],
    [
      'global options after the command',
      [
        'history',
        '--dir',
        'db/jetbase',
        '--url',
        'sqlite:///x.db',
        '--json',
        '--no-color',
        '--postgres-schema',
        'app',
        '--lock-timeout',
        '1.5',
      ],
      {
        kind: 'run',
        command: { name: 'history' },
        options: {
          dir: 'db/jetbase',
          url: 'sqlite:///x.db',
          json: true,
          noColor: true,
          postgresSchema: 'app',
          lockTimeoutSeconds: 1.5,
        },
      },
    ],
    [
      'global options before the command (their values are not the command)',
      ['--dir', 'status', '--url=sqlite:///x.db', 'current'],
      {
        kind: 'run',
        command: { name: 'current' },
        options: { dir: 'status', url: 'sqlite:///x.db', json: false, noColor: false },
      },
    ],
  ];

  it.each(cases)('%s', (_label, argv, expected) => {
    expect(parseCliArgs(argv)).toEqual(expected);
  });
});

describe('parseCliArgs: usage errors (exit code 2)', () => {
  const cases: Array<[string, readonly string[], RegExp]> = [
    ['unknown command', ['upgrad'], /No such command 'upgrad'/],
    ['unknown option', ['upgrade', '--bogus'], /No such option: --bogus/],
    ['option of another command', ['status', '--count', '1'], /No such option: --count/],
    ['tool --version after a command', ['upgrade', '--version'], /No such option: --version/],
    ['new without a description', ['new'], /^Missing argument 'DESCRIPTION'\.$/],
    ['new with two descriptions', ['new', 'a', 'b'], /unexpected extra argument \(b\)/],
    ['extra argument', ['status', 'now'], /unexpected extra argument \(now\)/],
    [
      'count not an integer',
      ['upgrade', '-c', 'three'],
      /Invalid value for '--count' \/ '-c': 'three' is not a valid integer/,
    ],
    ['count a fraction', ['rollback', '--count', '1.5'], /not a valid integer/],
    ['count without value', ['upgrade', '--count'], /--count/],
    ['negative lock timeout', ['upgrade', '--lock-timeout', '-1'], /--lock-timeout/],
    ['lock timeout not a number', ['upgrade', '--lock-timeout', 'soon'], /--lock-timeout/],
    ['only options', ['--json'], /Missing command/],
  ];

  it.each(cases)('%s', (_label, argv, message) => {
    let thrown: unknown;
    try {
      parseCliArgs(argv);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as UsageError).code).toBe('USAGE');
    expect((thrown as UsageError).message).toMatch(message);
  });
});
