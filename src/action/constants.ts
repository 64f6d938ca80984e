/**
 * Names shared with action.yml, in one place (the actions/cache pattern). A test asserts that these
 * and action.yml agree, defaults included, so neither can drift from the other.
 */

export const Inputs = {
  DatabaseUrl: 'database-url',
  Directory: 'directory',
  Command: 'command',
  DryRun: 'dry-run',
  Count: 'count',
  ToVersion: 'to-version',
  SkipValidation: 'skip-validation',
  SkipChecksumValidation: 'skip-checksum-validation',
  SkipFileValidation: 'skip-file-validation',
  PostgresSchema: 'postgres-schema',
  SnowflakePrivateKey: 'snowflake-private-key',
  SnowflakePrivateKeyPassword: 'snowflake-private-key-password',
  AsyncMode: 'async-mode',
  LockTimeout: 'lock-timeout',
  ConnectTimeout: 'connect-timeout',
  Comment: 'comment',
  Summary: 'summary',
  GithubToken: 'github-token',
  Environment: 'environment',
  Lint: 'lint',
  RequireReviewedPlan: 'require-reviewed-plan',
  VerifyDatabaseUrl: 'verify-database-url',
} as const;
export type InputName = (typeof Inputs)[keyof typeof Inputs];

/**
 * Defaults as action.yml declares them. The runner always passes them; they are repeated here only
 * so a run without the runner (tests, `node dist/index.js` by hand) behaves the same.
 */
export const InputDefaults: Readonly<Record<InputName, string>> = {
  'database-url': '',
  directory: 'jetbase',
  command: 'auto',
  'dry-run': 'false',
  count: '',
  'to-version': '',
  'skip-validation': 'false',
  'skip-checksum-validation': 'false',
  'skip-file-validation': 'false',
  'postgres-schema': '',
  'snowflake-private-key': '',
  'snowflake-private-key-password': '',
  'async-mode': 'false',
  'lock-timeout': '60',
  'connect-timeout': '30',
  comment: 'true',
  summary: 'true',
  'github-token': '${{ github.token }}',
  environment: '',
  lint: 'error',
  'require-reviewed-plan': 'false',
  'verify-database-url': '',
};

export const Outputs = {
  Result: 'result',
  AppliedCount: 'applied-count',
  PendingCount: 'pending-count',
  CurrentVersion: 'current-version',
  Drift: 'drift',
  Report: 'report',
  RiskCount: 'risk-count',
  PlanHash: 'plan-hash',
  Verified: 'verified',
} as const;
export type OutputName = (typeof Outputs)[keyof typeof Outputs];

/** Saved with core.saveState in the main step, read as STATE_<name> by the post step. */
export const State = {
  /** Set by the main step: the same bundle then runs as the post step (actions/checkout's pattern). */
  IsPost: 'isPost',
  /** The lock holder id, saved before the lock is requested. */
  LockProcessId: 'lockProcessId',
  /** `true` once the main step knows the lock is released (nothing for the post step to do). */
  LockReleased: 'lockReleased',
  /** The redacted target (no password), for the post step's messages. */
  LockTarget: 'lockTarget',
} as const;

export const LINT_MODES = ['error', 'warn', 'off'] as const;
export type LintMode = (typeof LINT_MODES)[number];

export const COMMANDS = ['auto', 'validate', 'upgrade', 'rollback', 'status'] as const;
export type CommandInput = (typeof COMMANDS)[number];
export type ResolvedCommand = Exclude<CommandInput, 'auto'>;
