/**
 * MySQL, SQLite, Snowflake and Databricks statements read with sqlparser-rs (WebAssembly). Only the
 * top-level statement is looked at: a trigger's body runs later, row by row, not when the file runs.
 */
import type { DialectName } from '../engine/dialect.js';
import {
  tableKey,
  type Analysis,
  type Observation,
  type StatementCategory,
  type StatementFacts,
} from './facts.js';
import { lexicalFacts } from './lexical.js';
import { baselineWasmOnly } from './wasm.js';

type Node = Record<string, unknown>;

interface SqlParser {
  parse(sql: string, dialect: string): unknown[];
}

let loading: Promise<SqlParser> | undefined;

/** Loads the WebAssembly parser once, on first use (never when lint does not run). */
export function loadSqlParser(): Promise<SqlParser> {
  loading ??= baselineWasmOnly()
    .then(() => import('@guanmingchiu/sqlparser-ts'))
    .then(async (module) => {
      await module.init();
      return { parse: (sql, dialect) => module.parse(sql, dialect as Parameters<typeof module.parse>[1]) };
    });
  return loading;
}

const asNode = (value: unknown): Node | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Node) : undefined;
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** `[{Identifier: {value}}]` → `users`. */
function nameOf(name: unknown): string {
  return tableKey(
    asList(name).map((part) => {
      const node = asNode(part);
      const ident = asNode(node?.['Identifier']) ?? node;
      return String(ident?.['value'] ?? '');
    }),
  );
}

const DML = new Set(['Insert', 'Update', 'Delete', 'Merge', 'Query', 'Copy', 'CopyIntoSnowflake']);
const DDL_PREFIX = /^(Create|Alter|Drop|Truncate|Rename|Comment|Grant|Revoke|Undrop)/;

function alterTable(stmt: Node, dialect: DialectName): Observation[] {
  const table = nameOf(stmt['name']);
  const observations: Observation[] = [];
  for (const operation of asList(stmt['operations'])) {
    const [type, value] = Object.entries(asNode(operation) ?? { '': null })[0] ?? ['', null];
    const body = asNode(value);
    if (type === 'DropColumn') observations.push({ rule: 'drop-column', subject: table });
    if (type === 'RenameColumn') observations.push({ rule: 'rename-column', subject: table });
    if (type === 'RenameTable') observations.push({ rule: 'rename-table', subject: table });
    if (dialect !== 'mysql') continue;
    if (type === 'ModifyColumn') observations.push({ rule: 'alter-column-type', subject: table });
    if (type === 'ChangeColumn') {
      observations.push({ rule: 'alter-column-type', subject: table });
      const oldName = String(asNode(body?.['old_name'])?.['value'] ?? '');
      const newName = String(asNode(body?.['new_name'])?.['value'] ?? '');
      if (oldName.toLowerCase() !== newName.toLowerCase())
        observations.push({ rule: 'rename-column', subject: table });
    }
    if (type === 'AlterColumn' && asNode(asNode(body?.['op'])?.['SetDataType']))
      observations.push({ rule: 'alter-column-type', subject: table });
  }
  return observations;
}

function factsOf(statement: unknown, dialect: DialectName): StatementFacts {
  const [type, value] = Object.entries(asNode(statement) ?? {})[0] ?? [String(statement), null];
  const stmt = asNode(value) ?? {};
  const category: StatementCategory = DML.has(type) ? 'dml' : DDL_PREFIX.test(type) ? 'ddl' : 'other';
  const observations: Observation[] = [];
  const creates: string[] = [];
  switch (type) {
    case 'CreateTable': {
      const table = nameOf(stmt['name']);
      creates.push(table);
      if (stmt['or_replace'] === true && (dialect === 'snowflake' || dialect === 'databricks'))
        observations.push({ rule: 'create-or-replace-table', subject: table });
      break;
    }
    case 'Drop': {
      const subject = asList(stmt['names']).map(nameOf).join(', ');
      if (stmt['object_type'] === 'Table') observations.push({ rule: 'drop-table', subject });
      if (stmt['object_type'] === 'Schema' || stmt['object_type'] === 'Database')
        observations.push({ rule: 'drop-schema', subject });
      break;
    }
    case 'Truncate':
      observations.push({
        rule: 'truncate',
        subject: asList(stmt['table_names'])
          .map((t) => nameOf(asNode(t)?.['name']))
          .join(', '),
      });
      break;
    case 'Delete':
      if (stmt['selection'] === undefined || stmt['selection'] === null)
        observations.push({ rule: 'delete-without-where', subject: '' });
      break;
    case 'Update':
      if (stmt['selection'] === undefined || stmt['selection'] === null)
        observations.push({ rule: 'update-without-where', subject: '' });
      break;
    case 'AlterTable':
      observations.push(...alterTable(stmt, dialect));
      break;
    case 'RenameTable':
      observations.push({
        rule: 'rename-table',
        subject: asList(value)
          .map((pair) => nameOf(asNode(pair)?.['old_name']))
          .join(', '),
      });
      break;
    case 'Vacuum':
      if (dialect === 'sqlite') observations.push({ rule: 'non-transactional-statement', subject: 'VACUUM' });
      break;
  }
  return { observations, creates, category };
}

export function analyzeWithSqlParser(parser: SqlParser, sql: string, dialect: DialectName): Analysis {
  try {
    const statements = parser.parse(sql, dialect);
    return { kind: 'parsed', facts: statements.map((statement) => factsOf(statement, dialect)) };
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/^sql parser error: /, '') : String(error);
    return { kind: 'not-analyzed', message, facts: [lexicalFacts(sql, dialect)] };
  }
}
