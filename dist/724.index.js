export const id = 724;
export const ids = [724];
export const modules = {

/***/ 50724:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createSnowflakeDialect: () => (/* binding */ createSnowflakeDialect)
});

// UNUSED EXPORTS: inlineParameters, snowflakeSql

// EXTERNAL MODULE: ./src/engine/dialect.ts
var dialect = __webpack_require__(9596);
// EXTERNAL MODULE: ./src/engine/errors.ts
var errors = __webpack_require__(17679);
// EXTERNAL MODULE: ./src/dialects/common.ts
var common = __webpack_require__(70190);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ./src/dialects/snowflake/key-pair.ts
/**
 * Key-pair authentication, as Jetbase does it: the PEM text of `snowflake_private_key`
 * (JETBASE_SNOWFLAKE_PRIVATE_KEY), optionally encrypted with `snowflake_private_key_password`,
 * becomes the unencrypted PKCS#8 PEM that snowflake-sdk signs its JWT with.
 *
 * Every error here is a ConfigError with a fixed text: it names the setting at fault and never
 * quotes the key, the passphrase or node:crypto's message (which could echo input back).
 */


/** Jetbase's exact text, so a user switching tools sees the same advice. */
const MISSING_PRIVATE_KEY_MESSAGE = "Snowflake private key is not set. You can set it as 'JETBASE_SNOWFLAKE_PRIVATE_KEY' in an environment variable. Alternatively, you can add the password to the SQLAlchemy URL.";
const KEY_SETTING = "'JETBASE_SNOWFLAKE_PRIVATE_KEY' (config key snowflake_private_key)";
const PASSPHRASE_SETTING = "'JETBASE_SNOWFLAKE_PRIVATE_KEY_PASSWORD' (config key snowflake_private_key_password)";
/** A PEM private-key block: PKCS#8 (`PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`) or PKCS#1 (`RSA PRIVATE KEY`). */
const PRIVATE_KEY_PEM = /-----BEGIN ((?:ENCRYPTED |RSA )?PRIVATE KEY)-----[\s\S]+?-----END \1-----/;
/** Encrypted PEM: PKCS#8 `ENCRYPTED PRIVATE KEY`, or the legacy OpenSSL `Proc-Type: 4,ENCRYPTED` header of PKCS#1. */
function isEncryptedPem(pem) {
    return pem.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----') || /Proc-Type:\s*4,\s*ENCRYPTED/i.test(pem);
}
/**
 * The PEM block out of the setting's text. CI secret stores often flatten a key to one line with
 * literal `\n` sequences; those are turned back into line breaks (a real PEM has no backslash).
 */
function extractPem(text) {
    const normalised = !text.includes('\n') && text.includes('\\n') ? text.replaceAll('\\n', '\n') : text;
    return PRIVATE_KEY_PEM.exec(normalised.replaceAll('\r\n', '\n'))?.[0] ?? null;
}
function notPem() {
    return new errors/* ConfigError */.xL(`The Snowflake private key in ${KEY_SETTING} is not a PEM private key: expected a block starting with '-----BEGIN PRIVATE KEY-----', '-----BEGIN ENCRYPTED PRIVATE KEY-----' or '-----BEGIN RSA PRIVATE KEY-----'.`, {
        hint: 'Set it to the whole content of the key file, e.g. JETBASE_SNOWFLAKE_PRIVATE_KEY="$(cat rsa_key.p8)".',
    });
}
function readKey(pem, passphrase) {
    const encrypted = isEncryptedPem(pem);
    if (encrypted && !passphrase) {
        throw new errors/* ConfigError */.xL(`The Snowflake private key in ${KEY_SETTING} is encrypted, but no passphrase is set: set ${PASSPHRASE_SETTING} to its passphrase.`);
    }
    try {
        // The passphrase is used as its UTF-8 bytes, as Jetbase does; an unencrypted key ignores it.
        return (0,external_node_crypto_.createPrivateKey)({
            key: pem,
            format: 'pem',
            ...(encrypted ? { passphrase: passphrase ?? '' } : {}),
        });
    }
    catch (error) {
        const code = error.code;
        if (encrypted) {
            throw new errors/* ConfigError */.xL(`The Snowflake private key in ${KEY_SETTING} could not be decrypted with the passphrase in ${PASSPHRASE_SETTING}: the passphrase is wrong or the key is damaged${typeof code === 'string' ? ` (${code})` : ''}.`);
        }
        throw new errors/* ConfigError */.xL(`The Snowflake private key in ${KEY_SETTING} could not be read: the PEM block is damaged or not a private key${typeof code === 'string' ? ` (${code})` : ''}.`);
    }
}
/**
 * The key for snowflake-sdk's `privateKey`: unencrypted PKCS#8 PEM, from PKCS#8 or PKCS#1 input,
 * plain or encrypted. Snowflake key-pair authentication signs with RS256, so the key must be RSA.
 */
function privateKeyForSdk(keyText, passphrase) {
    if (!keyText || keyText.trim() === '')
        throw new errors/* ConfigError */.xL(MISSING_PRIVATE_KEY_MESSAGE);
    const pem = extractPem(keyText);
    if (pem === null)
        throw notPem();
    const key = readKey(pem, passphrase || null);
    if (key.asymmetricKeyType !== 'rsa') {
        throw new errors/* ConfigError */.xL(`The Snowflake private key in ${KEY_SETTING} is a ${key.asymmetricKeyType ?? 'non-RSA'} key: Snowflake key-pair authentication needs an RSA key.`);
    }
    return key.export({ format: 'pem', type: 'pkcs8' }).toString();
}

;// CONCATENATED MODULE: ./src/dialects/snowflake/sdk.ts


const SILENT_LOGGER = { error() { }, warn() { }, info() { }, debug() { }, trace() { } };
let sdkLoading;
async function importSdk() {
    process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION ??= 'true';
    process.env.SNOWFLAKE_DISABLE_MINICORE ??= 'true';
    process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE ??= 'true';
    let sdk;
    try {
        const loaded = (await Promise.all(/* import() */[__webpack_require__.e(378), __webpack_require__.e(618)]).then(__webpack_require__.t.bind(__webpack_require__, 10618, 23)));
        sdk = loaded.default ?? loaded;
    }
    catch (error) {
        throw new errors/* JetbaseError */.N8('DRIVER_MISSING', `The Snowflake driver (snowflake-sdk) could not be loaded: ${(0,common/* asError */.zR)(error).message}`, {
            hint: "Reinstall jetbase-action's dependencies (npm ci).",
        });
    }
    sdk.configure({ logLevel: 'OFF', customLogger: SILENT_LOGGER, additionalLogToConsole: false });
    return sdk;
}
/** The SDK, loaded and configured once per process. */
function loadSnowflakeSdk() {
    sdkLoading ??= importSdk().catch((error) => {
        sdkLoading = undefined;
        throw error;
    });
    return sdkLoading;
}
/**
 * Keeps the process alive while the SDK works. Between login retries the SDK can wait on nothing
 * that holds the event loop, and Node would then exit mid-connect with status 0 (seen with 3.3).
 */
async function holdingEventLoop(work) {
    const hold = setInterval(() => undefined, 60_000);
    try {
        return await work;
    }
    finally {
        clearInterval(hold);
    }
}
function asSnowflakeFailure(error) {
    const plain = (0,common/* asError */.zR)(error);
    const { code, sqlState } = (typeof error === 'object' && error !== null ? error : {});
    const failure = new Error(plain.message);
    if (typeof code === 'string' || typeof code === 'number')
        failure.code = String(code);
    if (typeof sqlState === 'string')
        failure.sqlState = sqlState;
    return failure;
}
function openConnection(sdk, options) {
    const connection = sdk.createConnection(options);
    return holdingEventLoop(new Promise((resolve, reject) => {
        connection.connect((error) => (error ? reject(asSnowflakeFailure(error)) : resolve(connection)));
    }));
}
function closeConnection(connection) {
    return holdingEventLoop(new Promise((resolve, reject) => {
        connection.destroy((error) => (error ? reject(asSnowflakeFailure(error)) : resolve()));
    }));
}
function columnKind(column) {
    if (column.isTimestampNtz())
        return 'timestamp_ntz';
    if (column.isTimestamp() || column.isDate() || column.isTime())
        return 'datetime';
    return 'plain';
}
/**
 * One statement; `?` placeholders bind `binds` in order (Snowflake binds `?` natively). With
 * `statementCount` above 1 the text is that many statements, sent as one multi-statement request
 * (MULTI_STATEMENT_COUNT; no binds); the SDK then reads the first statement's result with a GET,
 * and that result is what comes back.
 */
function executeStatement(connection, sqlText, binds, statementCount = 1) {
    return holdingEventLoop(new Promise((resolve, reject) => {
        connection.execute({
            sqlText,
            ...(binds && binds.length > 0 ? { binds: [...binds] } : {}),
            ...(statementCount > 1 ? { parameters: { MULTI_STATEMENT_COUNT: statementCount } } : {}),
            complete: (error, statement, rows) => {
                if (error) {
                    reject(asSnowflakeFailure(error));
                    return;
                }
                resolve({
                    rows: (rows ?? []),
                    columns: (statement.getColumns() ?? []).map((column) => ({
                        name: column.getName(),
                        kind: columnKind(column),
                    })),
                    numUpdatedRows: statement.getNumUpdatedRows(),
                });
            },
        });
    }));
}
function isSfDate(value) {
    return (typeof value === 'object' &&
        value !== null &&
        typeof value.getEpochSeconds === 'function' &&
        typeof value.getNanoSeconds === 'function');
}
const pad = (value, width) => String(value).padStart(width, '0');
/**
 * TIMESTAMP_NTZ as `YYYY-MM-DD HH:MM:SS.ffffff`: the stored wall-clock time, always six fraction
 * digits, so the text sorts as the timestamps do and matches PostgreSQL's and MySQL's text form.
 * Built from the exact epoch seconds + nanoseconds, not from the session's output format, so no
 * ALTER SESSION is needed and sub-millisecond digits are not lost (a JS Date keeps only ms).
 */
function timestampNtzText(value) {
    const date = new Date(value.getEpochSeconds() * 1000);
    const micros = Math.floor(value.getNanoSeconds() / 1000);
    return (`${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)} ` +
        `${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}.${pad(micros, 6)}`);
}
/** A result value as the engine wants it: date/time values as text, never a JS Date. */
function plainValue(value, kind) {
    if (value === null || value === undefined || kind === 'plain')
        return value;
    if (kind === 'timestamp_ntz' && isSfDate(value))
        return timestampNtzText(value);
    // TIMESTAMP_LTZ/TZ, DATE, TIME: the SDK's text in the session's output format.
    const { toJSON } = value;
    return typeof toJSON === 'function' ? String(toJSON.call(value)) : value;
}

;// CONCATENATED MODULE: ./src/dialects/snowflake/index.ts





/** Jetbase's tables, lock row and probes on Snowflake: Jetbase 0.18.1's statements, indentation included. */
const snowflakeSql = {
    createMigrationsTable: `CREATE TABLE IF NOT EXISTS jetbase_migrations (
                order_executed INT AUTOINCREMENT PRIMARY KEY,
                version VARCHAR(255),
                description VARCHAR(500) NOT NULL,
                filename VARCHAR(512) NOT NULL,
                migration_type VARCHAR(32) NOT NULL,
                applied_at TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP() NOT NULL,
                checksum VARCHAR(64) NOT NULL
            )`,
    createLockTable: `CREATE TABLE IF NOT EXISTS jetbase_lock (
                id INTEGER PRIMARY KEY,
                is_locked BOOLEAN NOT NULL DEFAULT FALSE,
                locked_at TIMESTAMP_NTZ,
                process_id VARCHAR(36)
            )`,
    initLockRow: common/* MERGE_LOCK_ROW */.Ws,
    // Unquoted names are stored upper-case, so the probe compares with the upper-case name.
    tableExists: (table) => (0,common/* currentSchemaTableProbe */.hp)(`TABLE_NAME = '${table.toUpperCase()}'`),
    now: 'CURRENT_TIMESTAMP()',
    true: 'TRUE',
    false: 'FALSE',
    insertSuppliesAppliedAt: false,
};
const URL_SHAPE = 'snowflake://user[:password]@<account>/<database>/<schema>?warehouse=<WH>[&role=<R>]';
/** `database/schema` from the URL path; both are needed, Jetbase's tables live in the current schema. */
function databaseAndSchema(url) {
    const [database, schema, ...extra] = (url.database ?? '').split('/');
    if (!database || !schema || extra.some((part) => part !== '')) {
        throw new errors/* UrlError */.UN(`The Snowflake URL '${url.redacted}' must name a database and a schema: ${URL_SHAPE}. Jetbase keeps its tables in that schema.`);
    }
    return { database, schema };
}
/** Where the SDK connects: the account's own host, or `host`/`port`/`protocol` from the query. */
function endpointOptions(url) {
    const { host, protocol } = url.query;
    const portText = url.query.port ?? (url.port === null ? undefined : String(url.port));
    const endpoint = {};
    if (host)
        endpoint.host = host;
    if (portText !== undefined) {
        const port = Number(portText);
        if (!Number.isInteger(port) || port < 1 || port > 65535) {
            throw new errors/* UrlError */.UN(`Invalid port '${portText}' in the Snowflake URL '${url.redacted}': a port is a number from 1 to 65535.`);
        }
        endpoint.port = port;
    }
    if (protocol !== undefined) {
        const normalised = protocol.toLowerCase();
        if (normalised !== 'https' && normalised !== 'http') {
            throw new errors/* UrlError */.UN(`Unsupported protocol '${protocol}' in the Snowflake URL '${url.redacted}': use https (the default).`);
        }
        if (normalised === 'http' && !(host && (0,common/* isLoopbackHost */.cW)(host))) {
            throw new errors/* UrlError */.UN(`The Snowflake URL '${url.redacted}' asks for protocol=http: plain HTTP is only allowed to a loopback host (host=127.0.0.1), never across a network.`);
        }
        endpoint.protocol = normalised;
    }
    return endpoint;
}
/** Everything the SDK needs except credentials. */
function baseOptions(url) {
    if (!url.host)
        throw new errors/* UrlError */.UN(`The Snowflake URL '${url.redacted}' has no account: ${URL_SHAPE}.`);
    if (!url.username)
        throw new errors/* UrlError */.UN(`The Snowflake URL '${url.redacted}' has no user: ${URL_SHAPE}.`);
    const { database, schema } = databaseAndSchema(url);
    return {
        account: url.host,
        username: url.username,
        database,
        schema,
        ...(url.query.warehouse ? { warehouse: url.query.warehouse } : {}),
        ...(url.query.role ? { role: url.query.role } : {}),
        ...endpointOptions(url),
        // One short-lived session per connection: no heartbeats, no client-side query-context cache.
        clientSessionKeepAlive: false,
        disableQueryContextCache: true,
    };
}
/** Password auth when the URL has a password, else key-pair auth with the configured key, as in Jetbase. */
function credentialOptions(url, options) {
    if (url.password)
        return { password: url.password };
    return {
        authenticator: 'SNOWFLAKE_JWT',
        privateKey: privateKeyForSdk(options.snowflakePrivateKey, options.snowflakePrivateKeyPassword),
    };
}
function statementKind(sql) {
    const body = sql.replace(/^(?:\s+|--[^\n]*(?:\n|$)|\/\/[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/, '');
    if (/^(?:INSERT|UPDATE|DELETE|MERGE|SELECT|WITH)\b/i.test(body))
        return 'dml';
    if (/^ALTER\s+SESSION\b/i.test(body))
        return 'other';
    if (/^(?:CREATE|ALTER|DROP|UNDROP)\b/i.test(body))
        return 'ddl';
    return 'other';
}
/**
 * Engine SQL's `?` placeholders as Snowflake literals, for a multi-statement request (which takes
 * no binds). Strings: Snowflake reads backslash escapes inside '…', so `\` and `'` are escaped.
 * Only engine-owned SQL comes here, whose `?` are all placeholders.
 */
function inlineParameters(sql, params) {
    let next = 0;
    const text = sql.replace(/\?/g, () => {
        if (next >= params.length)
            throw new Error(`More ? placeholders than the ${params.length} values given.`);
        const value = params[next++];
        if (value === null)
            return 'NULL';
        if (typeof value === 'boolean')
            return value ? 'TRUE' : 'FALSE';
        if (typeof value === 'number') {
            if (!Number.isFinite(value))
                throw new Error(`Cannot send ${value} to Snowflake as a literal.`);
            return String(value);
        }
        return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
    });
    if (next !== params.length)
        throw new Error(`${next} ? placeholders but ${params.length} values given.`);
    return text;
}
/** Snowflake's "JWT token is invalid.": say which key and what to check, without showing it. */
const JWT_INVALID = '390144';
class SnowflakeConnection {
    connection;
    scrub;
    constructor(connection, scrub) {
        this.connection = connection;
        this.scrub = scrub;
    }
    async execute(sql, params) {
        const result = await this.send(sql, params);
        // The SDK sums the DML result row ("number of rows updated", …); -1 for anything else.
        const count = result.numUpdatedRows;
        return { rowsAffected: typeof count === 'number' && count > 0 ? count : 0 };
    }
    async query(sql, params) {
        const result = await this.send(sql, params);
        return result.rows.map((row) => {
            const plain = {};
            for (const column of result.columns) {
                plain[column.name.toLowerCase()] = plainValue(row[column.name], column.kind);
            }
            return plain;
        });
    }
    /** DDL commits implicitly on Snowflake: only the DML inside is rolled back (transactionalDdl false). */
    transaction(fn) {
        return (0,common/* inTransaction */.sA)((sql) => this.send(sql, undefined), fn);
    }
    async runInTransaction(statements, final, hooks) {
        const kinds = statements.map(statementKind);
        if (statements.length > 0 && kinds.every((kind) => kind === 'dml')) {
            for (const index of statements.keys())
                await hooks.before(index);
            if (await this.inOneRequest(statements, final)) {
                for (const index of statements.keys())
                    hooks.after(index);
                return;
            }
        }
        await this.oneByOne(statements, kinds, final, hooks);
    }
    /**
     * Plain DML and the history write in one multi-statement request. False when Snowflake refused
     * a statement: the transaction is rolled back and nothing of the file stays, so it can run again
     * one statement at a time to find which one. An error Snowflake did not answer with a SQL state
     * (the network, the client) is thrown as it is: the request may have committed.
     */
    async inOneRequest(statements, final) {
        // A statement may end in a `--` comment: each `;` goes on a line of its own.
        const parts = ['BEGIN', ...statements, inlineParameters(final.sql, final.params), 'COMMIT'];
        try {
            await executeStatement(this.connection, parts.join('\n;\n'), undefined, parts.length);
            return true;
        }
        catch (error) {
            if (error.sqlState === undefined)
                throw this.scrub(error);
            await this.send('ROLLBACK', undefined).catch(() => undefined);
            return false;
        }
    }
    /**
     * One request per statement. BEGIN only where the file starts with DML, COMMIT only while no DDL
     * has ended that transaction: Snowflake commits the open transaction before DDL and autocommits
     * what follows, so those requests would change nothing. (With AUTOCOMMIT, Snowflake's default,
     * which the engine relies on anyway: its lock writes are plain autocommitted statements.)
     */
    async oneByOne(statements, kinds, final, hooks) {
        let open = false;
        try {
            if (kinds[0] !== 'ddl') {
                await this.send('BEGIN', undefined);
                open = true;
            }
            for (const [index, statement] of statements.entries()) {
                await hooks.before(index);
                try {
                    await this.send(statement, undefined);
                }
                catch (error) {
                    throw new dialect/* StatementFailure */.s(index, error);
                }
                if (kinds[index] === 'ddl')
                    open = false;
                hooks.after(index);
            }
            try {
                await this.send(final.sql, final.params);
            }
            catch (error) {
                throw new dialect/* StatementFailure */.s(statements.length, error);
            }
            if (open)
                await this.send('COMMIT', undefined);
            open = false;
        }
        catch (error) {
            if (open)
                await this.send('ROLLBACK', undefined).catch(() => undefined);
            throw error;
        }
    }
    async close() {
        try {
            await closeConnection(this.connection);
        }
        catch (error) {
            throw this.scrub(error);
        }
    }
    /** No params: the text is sent exactly as written; else `?` binds, which Snowflake supports. */
    async send(sql, params) {
        try {
            return await executeStatement(this.connection, sql, params);
        }
        catch (error) {
            throw this.scrub(error);
        }
    }
}
async function createSnowflakeDialect(url, options) {
    // Validate the URL and the key now, with clear errors, before loading the SDK.
    const connectionOptions = { ...baseOptions(url), ...credentialOptions(url, options) };
    const keyPair = connectionOptions.authenticator === 'SNOWFLAKE_JWT';
    const secrets = [url.password, options.snowflakePrivateKeyPassword ?? null];
    const scrub = (error) => {
        const failure = error;
        let message = secrets.reduce((text, secret) => (0,common/* withoutSecret */.Nt)(text, secret), failure.message);
        if (keyPair && failure.code === JWT_INVALID) {
            message += ` Key-pair authentication as ${url.username} was rejected: check that the public key of JETBASE_SNOWFLAKE_PRIVATE_KEY is the one set for this user (ALTER USER … SET RSA_PUBLIC_KEY), and that the account in the URL is right.`;
        }
        const clean = new Error(message);
        if (failure.code !== undefined)
            clean.code = failure.code;
        if (failure.sqlState !== undefined)
            clean.sqlState = failure.sqlState;
        return clean;
    };
    const sdk = await loadSnowflakeSdk();
    return {
        name: 'snowflake',
        transactionalDdl: false,
        sql: snowflakeSql,
        target: url.redacted,
        anyTableOrView: `SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES
            WHERE TABLE_SCHEMA = CURRENT_SCHEMA()
            ORDER BY TABLE_NAME
            LIMIT 1`,
        async connect() {
            let connection;
            try {
                connection = await openConnection(sdk, connectionOptions);
            }
            catch (error) {
                throw scrub(error);
            }
            return new SnowflakeConnection(connection, scrub);
        },
    };
}


/***/ })

};

