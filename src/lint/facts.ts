/** What an analyzer learns from one statement, whichever parser (or the keyword fallback) read it. */
import type { RuleId } from './types.js';

export interface Observation {
  readonly rule: RuleId;
  /** What it is about, for the message: `users`, `users.email`, `CREATE INDEX CONCURRENTLY`. */
  readonly subject: string;
  /** The table it locks, when the rule does not apply to a table the pending set created. */
  readonly lockedTable?: string;
}

export type StatementCategory = 'ddl' | 'dml' | 'other';

export interface StatementFacts {
  readonly observations: readonly Observation[];
  /** Tables the statement creates (lower case, without schema). */
  readonly creates: readonly string[];
  readonly category: StatementCategory;
}

export type Analysis =
  | { readonly kind: 'parsed'; readonly facts: readonly StatementFacts[] }
  /** The database's own grammar rejects it (PostgreSQL). */
  | { readonly kind: 'syntax-error'; readonly message: string }
  /** The parser could not read it; `facts` come from the keyword fallback. */
  | { readonly kind: 'not-analyzed'; readonly message: string; readonly facts: readonly StatementFacts[] };

/** `"Public"."Users"` → `users`: the last name part, unquoted, lower case. */
export function tableKey(parts: readonly string[]): string {
  return (parts[parts.length - 1] ?? '').replace(/^[`"[]|[`"\]]$/g, '').toLowerCase();
}
