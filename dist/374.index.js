export const id = 374;
export const ids = [374];
export const modules = {

/***/ 7374:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createDatabricksDialect: () => (/* binding */ createDatabricksDialect)
/* harmony export */ });
/* unused harmony exports databricksSql, databricksSettings, databricksLiteral, inlineParameters, leadingKeyword, timestampText */
/* harmony import */ var _engine_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(17679);
/* harmony import */ var _common_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(70190);
/**
 * Databricks SQL warehouses through @databricks/sql (Thrift over HTTPS), one session per connection.
 *
 * URL: `databricks[+connector]://token:<ACCESS_TOKEN>@<host>[:port]?http_path=…&catalog=…&schema=…`.
 * The token is a secret: it only goes into the driver's Authorization header, never into a message.
 *
 * Decisions, each for a reason Jetbase's own behaviour leaves open:
 * - Placeholders: engine SQL uses `?`, which is also Databricks' ordinal parameter marker, so the
 *   text is sent as written and the values go as `ordinalParameters` when the server's protocol
 *   supports parameters (SPARK_CLI_SERVICE_PROTOCOL_V8+, every current warehouse). On an older
 *   protocol the driver would silently drop the values, so they are inlined instead as literals:
 *   strings with Spark's backslash escapes (`\\`, `\'`), numbers as written, TRUE/FALSE, NULL.
 * - Timestamps: the driver is told not to use Arrow-native timestamps, so the server sends TIMESTAMP
 *   values as text with their microseconds (a JS Date would keep milliseconds only). Every TIMESTAMP
 *   column (known from the result schema) is then normalised to `YYYY-MM-DD HH:MM:SS.ffffff`; a Date,
 *   should one still arrive, is rendered in UTC (Databricks' default session time zone).
 * - Affected rows: Databricks answers UPDATE/DELETE/MERGE with a one-row result holding
 *   `num_affected_rows`; that value is the count. When such a statement's result has no count the
 *   adapter throws instead of guessing (Jetbase's lock depends on that count, which a driver may not
 *   give): a guessed 1 would take a held lock. Other statements without a count (DDL, INSERT into
 *   a non-Delta table) report 0.
 * - No transactions: `transaction(fn)` is a plain call; BEGIN/COMMIT are never sent.
 * - Requests: one HTTP request per statement. The driver asks for direct results on every
 *   ExecuteStatement, and a warehouse answers a finished statement with its status, schema, rows
 *   and the operation already closed, so no GetOperationStatus, GetResultSetMetadata, FetchResults
 *   or CloseOperation follows (a failed statement costs a CloseOperation more).
 * - Network: no telemetry (DATABRICKS_TELEMETRY_DISABLED and `telemetryEnabled: false`), no cloud
 *   fetch (results come over the Thrift connection, not from cloud-storage URLs), so the only host
 *   contacted is the one in the URL.
 * - Plain HTTP exists for loopback test servers only: `?scheme=http` with a host of 127.0.0.0/8,
 *   ::1 or localhost. Any other host with `scheme=http` is refused; TLS verification is never relaxed.
 */


/** Jetbase's tables, lock row and probes on Databricks: its `DatabricksQueries` text. */
const databricksSql = {
    createMigrationsTable: `CREATE TABLE IF NOT EXISTS jetbase_migrations (
                order_executed BIGINT GENERATED ALWAYS AS IDENTITY,
                version STRING,
                description STRING NOT NULL,
                filename STRING NOT NULL,
                migration_type STRING NOT NULL,
                applied_at TIMESTAMP NOT NULL,
                checksum STRING NOT NULL
            )`,
    createLockTable: `CREATE TABLE IF NOT EXISTS jetbase_lock (
                id INT,
                is_locked BOOLEAN NOT NULL,
                locked_at TIMESTAMP,
                process_id STRING
            )`,
    initLockRow: _common_js__WEBPACK_IMPORTED_MODULE_1__/* .MERGE_LOCK_ROW */ .Ws,
    tableExists: (table) => (0,_common_js__WEBPACK_IMPORTED_MODULE_1__/* .currentSchemaTableProbe */ .hp)(`LOWER(TABLE_NAME) = '${table}'`),
    now: 'CURRENT_TIMESTAMP()',
    true: 'TRUE',
    false: 'FALSE',
    insertSuppliesAppliedAt: true,
};
const URL_SHAPE = 'databricks://token:<ACCESS_TOKEN>@<workspace-host>?http_path=<HTTP_PATH>&catalog=<CATALOG>&schema=<SCHEMA>';
/** Checks the URL before the driver is loaded, so a malformed URL fails fast and clearly. */
function databricksSettings(url) {
    const fail = (problem) => new _engine_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UrlError */ .UN(`Invalid Databricks URL '${url.redacted}': ${problem}`, { hint: `Expected ${URL_SHAPE}.` });
    if (!url.host)
        throw fail('the workspace host is missing.');
    if (url.username !== 'token' || !url.password) {
        throw fail("authenticate with a personal access token: user name 'token', the token as the password.");
    }
    const httpPath = url.query.http_path;
    if (!httpPath)
        throw fail('the http_path query parameter (the warehouse or cluster HTTP path) is missing.');
    const scheme = (url.query.scheme ?? 'https').toLowerCase();
    if (scheme !== 'https' && scheme !== 'http')
        throw fail(`scheme must be https or http, not '${url.query.scheme}'.`);
    if (scheme === 'http' && !(0,_common_js__WEBPACK_IMPORTED_MODULE_1__/* .isLoopbackHost */ .cW)(url.host)) {
        throw fail('plain HTTP (scheme=http) is only allowed for a loopback host (127.0.0.1, ::1, localhost); Databricks is reached over TLS.');
    }
    return {
        host: url.host,
        port: url.port ?? 443,
        httpPath: httpPath.startsWith('/') ? httpPath : `/${httpPath}`,
        token: url.password,
        catalog: url.query.catalog || undefined,
        schema: url.query.schema || undefined,
        plainHttp: scheme === 'http',
    };
}
async function loadDriver() {
    // Must be set before the driver starts: its hard off switch for telemetry.
    process.env.DATABRICKS_TELEMETRY_DISABLED ??= '1';
    try {
        return await Promise.all(/* import() */[__webpack_require__.e(378), __webpack_require__.e(798)]).then(__webpack_require__.t.bind(__webpack_require__, 54417, 23));
    }
    catch (error) {
        throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .JetbaseError */ .N8('DRIVER_MISSING', `The Databricks driver (@databricks/sql) could not be loaded: ${messageOf(error)}`);
    }
}
/** The driver logs to the console through winston by default; messages reach us as errors instead. */
const silentLogger = { log: () => undefined };
/**
 * A client that speaks plain HTTP, for a loopback test server. The driver hard-codes `https: true`;
 * `getConnectionProvider()` is its public seam, used for every request, so this overrides it.
 */
function plainHttpClient(driver, settings) {
    class LoopbackHttpClient extends driver.DBSQLClient {
        plainHttp;
        async getConnectionProvider() {
            await super.getConnectionProvider(); // keeps the driver's "not connected" error
            this.plainHttp ??= new driver.connections.HttpConnection({
                host: settings.host,
                port: settings.port,
                path: settings.httpPath,
                https: false,
                headers: { 'User-Agent': 'jetbase-action' },
            }, this);
            return this.plainHttp;
        }
        async close() {
            await super.close();
            this.plainHttp = undefined;
        }
    }
    return new LoopbackHttpClient({ logger: silentLogger });
}
function newClient(driver, settings) {
    const client = settings.plainHttp
        ? plainHttpClient(driver, settings)
        : new driver.DBSQLClient({ logger: silentLogger });
    // TIMESTAMP as text with microseconds instead of Arrow timestamps decoded to a JS Date.
    client.getConfig().useArrowNativeTypes = false;
    return client;
}
/**
 * The protocol version the server answered OpenSession with. The driver keeps it on the session's
 * backend without a public accessor; undefined (driver internals changed) means "inline literals",
 * which work on every protocol.
 */
function serverProtocolVersion(session) {
    const backend = Reflect.get(session, 'backend');
    if (typeof backend !== 'object' || backend === null)
        return undefined;
    const version = Reflect.get(backend, 'serverProtocolVersion');
    return typeof version === 'number' ? version : undefined;
}
// ----- values -----
function messageOf(error) {
    if (typeof error === 'object' && error !== null && typeof Reflect.get(error, 'message') === 'string') {
        return Reflect.get(error, 'message');
    }
    return String(error);
}
function httpStatusOf(error) {
    if (typeof error !== 'object' || error === null)
        return undefined;
    const status = Reflect.get(error, 'statusCode');
    return typeof status === 'number' ? status : undefined;
}
/** A Databricks string literal: Spark SQL reads backslash escapes inside '…'. */
function databricksLiteral(value) {
    if (value === null)
        return 'NULL';
    if (typeof value === 'boolean')
        return value ? 'TRUE' : 'FALSE';
    if (typeof value === 'number') {
        if (!Number.isFinite(value))
            throw new Error(`Cannot send ${value} to Databricks as a literal.`);
        return String(value);
    }
    return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
/**
 * Replaces each `?` outside literals, quoted identifiers and comments by the next value as a
 * literal (the fallback for servers without parameter support).
 */
function inlineParameters(sql, params) {
    let out = '';
    let next = 0;
    let i = 0;
    while (i < sql.length) {
        const ch = sql[i];
        if (ch === "'" || ch === '"' || ch === '`') {
            let j = i + 1;
            while (j < sql.length && sql[j] !== ch)
                j += sql[j] === '\\' && ch !== '`' ? 2 : 1;
            out += sql.slice(i, j + 1);
            i = j + 1;
        }
        else if (ch === '-' && sql[i + 1] === '-') {
            const end = sql.indexOf('\n', i);
            const stop = end < 0 ? sql.length : end;
            out += sql.slice(i, stop);
            i = stop;
        }
        else if (ch === '?') {
            if (next >= params.length)
                throw new Error(`The statement has more ? placeholders than the ${params.length} values given.`);
            out += databricksLiteral(params[next++]);
            i += 1;
        }
        else {
            out += ch;
            i += 1;
        }
    }
    if (next !== params.length)
        throw new Error(`The statement has ${next} ? placeholders but ${params.length} values were given.`);
    return out;
}
/** The first keyword of a statement, after leading comments, upper-cased. */
function leadingKeyword(sql) {
    const body = sql.replace(/^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/, '');
    return /^[A-Za-z]+/.exec(body)?.[0]?.toUpperCase() ?? '';
}
/** Statements that Databricks always answers with `num_affected_rows` (Delta DML). */
const COUNTED_STATEMENTS = new Set(['UPDATE', 'DELETE', 'MERGE']);
function affectedRows(sql, rows) {
    const first = rows[0];
    const count = first?.num_affected_rows;
    if (count !== undefined && count !== null) {
        const value = Number(count);
        if (Number.isInteger(value) && value >= 0)
            return value;
        throw new Error(`Databricks reported num_affected_rows = ${String(count)}, which is not a row count.`);
    }
    if (COUNTED_STATEMENTS.has(leadingKeyword(sql))) {
        throw new Error('Databricks returned no num_affected_rows for this statement, so the rows it changed are unknown; ' +
            'Jetbase needs that count (for the lock row especially) and will not guess it. Is the table a Delta table?');
    }
    return 0;
}
const TIMESTAMP_TEXT = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]00:?00)?$/;
function pad(value, width = 2) {
    return String(value).padStart(width, '0');
}
/** `YYYY-MM-DD HH:MM:SS.ffffff`, from the server's text or, failing that, a Date (UTC). */
function timestampText(value) {
    if (Object.prototype.toString.call(value) === '[object Date]') {
        const date = value;
        if (Number.isNaN(date.getTime()))
            return value;
        return (`${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
            `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}000`);
    }
    if (typeof value !== 'string')
        return value;
    const match = TIMESTAMP_TEXT.exec(value.trim());
    if (!match)
        return value; // a form we do not know: shown as the server sent it
    const fraction = (match[3] ?? '').padEnd(6, '0').slice(0, 6);
    return `${match[1]} ${match[2]}.${fraction}`;
}
/** TTypeId.TIMESTAMP_TYPE in TCLIService (the driver's `thrift` export holds the enum). */
function timestampColumns(driver, schema) {
    const timestampType = driver.thrift.TCLIService_types.TTypeId.TIMESTAMP_TYPE;
    return (schema?.columns ?? [])
        .filter((column) => column.typeDesc.types[0]?.primitiveEntry?.type === timestampType)
        .map((column) => column.columnName.toLowerCase());
}
// ----- the connection -----
class DatabricksConnection {
    driver;
    client;
    session;
    supportsParameters;
    token;
    constructor(driver, client, session, supportsParameters, token) {
        this.driver = driver;
        this.client = client;
        this.session = session;
        this.supportsParameters = supportsParameters;
        this.token = token;
    }
    async execute(sql, params) {
        const rows = await this.run(sql, params);
        return { rowsAffected: affectedRows(sql, rows) };
    }
    async query(sql, params) {
        return (await this.run(sql, params));
    }
    /** Databricks runs each statement on its own: nothing to begin, commit or roll back. */
    async transaction(fn) {
        return fn();
    }
    async close() {
        try {
            await this.session.close();
        }
        finally {
            await this.client.close();
        }
    }
    async run(sql, params) {
        const values = params ?? [];
        // No values: the text goes exactly as written (a `?` of the user's is not a placeholder).
        const statement = values.length > 0 && !this.supportsParameters ? inlineParameters(sql, values) : sql;
        let operation;
        try {
            operation = await this.session.executeStatement(statement, {
                ...(values.length > 0 && this.supportsParameters ? { ordinalParameters: [...values] } : {}),
                useCloudFetch: false,
            });
            // The statement's own outcome first: the driver skips reading the status when the operation
            // says it has no result set, and a failed statement has none. With direct results (below) the
            // status, schema, rows and close all came in the ExecuteStatement response: no more requests.
            await operation.finished();
            const rows = await operation.fetchAll();
            const timestamps = timestampColumns(this.driver, await operation.getSchema());
            return rows.map((row) => {
                const lower = (0,_common_js__WEBPACK_IMPORTED_MODULE_1__/* .lowerCaseKeys */ .QM)(row);
                for (const column of timestamps)
                    if (column in lower)
                        lower[column] = timestampText(lower[column]);
                return lower;
            });
        }
        catch (error) {
            // A plain Error of this realm, without the token (the driver's own may hold the request).
            throw new Error((0,_common_js__WEBPACK_IMPORTED_MODULE_1__/* .withoutSecret */ .Nt)(messageOf(error), this.token));
        }
        finally {
            await operation?.close().catch(() => undefined);
        }
    }
}
async function openConnection(driver, settings, target) {
    const client = newClient(driver, settings);
    let session;
    try {
        await client.connect({
            host: settings.host,
            port: settings.port,
            path: settings.httpPath,
            token: settings.token,
            userAgentEntry: 'jetbase-action',
            telemetryEnabled: false,
        });
        session = await client.openSession({ initialCatalog: settings.catalog, initialSchema: settings.schema });
    }
    catch (error) {
        await client.close().catch(() => undefined);
        const status = httpStatusOf(error);
        if (status === 401 || status === 403) {
            throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .JetbaseError */ .N8('DATABASE', `Databricks rejected the access token (HTTP ${status}) for ${target}.`, {
                hint: 'Check the token in the URL (databricks://token:<ACCESS_TOKEN>@…): it may be wrong, expired or lack access to this warehouse.',
            });
        }
        throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .JetbaseError */ .N8('DATABASE', `Could not connect to Databricks at ${target}: ${(0,_common_js__WEBPACK_IMPORTED_MODULE_1__/* .withoutSecret */ .Nt)(messageOf(error), settings.token)}`);
    }
    const version = serverProtocolVersion(session);
    const parametersFrom = driver.thrift.TCLIService_types.TProtocolVersion.SPARK_CLI_SERVICE_PROTOCOL_V8;
    return new DatabricksConnection(driver, client, session, version !== undefined && version >= parametersFrom, settings.token);
}
async function createDatabricksDialect(url, _options) {
    const settings = databricksSettings(url);
    const driver = await loadDriver();
    return {
        name: 'databricks',
        transactionalDdl: false,
        supportsTransactions: false,
        sql: databricksSql,
        target: url.redacted,
        anyTableOrView: `SELECT table_name FROM INFORMATION_SCHEMA.TABLES
            WHERE table_schema = CURRENT_SCHEMA()
            ORDER BY table_name
            LIMIT 1`,
        connect: () => openConnection(driver, settings, url.redacted),
    };
}


/***/ })

};

