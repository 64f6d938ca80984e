import { createHash } from 'node:crypto';

/** Lower-case hex SHA-256 of the upgrade statements joined by `\n` (docs/format.md, "Checksums"). */
export function checksumOfStatements(statements: readonly string[]): string {
  return createHash('sha256').update(statements.join('\n'), 'utf8').digest('hex');
}
