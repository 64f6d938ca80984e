/** The engine's public API: the only engine module the shells import. */
export * from './audit.js';
export * from './inspect.js';
export * from './migrate.js';
export { committedOnFailure } from './migration-file.js';
export * from './dialect.js';
export * from './discovery.js';
export * from './errors.js';
export { checksumOfStatements } from './checksum.js';
export type { HistoryRow, LockRow } from './history.js';
export { newProcessId } from './lock.js';
export type { MigrationType } from './names.js';
export { parseMigrationName } from './names.js';
export {
  buildPlan,
  executionOrder,
  hasErrors,
  type PendingMigration,
  type Plan,
  type SkipOptions,
} from './plan.js';
export { init, newMigration, timestampVersion, ENV_PY_TEMPLATE, MIGRATION_TEMPLATE } from './scaffold.js';
export { parseSqlFile, upgradeStatements, rollbackStatements } from './sql-file.js';
export * from './types.js';
export { compareVersions, versionKey, isValidVersion } from './version.js';
