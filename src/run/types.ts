/**
 * The run layer's request and result (docs/architecture.md, "The run layer"): what a shell asks for
 * and the one typed result it renders. Shells never parse a message, reconnect or re-read files
 * to learn what is in here.
 */
import type { ConfigOverrides, JetbaseConfig } from '../config/types.js';
import type {
  ChecksumsReport,
  CurrentReport,
  Dialect,
  EngineEvent,
  FilesReport,
  FixReport,
  HistoryReport,
  JetbaseError,
  LockStatusReport,
  Plan,
  RollbackReport,
  SkipOptions,
  StatusReport,
  UnlockReport,
  UpgradeReport,
  ValidationProblem,
} from '../engine/index.js';
import type { DialectName } from '../engine/dialect.js';
import type { LintReport } from '../lint/types.js';
import type { LintRunReport } from './lint.js';
import type { BaseFiles, OfflineReport } from './offline.js';
import type { VerifyReport } from '../verify/types.js';

/** A command that needs the database (init and new do not: the shells call the engine for those). */
export type DatabaseCommand =
  | {
      readonly name: 'upgrade';
      readonly count?: number;
      readonly toVersion?: string;
      readonly dryRun: boolean;
    }
  | {
      readonly name: 'rollback';
      readonly count?: number;
      readonly toVersion?: string;
      readonly dryRun: boolean;
    }
  | { readonly name: 'status' }
  | { readonly name: 'validate' }
  | { readonly name: 'history' }
  | { readonly name: 'current' }
  | { readonly name: 'lock-status' }
  | { readonly name: 'unlock' }
  | { readonly name: 'validate-checksums'; readonly fix: boolean }
  | { readonly name: 'validate-files'; readonly fix: boolean }
  | { readonly name: 'fix' }
  /** Offline when no database is reachable; the dialect from here or the URL. */
  | { readonly name: 'lint'; readonly dialect?: DialectName }
  /** Replays the chain (up, down, up) on the empty, disposable database at `url`. */
  | { readonly name: 'verify'; readonly url: string };

export type CommandName = DatabaseCommand['name'];

/** The report each command returns; `status` and `validate` are offline when no URL is configured and the shell allows it. */
export interface ReportsByCommand {
  readonly upgrade: UpgradeReport;
  readonly rollback: RollbackReport;
  readonly status: StatusReport | OfflineReport;
  readonly validate: StatusReport | OfflineReport;
  readonly history: HistoryReport;
  readonly current: CurrentReport;
  readonly 'lock-status': LockStatusReport;
  readonly unlock: UnlockReport;
  readonly 'validate-checksums': ChecksumsReport;
  readonly 'validate-files': FilesReport;
  readonly fix: FixReport;
  readonly lint: LintRunReport;
  readonly verify: VerifyReport;
}

export type CommandReport = ReportsByCommand[CommandName];

/** Progress while a run goes on: the engine's events plus the run layer's own. */
export type ProgressEvent =
  | EngineEvent
  | { readonly type: 'notice'; readonly message: string }
  /** The engine could not release the lock (its connection died); a new connection did. */
  | { readonly type: 'lock-released-on-new-connection' }
  /** Neither could: the lock stays held by this run's process id. */
  | { readonly type: 'lock-release-failed'; readonly error: string };

export interface Target {
  readonly jetbaseDir: string;
  readonly config: JetbaseConfig;
  /** Undefined when no URL is configured anywhere. */
  readonly dialect: Dialect | undefined;
  /** The skip flags as configured (inputs and flags are overrides, so they are in here). */
  readonly skip: SkipOptions;
}

/** Why a run validated offline instead of against the database. */
export type OfflineReason =
  /** No URL anywhere (input or flag, JETBASE_SQLALCHEMY_URL, env.py, jetbase.toml, pyproject.toml). */
  | { readonly kind: 'no-url' }
  /** env.py needs Python to be read, and running repository code is not allowed here. */
  | { readonly kind: 'env-py-not-executed'; readonly detail: string }
  /** env.py reads an environment variable that is not set (a fork PR gets no secrets). */
  | { readonly kind: 'env-py-missing-variable'; readonly detail: string };

export interface OfflineOption {
  /** The base branch's migration files, for the order and duplicate checks. */
  readonly baseFiles: () => Promise<BaseFiles>;
  /** Also validate offline when env.py fails on a missing environment variable (fork PRs). */
  readonly whenEnvPyLacksVariable: boolean;
}

export interface RunRequest<C extends DatabaseCommand = DatabaseCommand> {
  readonly jetbaseDir: string;
  readonly command: C;
  /** Where JETBASE_* settings come from. */
  readonly env: NodeJS.ProcessEnv;
  /** Flags or inputs: they win over every other configuration layer. */
  readonly overrides: ConfigOverrides;
  /** The environment a dynamic env.py runs with (default: `env`). */
  readonly envPyEnvironment?: NodeJS.ProcessEnv;
  /** Set when repository code must not run here: env.py is then read statically only. */
  readonly forbidEnvPyExecution?: { readonly reason: string };
  readonly signal?: AbortSignal;
  readonly lockTimeoutMs?: number;
  readonly connectRetryMs?: number;
  /** The lock holder id; the action passes one so it can save it before the lock is requested. */
  readonly processId?: string;
  /**
   * When the engine could not release the lock (its connection died), release it on a new
   * connection at once. The action wants this (else only its post step would); the CLI leaves
   * the lock to the next run, which takes it over once the dead session is provably gone.
   */
  readonly releaseLockOnNewConnection?: boolean;
  readonly onProgress?: (event: ProgressEvent) => void;
  /** Called once per run with every secret registered for redaction (the action masks them for the runner too). */
  readonly onSecrets?: (secrets: readonly string[]) => void;
  /** Called once the target is known, before anything connects. */
  readonly onTarget?: (target: Target) => void;
  /**
   * upgrade only: called with the plan picked under the lock, before anything runs; an error
   * returned stops the upgrade with nothing applied (a deploy that must match a reviewed plan).
   */
  readonly approvePlan?: (plan: Plan, target: Target) => JetbaseError | undefined;
  /** When given, `status`/`validate` without a database validate the files alone; else a URL is required. */
  readonly offline?: OfflineOption;
  /** `status`/`validate` also lint the pending files (RunResult.lint); `dialect` when no URL says it. */
  readonly lint?: { readonly dialect?: DialectName };
}

/** A run that stopped before the engine could report: configuration, the lock held, a connection. */
export interface FailedRun {
  readonly command: 'error';
  readonly code: string;
  /** Redacted. */
  readonly message: string;
  readonly hint?: string;
  /** When validation stopped it (bad file names before an upgrade): every problem. */
  readonly problems?: readonly ValidationProblem[];
  /** The error itself, for a debug stack; never rendered. */
  readonly error: JetbaseError | Error;
}

export interface RunResult<C extends DatabaseCommand = DatabaseCommand> {
  /** Undefined when the configuration could not be resolved. */
  readonly target: Target | undefined;
  readonly outcome: ReportsByCommand[C['name']] | FailedRun;
  /** A writing command: the lock is still held by this run (its release failed, or was not retried on a new connection). */
  readonly lockLeftHeld: boolean;
  /** The findings on the pending files, when the request asked for `lint` and the dialect is known. */
  readonly lint?: LintReport;
}
