/** The linter's public API. */
export { lintMigrations, type LintOptions } from './lint.js';
export { RULES, type Rule } from './rules.js';
export * from './types.js';
