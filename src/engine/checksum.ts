import { createHash } from 'node:crypto';

/** Contract §4.1: lower-case hex SHA-256 of the upgrade statements joined by `\n`. */
export function checksumOfStatements(statements: readonly string[]): string {
  return createHash('sha256').update(statements.join('\n'), 'utf8').digest('hex');
}
