export const id = 908;
export const ids = [908];
export const modules = {

/***/ 75908:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createPostgresqlDialect: () => (/* binding */ createPostgresqlDialect)
});

// UNUSED EXPORTS: inlineParameters, postgresqlDriverErrorIs, postgresqlSql, quoteLiteral, toNumberedPlaceholders

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: ./node_modules/pg/esm/index.mjs
var esm = __webpack_require__(83849);
// EXTERNAL MODULE: ./src/engine/dialect.ts
var dialect = __webpack_require__(9596);
// EXTERNAL MODULE: ./src/engine/errors.ts
var errors = __webpack_require__(17679);
// EXTERNAL MODULE: ./src/dialects/common.ts
var common = __webpack_require__(70190);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(77030);
var external_node_net_default = /*#__PURE__*/__webpack_require__.n(external_node_net_);
;// CONCATENATED MODULE: ./src/dialects/postgresql/cancel-request.ts
/**
 * PostgreSQL's CancelRequest: a new connection that names a session by its process id and secret
 * key (from BackendKeyData) and asks the server to interrupt whatever that session is running. The
 * server answers nothing and closes the connection once it has signalled the session; a session
 * that is idle by then ignores it. node-postgres has no API for it in pure JavaScript.
 */

const CANCEL_REQUEST_CODE = 80877102;
/** A cancel that cannot reach the server in this time is given up: the migration then runs to its end. */
const CANCEL_TIMEOUT_MS = 5_000;
/** Sends the request; resolves once the server closed the connection (or it failed). Never rejects. */
function sendCancelRequest(target) {
    return new Promise((resolve) => {
        // A host that is a directory is a Unix socket, as libpq spells it.
        const socket = target.host.startsWith('/')
            ? external_node_net_default().connect({ path: `${target.host}/.s.PGSQL.${target.port}` })
            : external_node_net_default().connect({ host: target.host, port: target.port });
        const packet = Buffer.alloc(16);
        packet.writeInt32BE(16, 0);
        packet.writeInt32BE(CANCEL_REQUEST_CODE, 4);
        packet.writeInt32BE(target.processId, 8);
        packet.writeInt32BE(target.secretKey, 12);
        socket.setTimeout(CANCEL_TIMEOUT_MS, () => socket.destroy());
        socket.once('connect', () => socket.write(packet));
        socket.on('error', () => undefined);
        socket.once('close', () => resolve());
        socket.resume(); // the server sends nothing; reading lets its close arrive
    });
}

;// CONCATENATED MODULE: ./src/dialects/postgresql/one-message.ts
/**
 * Could this statement be a COPY … FROM STDIN? Such a statement makes the server read the next
 * message as COPY data; in one message that is the next step's Parse, a protocol error after which
 * the server closes the session. COPY must be the statement's own first keyword, so any text
 * without the word is safe; a text with it (in a name, a string, a comment) only goes the slower
 * way. A choice of how to send, not a reading of what the statement does.
 */
function mayReadCopyData(statement) {
    return /\bcopy\b/i.test(statement);
}
/** A step failed: `step` is its index in the list sent; `cause` is node-postgres' error. */
class StepFailure extends Error {
    step;
    phase;
    constructor(step, phase, cause) {
        super(cause instanceof Error ? cause.message : String(cause), { cause });
        this.name = 'StepFailure';
        this.step = step;
        this.phase = phase;
    }
}
/** Bind sends text: booleans as PostgreSQL spells them, numbers in full, NULL as null. */
function asText(value) {
    if (value === null)
        return null;
    if (typeof value === 'boolean')
        return value ? 'true' : 'false';
    return String(value);
}
/**
 * The node-postgres "submittable" that sends the steps and follows the replies. The client calls
 * the handle* methods as the server's messages arrive; after an ErrorResponse it calls handleError
 * and no longer this object's handleReadyForQuery (the client itself waits for ReadyForQuery before
 * its next query, so a ROLLBACK sent after a failure goes out once the server is ready for it).
 */
class OneMessage {
    steps;
    onStepDone;
    resolve;
    reject;
    completed = 0;
    parsed = 0;
    bound = 0;
    settled = false;
    detach = () => undefined;
    constructor(steps, onStepDone, resolve, reject) {
        this.steps = steps;
        this.onStepDone = onStepDone;
        this.resolve = resolve;
        this.reject = reject;
    }
    submit(connection) {
        // The client does not pass ParseComplete/BindComplete on to a submittable; the connection emits them.
        const onParsed = () => {
            this.parsed += 1;
        };
        const onBound = () => {
            this.bound += 1;
        };
        connection.on('parseComplete', onParsed);
        connection.on('bindComplete', onBound);
        this.detach = () => {
            connection.off('parseComplete', onParsed);
            connection.off('bindComplete', onBound);
        };
        // Corked: the messages leave as few TCP segments as the socket allows, not one per message.
        connection.stream.cork();
        try {
            for (const step of this.steps) {
                connection.parse({ name: '', text: step.text, types: [] }, true);
                connection.bind({ portal: '', statement: '', values: step.values.map(asText) }, true);
                connection.execute({ portal: '' }, true);
            }
            connection.sync();
        }
        finally {
            connection.stream.uncork();
        }
    }
    handleRowDescription() { }
    handleDataRow() { }
    handlePortalSuspended() { }
    handleCopyData() { }
    handleCommandComplete() {
        this.onStepDone(this.completed);
        this.completed += 1;
    }
    /** A statement that is only a comment: the server answers EmptyQueryResponse in its place. */
    handleEmptyQuery() {
        this.handleCommandComplete();
    }
    /**
     * Never expected (mayReadCopyData keeps such files out); should it happen, the server reads the
     * next Parse as a protocol error and ends the session, which fails the step as a lost connection.
     */
    handleCopyInResponse() { }
    handleError(error) {
        if (this.settled)
            return;
        this.settled = true;
        this.detach();
        const step = this.completed;
        const phase = this.parsed <= step ? 'parse' : this.bound <= step ? 'bind' : 'execute';
        this.reject(new StepFailure(step, phase, error));
    }
    handleReadyForQuery() {
        if (this.settled)
            return;
        this.settled = true;
        this.detach();
        this.resolve();
    }
}
/**
 * Sends the steps as one message and waits for the server's ReadyForQuery. Resolves when every
 * step completed; rejects with the StepFailure of the first step that failed (the server ran
 * nothing after it). `onStepDone` is called for each step that completed, in order.
 */
function sendAsOneMessage(client, steps, onStepDone) {
    return new Promise((resolve, reject) => {
        client.query(new OneMessage(steps, onStepDone, resolve, reject));
    });
}

;// CONCATENATED MODULE: ./src/dialects/postgresql/index.ts
/** PostgreSQL through node-postgres: one Client per connection, no pool. */







/** Jetbase's tables, lock row and probes on PostgreSQL (Jetbase's default DDL). */
const postgresqlSql = {
    createMigrationsTable: `CREATE TABLE IF NOT EXISTS jetbase_migrations (
    order_executed INT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version VARCHAR(255),
    description VARCHAR(500) NOT NULL,
    filename VARCHAR(512) NOT NULL,
    migration_type VARCHAR(32) NOT NULL,
    applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
    checksum VARCHAR(64) NOT NULL
)`,
    createLockTable: `CREATE TABLE IF NOT EXISTS jetbase_lock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    is_locked BOOLEAN NOT NULL DEFAULT FALSE,
    locked_at TIMESTAMP,
    process_id VARCHAR(36)
)`,
    initLockRow: `INSERT INTO jetbase_lock (id, is_locked)
SELECT 1, FALSE
WHERE NOT EXISTS (SELECT 1 FROM jetbase_lock WHERE id = 1)`,
    tableExists: (table) => `SELECT EXISTS (
    SELECT 1
    FROM information_schema.tables
    WHERE table_schema = current_schema()
      AND table_name = '${table}'
)`,
    now: 'CURRENT_TIMESTAMP',
    true: 'TRUE',
    false: 'FALSE',
    insertSuppliesAppliedAt: false,
};
/** Engine SQL with `?` → literals, for the simple protocol; the same scan as toNumberedPlaceholders. */
function inlineParameters(sql, params, escape) {
    let index = 0;
    return toNumberedPlaceholders(sql).replace(/\$(\d+)/g, (_match, n) => {
        index = Number(n) - 1;
        const value = params[index];
        if (value === null || value === undefined)
            return 'NULL';
        if (typeof value === 'boolean')
            return value ? 'TRUE' : 'FALSE';
        if (typeof value === 'number')
            return Number.isFinite(value) ? String(value) : escape(String(value));
        return escape(value);
    });
}
/** A string as a PostgreSQL literal (standard_conforming_strings: only `'` needs doubling). */
function quoteLiteral(value) {
    return `'${value.replaceAll("'", "''")}'`;
}
/**
 * `?` → `$1…$n`, leaving `?` inside '…' literals, "…" identifiers and -- comments alone (engine
 * SQL is simple; this is not a full SQL lexer).
 */
function toNumberedPlaceholders(sql) {
    let result = '';
    let count = 0;
    let i = 0;
    while (i < sql.length) {
        const ch = sql[i];
        if (ch === "'" || ch === '"') {
            const close = sql.indexOf(ch, i + 1);
            const end = close === -1 ? sql.length : close + 1;
            result += sql.slice(i, end);
            i = end;
        }
        else if (ch === '-' && sql[i + 1] === '-') {
            const newline = sql.indexOf('\n', i);
            const end = newline === -1 ? sql.length : newline;
            result += sql.slice(i, end);
            i = end;
        }
        else if (ch === '?') {
            count += 1;
            result += `$${count}`;
            i += 1;
        }
        else {
            result += ch;
            i += 1;
        }
    }
    return result;
}
/** TIMESTAMP, TIMESTAMPTZ and DATE stay text: a JS Date would lose microseconds and shift zones. */
const TEXT_TYPE_OIDS = new Set([1082, 1114, 1184]);
const keepTimestampsAsText = {
    getTypeParser: ((oid, format) => TEXT_TYPE_OIDS.has(oid) && format !== 'binary'
        ? (value) => value
        : esm/* default.types */.Ay.types.getTypeParser(oid, format ?? 'text')),
};
function sslPlan(url, host) {
    const mode = url.query.sslmode ?? process.env.PGSSLMODE ?? 'prefer';
    // libpq never uses TLS over a Unix socket.
    if (host?.startsWith('/'))
        return { ssl: false, plainIfRefused: false };
    const files = {};
    if (url.query.sslrootcert)
        files.ca = (0,external_node_fs_.readFileSync)(url.query.sslrootcert);
    if (url.query.sslcert)
        files.cert = (0,external_node_fs_.readFileSync)(url.query.sslcert);
    if (url.query.sslkey)
        files.key = (0,external_node_fs_.readFileSync)(url.query.sslkey);
    switch (mode) {
        case 'disable':
        case 'allow': // libpq tries plain first; plain is what node-postgres can do for it
            return { ssl: false, plainIfRefused: false };
        case 'prefer': // libpq's default: TLS without verification when the server offers it
            return { ssl: { ...files, rejectUnauthorized: false }, plainIfRefused: true };
        case 'require':
            return { ssl: { ...files, rejectUnauthorized: false }, plainIfRefused: false };
        case 'verify-ca':
            return {
                ssl: { ...files, rejectUnauthorized: true, checkServerIdentity: () => undefined },
                plainIfRefused: false,
            };
        case 'verify-full':
            return { ssl: { ...files, rejectUnauthorized: true }, plainIfRefused: false };
        default:
            throw new errors/* JetbaseError */.N8('URL', `Unsupported sslmode "${mode}" in ${url.redacted}: use disable, allow, prefer, require, verify-ca or verify-full.`);
    }
}
function positiveSeconds(value) {
    if (value === undefined)
        return undefined;
    const seconds = Number(value);
    return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}
/** The Client settings from the URL; libpq-style query parameters not listed here are ignored. */
function clientConfig(url) {
    // SQLAlchemy allows the host (e.g. a socket directory) as ?host=… when the URL has none.
    const host = url.host ?? url.query.host ?? undefined;
    const port = url.port ?? (url.query.port ? Number(url.query.port) : undefined);
    const config = {
        host,
        port,
        user: url.username ?? undefined,
        password: url.password ?? undefined,
        database: url.database || undefined,
        application_name: url.query.application_name,
        connectionTimeoutMillis: positiveSeconds(url.query.connect_timeout),
        options: url.query.options,
        types: keepTimestampsAsText,
    };
    return { config, ssl: sslPlan(url, host) };
}
async function connectClient(config) {
    const client = new esm/* default.Client */.Ay.Client(config);
    // A connection dropped while idle is reported as an 'error' event, which would crash the
    // process unhandled; the next query fails with its own error instead.
    client.on('error', () => undefined);
    await client.connect();
    return client;
}
/** Servers (host:port) that refused TLS under sslmode=prefer: later connections go plain at once. */
const refusedTls = new Set();
async function openClient(url) {
    const { config, ssl } = clientConfig(url);
    const server = `${config.host ?? ''}:${config.port ?? ''}`;
    try {
        if (ssl.plainIfRefused && refusedTls.has(server))
            return await connectClient({ ...config, ssl: false });
        try {
            return await connectClient({ ...config, ssl: ssl.ssl });
        }
        catch (error) {
            const refused = error instanceof Error && error.message.includes('does not support SSL');
            if (!(ssl.plainIfRefused && refused))
                throw error;
            refusedTls.add(server);
            return await connectClient({ ...config, ssl: false });
        }
    }
    catch (error) {
        throw (0,common/* scrubbedError */.RF)(error, url.password);
    }
}
/**
 * The server's "not now" at connect time: SQLSTATE 57P03 (cannot_connect_now) and its texts, as
 * node-postgres passes them on (or as they are left once a password was scrubbed from the error).
 */
const STARTING_UP = /the database system is (starting up|not yet accepting connections|in recovery mode)/i;
/** node-postgres' words for a socket that closed under it, while connecting or later. */
const TERMINATED = /Connection terminated unexpectedly|Connection terminated due to connection timeout/i;
/** …and for a client that can no longer be used: it was terminated, or hit a connection error. */
const LOST = /Connection terminated|Client has encountered a connection error/i;
function postgresqlDriverErrorIs(error, kind) {
    if (kind === 'lost')
        return LOST.test(error.message);
    return error.code === '57P03' || STARTING_UP.test(error.message) || TERMINATED.test(error.message);
}
/** SQLSTATE of a statement interrupted by a CancelRequest. */
const QUERY_CANCELED = '57014';
/** An ErrorResponse of the server (it carries a SQLSTATE), not a socket or client error. */
function isServerError(error) {
    return error instanceof esm/* default.DatabaseError */.Ay.DatabaseError;
}
/** One result, or the list a simple-protocol query with several statements gives. */
function resultsOf(result) {
    return Array.isArray(result) ? result : [result];
}
class PostgresConnection {
    client;
    setSearchPath;
    constructor(client, setSearchPath) {
        this.client = client;
        this.setSearchPath = setSearchPath;
    }
    async execute(sql, params) {
        const results = resultsOf(await this.send(sql, params));
        return { rowsAffected: results.reduce((sum, result) => sum + (result.rowCount ?? 0), 0) };
    }
    async query(sql, params) {
        const results = resultsOf(await this.send(sql, params));
        const last = results[results.length - 1];
        return (last?.rows ?? []).map((row) => (0,common/* lowerCaseKeys */.QM)(row));
    }
    transaction(fn) {
        const { setSearchPath } = this;
        // Jetbase sets the search_path at the start of every transaction; so does this.
        const body = setSearchPath
            ? async () => {
                await this.client.query(setSearchPath);
                return fn();
            }
            : fn;
        return (0,common/* inTransaction */.sA)((sql) => this.client.query(sql), body);
    }
    /**
     * The whole migration in one round trip (one-message.ts). When the server refuses a statement's
     * text or values before running it (Parse or Bind: a line holding two commands, a `$1` in the
     * text), the transaction is rolled back and the file runs again statement by statement, so the
     * result, success or the same error, is what the simple protocol gives; a file that may hold a
     * COPY goes that way at once (docs/architecture.md, "PostgreSQL in one round trip").
     * Cancellation is checked before the message leaves, and interrupts it while it runs.
     */
    async runInTransaction(statements, final, hooks) {
        if (statements.some(mayReadCopyData))
            return this.runStatementByStatement(statements, final, hooks);
        await hooks.before(0);
        const prefix = this.setSearchPath ? ['BEGIN', this.setSearchPath] : ['BEGIN'];
        const steps = [
            ...[...prefix, ...statements].map((text) => ({ text, values: [] })),
            { text: toNumberedPlaceholders(final.sql), values: final.params },
            { text: 'COMMIT', values: [] },
        ];
        // Reported once the outcome is known: a file that runs again must not count its statements twice.
        const completed = [];
        // A cancellation while the message runs interrupts the running statement (the server then skips
        // the rest and the file rolls back); its request is awaited before anything else is sent, so it
        // can never land on a later query.
        let cancelling;
        const cancel = () => {
            const target = this.cancelTarget();
            if (target)
                cancelling = sendCancelRequest(target);
        };
        hooks.signal?.addEventListener('abort', cancel, { once: true });
        try {
            await sendAsOneMessage(this.client, steps, (step) => {
                const index = step - prefix.length;
                if (index >= 0 && index < statements.length)
                    completed.push(index);
            });
        }
        catch (error) {
            hooks.signal?.removeEventListener('abort', cancel);
            await cancelling;
            await this.client.query('ROLLBACK').catch(() => undefined);
            if (!(error instanceof StepFailure))
                throw error;
            // Interrupted by our own cancel: stop as a cancellation (before() throws it), not a failure.
            if (hooks.signal?.aborted && error.cause.code === QUERY_CANCELED)
                await hooks.before(Math.max(0, error.step - prefix.length));
            // Every step, COMMIT included, completed before the session ended: the migration is in.
            if (error.step >= steps.length) {
                for (const done of completed)
                    hooks.after(done);
                return;
            }
            const index = error.step - prefix.length;
            // Not the server's answer but a lost connection: the server may still run the rest and commit.
            if (!isServerError(error.cause))
                throw new dialect/* StatementFailure */.s(statements.length, error.cause, { outcomeUnknown: true });
            // BEGIN or SET search_path: no statement of the file to name.
            if (index < 0)
                throw error.cause;
            if (index < statements.length && error.phase !== 'execute')
                return this.runStatementByStatement(statements, final, hooks);
            for (const done of completed)
                hooks.after(done);
            throw new dialect/* StatementFailure */.s(Math.min(index, statements.length), error.cause);
        }
        hooks.signal?.removeEventListener('abort', cancel);
        await cancelling;
        for (const done of completed)
            hooks.after(done);
    }
    /** Where to send a CancelRequest for this session (BackendKeyData, kept by node-postgres). */
    cancelTarget() {
        const { processID, secretKey, host, port } = this.client;
        if (typeof processID !== 'number' || typeof secretKey !== 'number')
            return undefined;
        return { host, port, processId: processID, secretKey };
    }
    /**
     * The file's statements as one simple Query each, BEGIN (and the search_path) riding with the
     * first and the history write with COMMIT. Values of the history write are inlined as literals
     * (escapeLiteral): the simple protocol has no parameters.
     */
    async runStatementByStatement(statements, final, hooks) {
        const begin = this.setSearchPath ? `BEGIN;\n${this.setSearchPath};\n` : 'BEGIN;\n';
        let open = false;
        try {
            if (statements.length === 0) {
                await this.client.query(begin);
                open = true;
            }
            for (const [index, statement] of statements.entries()) {
                await hooks.before(index);
                try {
                    // A statement may end in a `--` comment: it goes last on its own line.
                    await this.client.query(open ? statement : `${begin}${statement}`);
                }
                catch (error) {
                    open = true; // the BEGIN may have run: roll back in any case
                    throw new dialect/* StatementFailure */.s(index, error);
                }
                open = true;
                hooks.after(index);
            }
            try {
                await this.client.query(`${inlineParameters(final.sql, final.params, (v) => this.client.escapeLiteral(v))};\nCOMMIT`);
            }
            catch (error) {
                throw new dialect/* StatementFailure */.s(statements.length, error);
            }
            open = false;
        }
        catch (error) {
            if (open)
                await this.client.query('ROLLBACK').catch(() => undefined);
            throw error;
        }
    }
    async close() {
        await this.client.end();
    }
    /** No params: the simple protocol with the text untouched (no placeholders); else `$n` binds. */
    send(sql, params) {
        if (!params || params.length === 0)
            return this.client.query(sql);
        return this.client.query(toNumberedPlaceholders(sql), [...params]);
    }
}
async function createPostgresqlDialect(url, options) {
    // Validate the URL's TLS settings now rather than at the first connect.
    clientConfig(url);
    const schema = options.postgresSchema ?? null;
    // A string literal, not an identifier or a bind parameter: the schema's case is kept, as in Jetbase.
    const setSearchPath = schema ? `SET search_path TO ${quoteLiteral(schema)}` : null;
    return {
        name: 'postgresql',
        transactionalDdl: true,
        sql: postgresqlSql,
        target: url.redacted,
        anyTableOrView: `SELECT c.relname
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema()
      AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
    ORDER BY c.relname
    LIMIT 1`,
        driverErrorIs: postgresqlDriverErrorIs,
        async connect(connectOptions) {
            const client = await openClient(url);
            try {
                // Also once per session, so reads outside a transaction see the same schema.
                if (setSearchPath)
                    await client.query(setSearchPath);
                // A read-only command's session refuses writes; a PR check can't change the database.
                if (connectOptions?.readOnly)
                    await client.query('SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY');
            }
            catch (error) {
                await client.end().catch(() => undefined);
                throw error;
            }
            return new PostgresConnection(client, setSearchPath);
        },
    };
}


/***/ })

};

