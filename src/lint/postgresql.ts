/** PostgreSQL statements read with libpg-query: the server's own grammar compiled to WebAssembly. */
import { baselineWasmOnly } from './wasm.js';
import { tableKey, type Analysis, type Observation, type StatementFacts } from './facts.js';

/** A node of libpg-query's JSON tree: `{ TypeName: { …fields } }`, read defensively. */
type Node = Record<string, unknown>;

interface PgParser {
  parseSync(query: string): { stmts?: { stmt?: Node }[] };
}

let loading: Promise<PgParser> | undefined;

/** Loads the WebAssembly parser once, on first use (never when lint does not run). */
export function loadPostgresParser(): Promise<PgParser> {
  loading ??= baselineWasmOnly()
    .then(() => import('libpg-query'))
    .then(async (module) => {
      await module.loadModule();
      return module as PgParser;
    });
  return loading;
}

const asNode = (value: unknown): Node | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Node) : undefined;
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
/** `{ Constraint: {...} }` → its fields, when the node is of that type. */
const inner = (value: unknown, type: string): Node | undefined => asNode(asNode(value)?.[type]);

function relationName(relation: unknown): string {
  const node = asNode(relation);
  return tableKey([String(node?.['relname'] ?? '')]);
}

/** Functions whose default makes ADD COLUMN rewrite the table (volatile; now() and friends are stable). */
const VOLATILE_FUNCTIONS = new Set([
  'random',
  'gen_random_uuid',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'uuidv4',
  'uuidv7',
  'clock_timestamp',
  'timeofday',
  'nextval',
  'txid_current',
]);

function callsVolatile(expr: unknown): boolean {
  const call = inner(expr, 'FuncCall');
  if (call) {
    const names = asList(call['funcname']).map((name) => String(inner(name, 'String')?.['sval'] ?? ''));
    if (VOLATILE_FUNCTIONS.has(names[names.length - 1] ?? '')) return true;
  }
  // Look inside casts, operators and nested calls.
  if (expr !== null && typeof expr === 'object')
    return Object.values(expr as Node).some((child) => typeof child === 'object' && callsVolatile(child));
  return false;
}

function alterTableObservations(stmt: Node): Observation[] {
  const table = relationName(stmt['relation']);
  if (stmt['objtype'] !== undefined && stmt['objtype'] !== 'OBJECT_TABLE') return [];
  const observations: Observation[] = [];
  for (const item of asList(stmt['cmds'])) {
    const cmd = inner(item, 'AlterTableCmd');
    if (!cmd) continue;
    const column = `${table}.${String(cmd['name'] ?? '')}`;
    switch (cmd['subtype']) {
      case 'AT_DropColumn':
        observations.push({ rule: 'drop-column', subject: column });
        break;
      case 'AT_SetNotNull':
        observations.push({ rule: 'set-not-null', subject: column, lockedTable: table });
        break;
      case 'AT_AlterColumnType':
        observations.push({ rule: 'alter-column-type', subject: column, lockedTable: table });
        break;
      case 'AT_AddConstraint': {
        const constraint = inner(cmd['def'], 'Constraint');
        const type = constraint?.['contype'];
        if (
          (type === 'CONSTR_FOREIGN' || type === 'CONSTR_CHECK') &&
          constraint?.['skip_validation'] !== true
        )
          observations.push({
            rule: 'constraint-not-valid',
            subject: `${table} (${type === 'CONSTR_FOREIGN' ? 'foreign key' : 'check'})`,
            lockedTable: table,
          });
        break;
      }
      case 'AT_AddColumn': {
        const def = inner(cmd['def'], 'ColumnDef');
        const name = `${table}.${String(def?.['colname'] ?? '')}`;
        const constraints = asList(def?.['constraints']).map((c) => inner(c, 'Constraint') ?? {});
        const defaults = constraints.filter((c) => c['contype'] === 'CONSTR_DEFAULT');
        const required = constraints.some(
          (c) => c['contype'] === 'CONSTR_NOTNULL' || c['contype'] === 'CONSTR_PRIMARY',
        );
        const generated = constraints.some(
          (c) => c['contype'] === 'CONSTR_GENERATED' || c['contype'] === 'CONSTR_IDENTITY',
        );
        if (required && defaults.length === 0 && !generated)
          observations.push({ rule: 'add-required-column', subject: name, lockedTable: table });
        if (defaults.some((c) => callsVolatile(c['raw_expr'])))
          observations.push({ rule: 'add-column-volatile-default', subject: name, lockedTable: table });
        break;
      }
    }
  }
  return observations;
}

const hasConcurrentlyOption = (params: unknown): boolean =>
  asList(params).some((param) => inner(param, 'DefElem')?.['defname'] === 'concurrently');

function factsOf(node: Node): StatementFacts {
  const [type, value] = Object.entries(node)[0] ?? ['', {}];
  const stmt = asNode(value) ?? {};
  const observations: Observation[] = [];
  const creates: string[] = [];
  const nonTransactional = (subject: string) =>
    observations.push({ rule: 'non-transactional-statement', subject });
  switch (type) {
    case 'CreateStmt':
      creates.push(relationName(stmt['relation']));
      break;
    case 'CreateTableAsStmt':
      creates.push(relationName(inner(stmt['into'], 'IntoClause')?.['rel'] ?? asNode(stmt['into'])?.['rel']));
      break;
    case 'DropStmt': {
      const names = asList(stmt['objects']).map((object) =>
        tableKey(
          asList(inner(object, 'List')?.['items']).map((item) =>
            String(inner(item, 'String')?.['sval'] ?? ''),
          ),
        ),
      );
      const subject = names.join(', ');
      if (stmt['removeType'] === 'OBJECT_TABLE') observations.push({ rule: 'drop-table', subject });
      if (stmt['removeType'] === 'OBJECT_SCHEMA') observations.push({ rule: 'drop-schema', subject });
      if (stmt['removeType'] === 'OBJECT_INDEX' && stmt['concurrent'] === true)
        nonTransactional('DROP INDEX CONCURRENTLY');
      break;
    }
    case 'DropdbStmt':
      observations.push({ rule: 'drop-schema', subject: String(stmt['dbname'] ?? '') });
      nonTransactional('DROP DATABASE');
      break;
    case 'CreatedbStmt':
      nonTransactional('CREATE DATABASE');
      break;
    case 'AlterSystemStmt':
      nonTransactional('ALTER SYSTEM');
      break;
    case 'CreateTableSpaceStmt':
      nonTransactional('CREATE TABLESPACE');
      break;
    case 'DropTableSpaceStmt':
      nonTransactional('DROP TABLESPACE');
      break;
    case 'VacuumStmt':
      if (stmt['is_vacuumcmd'] === true) nonTransactional('VACUUM');
      break;
    case 'ReindexStmt':
      if (hasConcurrentlyOption(stmt['params'])) nonTransactional('REINDEX CONCURRENTLY');
      break;
    case 'IndexStmt': {
      const table = relationName(stmt['relation']);
      if (stmt['concurrent'] === true) nonTransactional('CREATE INDEX CONCURRENTLY');
      else observations.push({ rule: 'create-index-not-concurrently', subject: table, lockedTable: table });
      break;
    }
    case 'TruncateStmt':
      observations.push({
        rule: 'truncate',
        subject: asList(stmt['relations'])
          .map((r) => relationName(inner(r, 'RangeVar')))
          .join(', '),
      });
      break;
    case 'DeleteStmt':
      if (stmt['whereClause'] === undefined)
        observations.push({ rule: 'delete-without-where', subject: relationName(stmt['relation']) });
      break;
    case 'UpdateStmt':
      if (stmt['whereClause'] === undefined)
        observations.push({ rule: 'update-without-where', subject: relationName(stmt['relation']) });
      break;
    case 'AlterTableStmt':
      observations.push(...alterTableObservations(stmt));
      break;
    case 'RenameStmt':
      if (stmt['renameType'] === 'OBJECT_COLUMN' && stmt['relationType'] === 'OBJECT_TABLE')
        observations.push({
          rule: 'rename-column',
          subject: `${relationName(stmt['relation'])}.${String(stmt['subname'] ?? '')}`,
        });
      if (stmt['renameType'] === 'OBJECT_TABLE')
        observations.push({ rule: 'rename-table', subject: relationName(stmt['relation']) });
      break;
  }
  return { observations, creates, category: 'other' };
}

export function analyzePostgres(parser: PgParser, sql: string): Analysis {
  let tree: ReturnType<PgParser['parseSync']>;
  try {
    tree = parser.parseSync(sql);
  } catch (error) {
    return { kind: 'syntax-error', message: error instanceof Error ? error.message : String(error) };
  }
  const facts = (tree.stmts ?? []).map((entry) => factsOf(entry.stmt ?? {}));
  return { kind: 'parsed', facts };
}
