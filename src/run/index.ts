/** The run layer: the one pipeline the CLI and the action call. */
export { failedRun, run, takesLock } from './run.js';
export { openTarget, skipOverrides } from './target.js';
export { progressFormatter, type ProgressLine } from './progress.js';
export { offlineValidation, NOT_CHECKED_OFFLINE, type BaseFiles, type OfflineReport } from './offline.js';
export type * from './types.js';
export { lintDialectOf, type LintRunReport } from './lint.js';
export * from './plan-hash.js';
