export const id = 745;
export const ids = [745];
export const modules = {

/***/ 43745:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  start: () => (/* binding */ start)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(96421);
;// CONCATENATED MODULE: ./src/action/constants.ts
/**
 * Names shared with action.yml, in one place (the actions/cache pattern). A test asserts that these
 * and action.yml agree, defaults included, so neither can drift from the other.
 */
const Inputs = {
    DatabaseUrl: 'database-url',
    Directory: 'directory',
    Command: 'command',
    DryRun: 'dry-run',
    Count: 'count',
    ToVersion: 'to-version',
    SkipValidation: 'skip-validation',
    SkipChecksumValidation: 'skip-checksum-validation',
    SkipFileValidation: 'skip-file-validation',
    PostgresSchema: 'postgres-schema',
    SnowflakePrivateKey: 'snowflake-private-key',
    SnowflakePrivateKeyPassword: 'snowflake-private-key-password',
    AsyncMode: 'async-mode',
    LockTimeout: 'lock-timeout',
    ConnectTimeout: 'connect-timeout',
    Comment: 'comment',
    Summary: 'summary',
    GithubToken: 'github-token',
    Environment: 'environment',
    Lint: 'lint',
    RequireReviewedPlan: 'require-reviewed-plan',
    VerifyDatabaseUrl: 'verify-database-url',
};
/**
 * Defaults as action.yml declares them. The runner always passes them; they are repeated here only
 * so a run without the runner (tests, `node dist/index.js` by hand) behaves the same.
 */
const InputDefaults = {
    'database-url': '',
    directory: 'jetbase',
    command: 'auto',
    'dry-run': 'false',
    count: '',
    'to-version': '',
    'skip-validation': 'false',
    'skip-checksum-validation': 'false',
    'skip-file-validation': 'false',
    'postgres-schema': '',
    'snowflake-private-key': '',
    'snowflake-private-key-password': '',
    'async-mode': 'false',
    'lock-timeout': '60',
    'connect-timeout': '30',
    comment: 'true',
    summary: 'true',
    'github-token': '${{ github.token }}',
    environment: '',
    lint: 'error',
    'require-reviewed-plan': 'false',
    'verify-database-url': '',
};
const Outputs = {
    Result: 'result',
    AppliedCount: 'applied-count',
    PendingCount: 'pending-count',
    CurrentVersion: 'current-version',
    Drift: 'drift',
    Report: 'report',
    RiskCount: 'risk-count',
    PlanHash: 'plan-hash',
    Verified: 'verified',
};
/** Saved with core.saveState in the main step, read as STATE_<name> by the post step. */
const State = {
    /** Set by the main step: the same bundle then runs as the post step (actions/checkout's pattern). */
    IsPost: 'isPost',
    /** The lock holder id, saved before the lock is requested. */
    LockProcessId: 'lockProcessId',
    /** `true` once the main step knows the lock is released (nothing for the post step to do). */
    LockReleased: 'lockReleased',
    /** The redacted target (no password), for the post step's messages. */
    LockTarget: 'lockTarget',
};
const LINT_MODES = ['error', 'warn', 'off'];
const COMMANDS = ['auto', 'validate', 'upgrade', 'rollback', 'status'];

// EXTERNAL MODULE: external "node:perf_hooks"
var external_node_perf_hooks_ = __webpack_require__(643);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ./src/engine/checksum.ts

/** Lower-case hex SHA-256 of the upgrade statements joined by `\n` (docs/format.md, "Checksums"). */
function checksumOfStatements(statements) {
    return (0,external_node_crypto_.createHash)('sha256').update(statements.join('\n'), 'utf8').digest('hex');
}

;// CONCATENATED MODULE: ./src/engine/pystr.ts
/**
 * Python's string semantics where they differ from JavaScript's and where Jetbase applies them to
 * file text (docs/format.md, "Whitespace"). JavaScript's trim() and regex `\s` treat U+FEFF (the
 * BOM) as whitespace and U+001C–U+001F and U+0085 as not; Python does the opposite, and a different
 * strip means different statements and a different checksum than Python Jetbase's.
 */
/** The characters Python's `str.strip()` removes and Python's `re` matches with `\s` (they are one set). */
const PY_WHITESPACE_CODES = [
    0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002,
    0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
];
const PY_WHITESPACE = new Set(PY_WHITESPACE_CODES);
const unicodeEscape = (code) => `\\u${code.toString(16).padStart(4, '0')}`;
/** Regex source for Python's `\s`, for patterns used without the `u` flag. */
const PY_SPACE_CLASS = `[${PY_WHITESPACE_CODES.map(unicodeEscape).join('')}]`;
/**
 * Non-ASCII characters that Python's `re.IGNORECASE` equates with an ASCII letter (checked against
 * python3 over every code point): dotted and dotless I, long s, Kelvin sign. JavaScript's `/i`
 * matches none of them; `/iu` matches only the last two.
 */
const PY_IGNORECASE_EXTRA = {
    i: [0x130, 0x131],
    k: [0x212a],
    s: [0x17f],
};
/** Regex source matching `literal` as Python's `re.IGNORECASE` does (letters become classes, the rest is escaped). */
function pyIgnoreCaseSource(literal) {
    return Array.from(literal, (char) => {
        const lower = char.toLowerCase();
        if (!/^[a-z]$/.test(lower))
            return char.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
        const extra = (PY_IGNORECASE_EXTRA[lower] ?? []).map(unicodeEscape).join('');
        return `[${lower}${lower.toUpperCase()}${extra}]`;
    }).join('');
}
/** Python `s.strip()`; every character in the set is one UTF-16 unit, so indexing by unit is exact. */
function pystr_pyStrip(s) {
    let start = 0;
    let end = s.length;
    while (start < end && PY_WHITESPACE.has(s.charCodeAt(start)))
        start++;
    while (end > start && PY_WHITESPACE.has(s.charCodeAt(end - 1)))
        end--;
    return start === 0 && end === s.length ? s : s.slice(start, end);
}
/** Python `s.rstrip()`. */
function pyRstrip(s) {
    let end = s.length;
    while (end > 0 && PY_WHITESPACE.has(s.charCodeAt(end - 1)))
        end--;
    return end === s.length ? s : s.slice(0, end);
}
/**
 * Python `s.rstrip(chars)`: strips trailing characters that belong to the *set* `chars`, not the
 * suffix, so with the delimiter `$$` every trailing `$` goes (docs/format.md, "Splitting a file into statements").
 */
function pyRstripChars(s, chars) {
    const set = new Set(Array.from(chars));
    const units = Array.from(s);
    let end = units.length;
    while (end > 0 && set.has(units[end - 1]))
        end--;
    return end === units.length ? s : units.slice(0, end).join('');
}
/**
 * Lines as Python's text-mode file reading yields them: `\n`, `\r\n` and a lone `\r` end a line, and
 * nothing else does (U+2028, U+0085, U+001C… stay inside the line, unlike `str.splitlines()`); the
 * last line need not end with a newline.
 */
function splitLines(text) {
    const lines = text.replace(/\r\n?/g, '\n').split('\n');
    if (lines.length > 0 && lines[lines.length - 1] === '')
        lines.pop();
    return lines;
}

;// CONCATENATED MODULE: ./src/engine/directives.ts
/**
 * Comment-line directives this project reads in a file's header (the leading blank and `--` lines,
 * the same lines the delimiter directive may use). Comment lines never reach the checksum, so adding
 * one to an applied file is not drift. Python Jetbase ignores these lines.
 */

/** `-- jetbase: transaction=off`: run the file's statements one by one in autocommit. */
const TRANSACTION_OFF = /^--\s*jetbase:\s*transaction\s*=\s*off\s*$/i;
/** The comment lines before the first line that is neither blank nor a `--` comment. */
function headerCommentLines(text) {
    const header = [];
    const lines = splitLines(text);
    for (let i = 0; i < lines.length; i++) {
        const stripped = pystr_pyStrip(lines[i]);
        if (stripped === '')
            continue;
        if (!stripped.startsWith('--'))
            break;
        header.push({ line: i + 1, text: stripped });
    }
    return header;
}
/** Whether the file's header asks for `transaction=off`. */
function transactionOffIn(text) {
    return headerCommentLines(text).some((header) => TRANSACTION_OFF.test(header.text));
}

// EXTERNAL MODULE: ./src/engine/errors.ts
var errors = __webpack_require__(17679);
;// CONCATENATED MODULE: ./src/engine/version.ts
/**
 * Version keys and PEP 440 ordering for digit-only versions (docs/format.md, "Versions and their
 * order"). ASCII digits only: Jetbase's Python `\d` would also take other scripts' digits, which no
 * one can order.
 */
const VERSION_PATTERN = /^[0-9]+([._][0-9]+)*$/;
function version_isValidVersion(raw) {
    return VERSION_PATTERN.test(raw);
}
/** The stored key: every `_` becomes `.`, nothing else changes (`V01_5` → `01.5`). */
function versionKey(raw) {
    return raw.replaceAll('_', '.');
}
/** The numeric components of a version key, trailing zeros dropped (PEP 440: `1.0` is `1`). */
function parseVersion(key) {
    const parts = key.split('.').map((p) => BigInt(p));
    while (parts.length > 0 && parts[parts.length - 1] === 0n)
        parts.pop();
    return parts;
}
function compareParsedVersions(left, right) {
    const n = Math.min(left.length, right.length);
    for (let i = 0; i < n; i++) {
        if (left[i] !== right[i])
            return left[i] < right[i] ? -1 : 1;
    }
    return left.length === right.length ? 0 : left.length < right.length ? -1 : 1;
}
/** PEP 440 compare: numeric components, leading and trailing zeros irrelevant (`1 == 1.0`, `2 < 2.0.1 < 11`). */
function compareVersions(a, b) {
    return compareParsedVersions(parseVersion(a), parseVersion(b));
}
/** A canonical form under PEP 440 equality, for duplicate detection (`V1` and `V1.0` are duplicates). */
function canonicalVersion(key) {
    return parseVersion(key).join('.');
}

;// CONCATENATED MODULE: ./src/engine/names.ts
/** Migration file names (docs/format.md, "Migration file names"). */


const names_MAX_FILENAME_LENGTH = 512;
/** Jetbase's exact message for an invalid versioned file name. */
function invalidFilenameMessage(name) {
    return (`Invalid migration filename format: ${name}.\n` +
        "Filenames must start with 'V', followed by the version number, two underscores '__', a description, and end with '.sql'.\n" +
        "V<version_number>__<my_description>.sql. Examples: 'V1_2_0__add_new_table.sql' or 'V1.2.0__add_new_table.sql'\n");
}
function tooLongMessage(name) {
    return `Migration filename too long: ${name}.\nFilename is currently ${name.length} characters.\nFilenames must not exceed ${names_MAX_FILENAME_LENGTH} characters.`;
}
/** The raw description: between the first `__` and the first `.sql` after it, stripped of Python whitespace. */
function rawDescription(name) {
    const start = name.indexOf('__');
    if (start < 0)
        return '';
    const end = name.indexOf('.sql', start + 2);
    return pystr_pyStrip(name.slice(start + 2, end < 0 ? name.length : end));
}
/** Stored/printed description: underscores become spaces. */
function formatDescription(raw) {
    return raw.replaceAll('_', ' ');
}
function names_parseMigrationName(name) {
    if (name.length > names_MAX_FILENAME_LENGTH)
        return { ok: false, reason: 'too-long', message: tooLongMessage(name) };
    const invalid = { ok: false, reason: 'invalid', message: invalidFilenameMessage(name) };
    if (!name.endsWith('.sql'))
        return invalid;
    if (!(name.startsWith('V') || name.startsWith('RA__') || name.startsWith('ROC__')))
        return invalid;
    if (!name.includes('__'))
        return invalid;
    const raw = rawDescription(name);
    if (raw === '')
        return invalid;
    const description = formatDescription(raw);
    if (name.startsWith('RA__'))
        return { ok: true, type: 'RUNS_ALWAYS', version: null, description };
    if (name.startsWith('ROC__'))
        return { ok: true, type: 'RUNS_ON_CHANGE', version: null, description };
    const rawVersion = name.slice(1, name.indexOf('__'));
    if (!version_isValidVersion(rawVersion))
        return invalid;
    return { ok: true, type: 'VERSIONED', rawVersion, version: versionKey(rawVersion), description };
}

;// CONCATENATED MODULE: ./src/engine/sql-file.ts

/**
 * Jetbase's `re.match(r"^--\s*jetbase:\s*delimiter=(.+)$", line, re.IGNORECASE)`, spelled so that
 * JavaScript matches exactly what Python's `re` does: Python's `\s` set, Python's case folding
 * (`ı`, `İ` and `ſ` count as letters of the directive), and `.` as "anything but `\n`" (a line read
 * from a file holds no `\n`, but may hold U+2028 and U+2029, which JavaScript's `.` refuses).
 */
const DELIMITER_DIRECTIVE = new RegExp(`^--${PY_SPACE_CLASS}*${pyIgnoreCaseSource('jetbase:')}${PY_SPACE_CLASS}*${pyIgnoreCaseSource('delimiter=')}([^\n]+)$`);
const DEFAULT_DELIMITER = ';';
function delimiterOf(lines) {
    for (const raw of lines) {
        const line = pystr_pyStrip(raw);
        const match = DELIMITER_DIRECTIVE.exec(line);
        if (match)
            return pystr_pyStrip(match[1]);
        if (line !== '' && !line.startsWith('--'))
            break;
    }
    return DEFAULT_DELIMITER;
}
/** `-- rollback`, `--rollback`, `--   ROLLBACK  `; not `-- rollback;` or `---rollback`. `line` is already stripped as the mode requires. */
function isRollbackMarker(line) {
    return line.startsWith('--') && pystr_pyStrip(line.slice(2)).toLowerCase() === 'rollback';
}
function parseSection(lines, delimiter, section, mode) {
    const statements = [];
    const trailingCommentLines = [];
    let current = [];
    let currentStart = 0;
    let inSection = section === 'upgrade';
    const joiner = mode === 'execution' ? ' ' : '\n';
    for (let i = 0; i < lines.length; i++) {
        const line = mode === 'execution' ? pystr_pyStrip(lines[i]) : pyRstrip(lines[i]);
        if (isRollbackMarker(line)) {
            if (section === 'upgrade')
                break;
            if (!inSection) {
                inSection = true;
                continue;
            }
        }
        if (!inSection)
            continue;
        const stripped = mode === 'execution' ? line : pystr_pyStrip(line);
        if (stripped === '' || stripped.startsWith('--'))
            continue;
        if (current.length === 0)
            currentStart = i + 1;
        current.push(line);
        if (line.endsWith(delimiter)) {
            const sql = pystr_pyStrip(pyRstripChars(current.join(joiner), delimiter));
            if (sql !== '')
                statements.push({ sql, line: currentStart });
            current = [];
        }
        else if (hasDelimiterBeforeComment(line, delimiter)) {
            trailingCommentLines.push(i + 1);
        }
    }
    const leftover = current.join(joiner);
    return {
        statements,
        trailingCommentLines,
        ...(current.length > 0 ? { unterminated: { line: currentStart, text: leftover } } : {}),
    };
}
/** `SELECT 1; -- note`: the delimiter is followed only by a `--` comment on the same line. */
function hasDelimiterBeforeComment(line, delimiter) {
    const commentAt = line.indexOf('--');
    if (commentAt <= 0)
        return false;
    return pyRstrip(line.slice(0, commentAt)).endsWith(delimiter);
}
function parseSqlFile(text, mode = 'execution') {
    const lines = splitLines(text);
    const delimiter = delimiterOf(lines);
    let rollbackMarkerLine;
    for (let i = 0; i < lines.length; i++) {
        const line = mode === 'execution' ? pystr_pyStrip(lines[i]) : pyRstrip(lines[i]);
        if (isRollbackMarker(line)) {
            rollbackMarkerLine = i + 1;
            break;
        }
    }
    return {
        delimiter,
        upgrade: parseSection(lines, delimiter, 'upgrade', mode),
        rollback: parseSection(lines, delimiter, 'rollback', mode),
        ...(rollbackMarkerLine === undefined ? {} : { rollbackMarkerLine }),
    };
}
/** Upgrade statements in execution mode: what runs and what the checksum covers (docs/format.md, "Checksums"). */
function upgradeStatements(text) {
    return parseSqlFile(text).upgrade.statements.map((s) => s.sql);
}
/** Rollback statements in execution mode: everything after the first rollback marker. */
function rollbackStatements(text) {
    return parseSqlFile(text).rollback.statements.map((s) => s.sql);
}
/** Problems a file has on its own (unterminated text, comments after a delimiter), with the file path given by the caller. */
function sqlFileProblems(parsed, file) {
    const problems = [];
    for (const [section, parsedSection] of [
        ['upgrade', parsed.upgrade],
        ['rollback', parsed.rollback],
    ]) {
        if (parsedSection.unterminated) {
            const excerpt = pystr_pyStrip(parsedSection.unterminated.text).slice(0, 80);
            problems.push({
                kind: 'unterminated-statement',
                severity: 'error',
                file,
                line: parsedSection.unterminated.line,
                message: `${file}:${parsedSection.unterminated.line}: the ${section} section ends with text that no '${parsed.delimiter}' closes ("${excerpt}"); Jetbase would silently skip it. End the statement with '${parsed.delimiter}'.`,
            });
        }
        for (const line of parsedSection.trailingCommentLines) {
            problems.push({
                kind: 'trailing-comment',
                severity: 'warning',
                file,
                line,
                message: `${file}:${line}: a comment follows '${parsed.delimiter}' on the same line, so the statement does not end there and continues into the next line (Jetbase parses it the same way). Move the comment to its own line.`,
            });
        }
    }
    return problems;
}

;// CONCATENATED MODULE: ./src/engine/discovery.ts
/**
 * Finding migration files (docs/format.md, "Finding migration files"). One walk reads every file once; everything
 * later (plan, checksums, previews) works from this in-memory list.
 */








const MIGRATIONS_DIR = 'migrations';
/** Jetbase's directory guard (a `migrations/` directory must exist), with the message naming the path. */
function assertJetbaseDir(jetbaseDir) {
    let stat;
    try {
        stat = (0,external_node_fs_.statSync)(external_node_path_default().join(jetbaseDir, MIGRATIONS_DIR));
    }
    catch {
        stat = undefined;
    }
    if (!stat?.isDirectory()) {
        throw new errors/* DirectoryError */.uz(`'migrations' directory not found in ${jetbaseDir}.\nAdd a migrations directory inside the 'jetbase' directory to proceed.`, { hint: "Run 'jetbase init' to create a Jetbase project, or pass --dir PATH to point at one." });
    }
}
/** Top-down walk: a directory's files, then its sub-directories, each in name order; symlinked directories are not followed. */
function walk(dir, relativeDir, out) {
    const entries = (0,external_node_fs_.readdirSync)(dir, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    const subdirs = [];
    for (const entry of entries) {
        const absolutePath = external_node_path_default().join(dir, entry.name);
        const relativePath = `${relativeDir}/${entry.name}`;
        // A Dirent of a symlink is neither file nor directory: symlinked directories are not entered.
        if (entry.isDirectory())
            subdirs.push([absolutePath, relativePath]);
        else if (entry.isFile())
            out.push({ absolutePath, relativePath });
        else if (entry.isSymbolicLink()) {
            // A symlinked file counts (os.walk lists it).
            try {
                if ((0,external_node_fs_.statSync)(absolutePath).isFile())
                    out.push({ absolutePath, relativePath });
            }
            catch {
                // dangling link: nothing to read
            }
        }
    }
    for (const [absolutePath, relativePath] of subdirs)
        walk(absolutePath, relativePath, out);
}
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
function discoverMigrations(jetbaseDir) {
    assertJetbaseDir(jetbaseDir);
    const found = [];
    walk(external_node_path_default().join(jetbaseDir, MIGRATIONS_DIR), MIGRATIONS_DIR, found);
    const problems = [];
    const versioned = [];
    const runsAlways = [];
    const runsOnChange = [];
    for (const { absolutePath, relativePath } of found) {
        const filename = external_node_path_default().basename(absolutePath);
        // Only `.sql` files are migrations; `.gitkeep`, `README.md` are ignored everywhere (Jetbase fails on them).
        if (!filename.endsWith('.sql')) {
            if (filename.toLowerCase().endsWith('.sql')) {
                problems.push({
                    kind: 'invalid-filename',
                    severity: 'warning',
                    file: relativePath,
                    message: `${relativePath} is ignored: migration files must end in lower-case '.sql'.`,
                });
            }
            continue;
        }
        const name = names_parseMigrationName(filename);
        if (!name.ok) {
            problems.push({
                kind: name.reason === 'too-long' ? 'filename-too-long' : 'invalid-filename',
                severity: 'error',
                file: relativePath,
                message: `${relativePath}: ${name.message.split('\n')[0]} ${name.reason === 'too-long' ? `It has ${filename.length} characters; the limit is 512.` : 'Expected V<version>__<description>.sql (e.g. V1_2_0__add_table.sql), RA__<description>.sql or ROC__<description>.sql.'}`,
            });
            continue;
        }
        let text;
        try {
            text = utf8.decode((0,external_node_fs_.readFileSync)(absolutePath));
        }
        catch (error) {
            problems.push({
                kind: 'unreadable-file',
                severity: 'error',
                file: relativePath,
                message: `${relativePath} cannot be read as UTF-8 text (${error instanceof Error ? error.message : String(error)}).`,
            });
            continue;
        }
        const parsed = parseSqlFile(text);
        const upgradeStatements = parsed.upgrade.statements.map((s) => s.sql);
        const file = {
            filename,
            absolutePath,
            relativePath,
            type: name.type,
            version: name.version,
            description: name.description,
            text,
            parsed,
            upgradeStatements,
            rollbackStatements: parsed.rollback.statements.map((s) => s.sql),
            checksum: checksumOfStatements(upgradeStatements),
            transactionOff: transactionOffIn(text),
            fileProblems: sqlFileProblems(parsed, relativePath),
        };
        if (name.type === 'VERSIONED')
            versioned.push(file);
        else if (name.type === 'RUNS_ALWAYS')
            runsAlways.push(file);
        else
            runsOnChange.push(file);
    }
    // Equal under PEP 440 (V1 and V1.0, V01 and V1) is a duplicate, naming both files; Jetbase would apply both.
    const byCanonical = new Map();
    for (const file of versioned) {
        const canonical = canonicalVersion(file.version);
        const earlier = byCanonical.get(canonical);
        if (earlier) {
            const same = earlier.version === file.version;
            problems.push({
                kind: 'duplicate-version',
                severity: 'error',
                file: file.relativePath,
                version: file.version,
                message: same
                    ? `Duplicate migration version detected: ${file.version} (${earlier.relativePath} and ${file.relativePath}). Each file must have a unique version.`
                    : `Versions ${earlier.version} (${earlier.relativePath}) and ${file.version} (${file.relativePath}) are equal as versions: rename one so each file has a unique version.`,
            });
        }
        else
            byCanonical.set(canonical, file);
    }
    for (const list of [runsAlways, runsOnChange]) {
        const seen = new Map();
        for (const file of list) {
            const earlier = seen.get(file.filename);
            if (earlier) {
                problems.push({
                    kind: 'duplicate-version',
                    severity: 'error',
                    file: file.relativePath,
                    message: `Repeatable migration ${file.filename} exists twice (${earlier.relativePath} and ${file.relativePath}); both would write the same history row. Rename one.`,
                });
            }
            else
                seen.set(file.filename, file);
        }
    }
    // Parse each version once, not on every comparison (10,000 files: ~130,000 comparisons).
    const keys = new Map(versioned.map((file) => [file, parseVersion(file.version)]));
    versioned.sort((a, b) => compareParsedVersions(keys.get(a), keys.get(b)));
    const byPath = (a, b) => a.absolutePath < b.absolutePath ? -1 : a.absolutePath > b.absolutePath ? 1 : 0;
    runsAlways.sort(byPath);
    runsOnChange.sort(byPath);
    return { jetbaseDir, versioned, runsAlways, runsOnChange, problems };
}

// EXTERNAL MODULE: ./src/engine/history.ts
var engine_history = __webpack_require__(50390);
;// CONCATENATED MODULE: ./src/engine/plan.ts


function hasErrors(problems) {
    return problems.some((p) => p.severity === 'error');
}
function buildPlan(discovery, history, options = {}) {
    const skipFiles = Boolean(options.skipValidation || options.skipFileValidation);
    const skipChecksums = Boolean(options.skipValidation || options.skipChecksumValidation);
    const problems = [...discovery.problems];
    const latest = (0,engine_history/* latestVersioned */.Do)(history);
    const appliedVersions = new Map();
    const repeatableRows = new Map();
    for (const row of history) {
        if (row.migrationType === 'VERSIONED' && row.version !== null)
            appliedVersions.set(row.version, row);
        else
            repeatableRows.set(`${row.migrationType}\0${row.filename}`, row);
    }
    const fileVersions = new Set();
    let pending = [];
    const skippedOutOfOrder = [];
    for (const file of discovery.versioned) {
        const version = file.version;
        fileVersions.add(version);
        const row = appliedVersions.get(version);
        if (row) {
            if (!skipChecksums && row.checksum !== file.checksum) {
                problems.push({
                    kind: 'checksum-mismatch',
                    severity: 'error',
                    file: file.relativePath,
                    version,
                    message: `Checksum mismatch for version ${version}: ${file.relativePath} has changed since it was applied (stored ${shortSum(row.checksum)}, file ${shortSum(file.checksum)}).`,
                    fix: 'jetbase fix-checksums',
                });
            }
            // Already applied: text Jetbase dropped was never run; flagging it as an error would demand an edit that changes the checksum.
            problems.push(...file.fileProblems.map((p) => ({ ...p, severity: 'warning' })));
            continue;
        }
        problems.push(...file.fileProblems);
        if (latest?.version != null && compareVersions(version, latest.version) < 0) {
            if (skipFiles) {
                skippedOutOfOrder.push(file);
                problems.push({
                    kind: 'out-of-order',
                    severity: 'warning',
                    file: file.relativePath,
                    version,
                    message: `${file.relativePath} (version ${version}) is lower than the latest applied version ${latest.version}; skipped because file validation is off. It will not run.`,
                });
            }
            else {
                problems.push({
                    kind: 'out-of-order',
                    severity: 'error',
                    file: file.relativePath,
                    version,
                    message: `${file.relativePath} has version ${version}, which is lower than the latest migrated version ${latest.version}. New migration files cannot have versions lower than the latest migrated version; rename it to a version higher than ${latest.version}.`,
                });
            }
            continue;
        }
        pending.push({ file, hasRow: false, reason: 'pending' });
    }
    if (!skipFiles) {
        for (const [version] of appliedVersions) {
            if (!fileVersions.has(version)) {
                problems.push({
                    kind: 'missing-file',
                    severity: 'error',
                    version,
                    message: `Version ${version} has been migrated but is missing from the current migration files.`,
                    fix: 'jetbase fix-files',
                });
            }
        }
    }
    const raNames = new Set(discovery.runsAlways.map((f) => f.filename));
    const rocNames = new Set(discovery.runsOnChange.map((f) => f.filename));
    if (!skipFiles) {
        for (const row of repeatableRows.values()) {
            const present = row.migrationType === 'RUNS_ALWAYS' ? raNames.has(row.filename) : rocNames.has(row.filename);
            if (!present) {
                problems.push({
                    kind: 'missing-repeatable',
                    severity: 'error',
                    message: `The migrated repeatable file ${row.filename} is missing from the current migration files.`,
                    fix: 'jetbase fix-files',
                });
            }
        }
    }
    const runsAlways = discovery.runsAlways.map((file) => {
        problems.push(...file.fileProblems);
        return { file, hasRow: repeatableRows.has(`RUNS_ALWAYS\0${file.filename}`), reason: 'always' };
    });
    const runsOnChange = [];
    for (const file of discovery.runsOnChange) {
        const row = repeatableRows.get(`RUNS_ON_CHANGE\0${file.filename}`);
        if (row && row.checksum === file.checksum)
            continue;
        problems.push(...file.fileProblems);
        runsOnChange.push({ file, hasRow: row !== undefined, reason: row ? 'changed' : 'new' });
    }
    if (options.toVersion !== undefined) {
        const index = pending.findIndex((p) => p.file.version === options.toVersion);
        if (index < 0) {
            problems.push({
                kind: 'missing-file',
                severity: 'error',
                version: options.toVersion,
                message: `The specified to_version '${options.toVersion}' does not exist among pending migrations.`,
            });
            pending = [];
        }
        else
            pending = pending.slice(0, index + 1);
    }
    else if (options.count !== undefined) {
        pending = pending.slice(0, options.count);
    }
    return {
        history,
        latest,
        pendingVersioned: pending,
        runsAlways,
        runsOnChange,
        skippedOutOfOrder,
        problems,
    };
}
function shortSum(sum) {
    return sum === null ? 'none' : sum.slice(0, 12);
}
/** Everything an upgrade would run, in execution order: versioned, then RA, then ROC (as Jetbase's code does). */
function executionOrder(plan) {
    return [...plan.pendingVersioned, ...plan.runsAlways, ...plan.runsOnChange];
}

;// CONCATENATED MODULE: ./src/engine/sleep.ts
/** Waits `ms`, or less when `signal` aborts first (the caller then checks the signal itself). */
function sleep(ms, signal) {
    return new Promise((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
        }
        signal?.addEventListener('abort', done, { once: true });
    });
}

;// CONCATENATED MODULE: ./src/engine/connect.ts


const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 4000;
/**
 * Node's socket errors that mean "not there yet" rather than "wrong". Drivers' own codes and texts
 * (a server that is starting up, a driver's "connection lost") are the dialect's to recognise.
 */
const TRANSIENT_CODES = new Set([
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'EAI_AGAIN',
    'EPIPE',
]);
/**
 * Dialects scrub driver errors into plain Errors (no `code`) when the message held a password, so
 * the message is checked too.
 */
const TRANSIENT_MESSAGE = /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)\b/i;
/** A connection that was up and is gone, in Node's words ("socket hang up" is its HTTP client's). */
const LOST_CODES = new Set(['ECONNRESET', 'EPIPE']);
const LOST_MESSAGE = /\b(ECONNRESET|EPIPE|ETIMEDOUT)\b|socket hang up/i;
/** The error and its causes, at most five deep (a cycle of causes must not hang the engine). */
function* causeChain(error) {
    for (let current = error, depth = 0; current && depth < 5; depth++) {
        const code = current.code;
        yield { message: (0,errors/* errorMessage */.gJ)(current), code: typeof code === 'string' ? code : undefined };
        current = current.cause;
    }
}
function isTransientConnectError(error, dialect) {
    if (error instanceof errors/* JetbaseError */.N8)
        return false;
    if (TRANSIENT_MESSAGE.test((0,errors/* errorMessage */.gJ)(error)))
        return true;
    for (const link of causeChain(error)) {
        if (link.code !== undefined && TRANSIENT_CODES.has(link.code))
            return true;
        if (dialect?.driverErrorIs?.(link, 'transient'))
            return true;
    }
    return false;
}
function isConnectionLoss(error, dialect) {
    for (const link of causeChain(error)) {
        if (link.code !== undefined && LOST_CODES.has(link.code))
            return true;
        if (LOST_MESSAGE.test(link.message))
            return true;
        if (dialect?.driverErrorIs?.(link, 'lost'))
            return true;
    }
    return false;
}
/**
 * An error of a command whose connection was lost, with the target named in front ("which
 * database?" is the first question when a network drops). Other errors are returned as they are.
 * A JetbaseError keeps its class and fields (a MigrationError still says what was rolled back).
 */
function namingLostTarget(error, source) {
    if (!isConnectionLoss(error, source))
        return error;
    const prefix = `Lost the connection to ${source.target}: `;
    if (error instanceof errors/* JetbaseError */.N8) {
        if (!error.message.startsWith(prefix))
            error.message = `${prefix}${error.message}`;
        return error;
    }
    return new errors/* JetbaseError */.N8('DATABASE', `${prefix}${(0,errors/* errorMessage */.gJ)(error)}`, { cause: error });
}
async function connectWithRetry(ctx, readOnly) {
    const { dialect, signal } = ctx;
    const budgetMs = Math.max(0, ctx.connectRetryMs ?? 0);
    const started = Date.now();
    let delay = FIRST_DELAY_MS;
    for (let attempt = 1;; attempt++) {
        try {
            return await dialect.connect({ readOnly });
        }
        catch (error) {
            if (error instanceof errors/* JetbaseError */.N8)
                throw error;
            const elapsed = Date.now() - started;
            const left = budgetMs - elapsed;
            if (!isTransientConnectError(error, dialect) || left <= 0) {
                const retried = attempt > 1 ? ` (gave up after ${attempt} attempts over ${(elapsed / 1000).toFixed(1)} s)` : '';
                throw new errors/* JetbaseError */.N8('DATABASE', `Cannot connect to ${dialect.target}: ${(0,errors/* errorMessage */.gJ)(error)}${retried}`, {
                    cause: error,
                    ...(isTransientConnectError(error, dialect) && budgetMs === 0
                        ? {
                            hint: 'If the database is still starting, wait for it with --connect-timeout SECONDS (action input connect-timeout).',
                        }
                        : {}),
                });
            }
            const wait = Math.min(delay, left);
            ctx.onEvent?.({ type: 'connect-retry', attempt, delayMs: wait, error: (0,errors/* errorMessage */.gJ)(error) });
            await sleep(wait, signal);
            if (signal?.aborted)
                throw new errors/* CancelledError */.cc('Cancelled while waiting for the database.');
            delay = Math.min(delay * 2, MAX_DELAY_MS);
        }
    }
}

// EXTERNAL MODULE: ./src/engine/dialect.ts
var engine_dialect = __webpack_require__(9596);
// EXTERNAL MODULE: ./src/engine/process-id.ts
var process_id = __webpack_require__(35105);
;// CONCATENATED MODULE: ./src/engine/lock.ts





const LOCK_HELD_MESSAGE = 'Migration lock is already held by another process.\n\nIf you are completely sure that no other migrations are running, you can unlock using:\n  jetbase unlock\n\nWARNING: Unlocking then running a migration while another migration process is running may lead to database corruption.';
async function tryAcquire(conn, sql, processId) {
    const result = await conn.execute(`UPDATE jetbase_lock SET is_locked = ${sql.true}, locked_at = ${sql.now}, process_id = ? WHERE id = 1 AND is_locked = ${sql.false}`, [processId]);
    return result.rowsAffected === 1;
}
/** Takes the lock from `deadHolder` only if the row still names it (another waiter may have won). */
async function tryTakeOver(conn, sql, deadHolder, processId) {
    const result = await conn.execute(`UPDATE jetbase_lock SET is_locked = ${sql.true}, locked_at = ${sql.now}, process_id = ? WHERE id = 1 AND is_locked = ${sql.true} AND process_id = ?`, [processId, deadHolder]);
    return result.rowsAffected === 1;
}
/** A check that fails proves nothing: 'unknown', and the runner keeps waiting. */
async function holderState(conn, liveness, processId) {
    // Only our holders claim their session; any other holder (Python Jetbase) is alive as far as we know.
    if ((0,process_id/* parseProcessId */.uu)(processId) === undefined)
        return 'unknown';
    try {
        return await liveness.state(conn, processId);
    }
    catch {
        return 'unknown';
    }
}
/** Returns how long it waited (ms). Throws LockHeldError when the lock stays held past the timeout. */
async function acquireLock(conn, sql, options) {
    const started = Date.now();
    let delay = 100;
    let announced = false;
    // Claimed before the row is written, so no one ever sees our id in the row without our claim.
    await options.liveness?.claim(conn, options.processId);
    for (;;) {
        if (options.signal?.aborted)
            throw new errors/* CancelledError */.cc('Cancelled while waiting for the migration lock.');
        let acquired;
        try {
            acquired = await tryAcquire(conn, sql, options.processId);
        }
        catch (error) {
            // While another runner is mid-migration, SQLite reports its file as busy and MySQL may time
            // out on the row lock: within our wait budget that is "held", past it the error stands.
            if (Date.now() - started >= options.timeoutMs)
                throw error;
            await sleep(Math.min(delay, options.timeoutMs - (Date.now() - started)), options.signal);
            delay = Math.min(delay * 2, 2000);
            continue;
        }
        if (acquired)
            return Date.now() - started;
        const row = await (0,engine_history/* readLockRow */.ME)(conn);
        if (row === undefined) {
            // A missing row is created, not reported as "held" as Jetbase does.
            await conn.execute(sql.initLockRow);
            continue;
        }
        if (!row.isLocked)
            continue; // released between our two statements
        if (options.timeoutMs > 0 &&
            options.liveness !== undefined &&
            row.processId !== null &&
            (await holderState(conn, options.liveness, row.processId)) === 'gone' &&
            (await tryTakeOver(conn, sql, row.processId, options.processId))) {
            options.onTakeover?.({ lockedAt: row.lockedAt, processId: row.processId });
            return Date.now() - started;
        }
        const waited = Date.now() - started;
        if (waited >= options.timeoutMs) {
            const holder = `Held since ${row.lockedAt ?? 'an unknown time'} by process ${row.processId ?? 'unknown'}.`;
            const waitedText = options.timeoutMs > 0 ? ` Waited ${(waited / 1000).toFixed(1)} s.` : '';
            throw new errors/* LockHeldError */.Rk(`${LOCK_HELD_MESSAGE}\n\n${holder}${waitedText}`, {
                hint: options.timeoutMs > 0
                    ? undefined
                    : 'Set a lock timeout (--lock-timeout SECONDS, action input lock-timeout) to wait for a running migration instead of failing.',
            });
        }
        if (!announced) {
            options.onWait?.({ lockedAt: row.lockedAt, processId: row.processId });
            announced = true;
        }
        await sleep(Math.min(delay, options.timeoutMs - waited), options.signal);
        delay = Math.min(delay * 2, 2000);
    }
}
/** Releases the lock only when `processId` holds it; returns whether it did. */
async function releaseLock(conn, sql, processId) {
    const result = await conn.execute(`UPDATE jetbase_lock SET is_locked = ${sql.false}, locked_at = NULL, process_id = NULL WHERE id = 1 AND process_id = ?`, [processId]);
    return result.rowsAffected > 0;
}
/** `jetbase unlock`: no process_id condition, for a human who knows nothing is running. */
async function forceUnlock(conn, sql) {
    await conn.execute(`UPDATE jetbase_lock SET is_locked = ${sql.false}, locked_at = NULL, process_id = NULL WHERE id = 1`);
}

;// CONCATENATED MODULE: ./src/engine/session.ts




/** `readOnly` for commands that never write: the dialect then makes the session refuse writes. */
async function withConnection(ctx, { readOnly }, fn) {
    const conn = await connectWithRetry(ctx, readOnly);
    try {
        return await fn(conn);
    }
    catch (error) {
        throw namingLostTarget(error, ctx.dialect);
    }
    finally {
        await conn.close().catch(() => undefined);
    }
}
/**
 * Creates what is missing of the two tables and the lock row. Probing first matters: a CREATE
 * (even IF NOT EXISTS) takes SQLite's write lock, which a running upgrade in another process
 * holds for the length of a migration, so a waiting runner would fail on "database is locked"
 * instead of waiting on Jetbase's lock row.
 */
async function ensureTables(conn, dialect) {
    // Runners racing on a fresh database all find a table missing and all create it; PostgreSQL may
    // fail the losers (a unique violation in its catalog, even with IF NOT EXISTS). A loser probes
    // again and finds the winner's table.
    for (let attempt = 1;; attempt++) {
        try {
            if (!(await (0,engine_history/* tableExists */.F9)(conn, dialect.sql, 'jetbase_migrations')))
                await (0,engine_history/* ensureMigrationsTable */.yT)(conn, dialect.sql);
            if (!(await (0,engine_history/* tableExists */.F9)(conn, dialect.sql, 'jetbase_lock')) ||
                (await (0,engine_history/* readLockRow */.ME)(conn)) === undefined) {
                await (0,engine_history/* ensureLockTable */.iU)(conn, dialect.sql);
            }
            return;
        }
        catch (error) {
            if (attempt >= 3)
                throw error;
        }
    }
}
async function bothTablesExist(conn, dialect) {
    return ((await (0,engine_history/* tableExists */.F9)(conn, dialect.sql, 'jetbase_migrations')) &&
        (await (0,engine_history/* tableExists */.F9)(conn, dialect.sql, 'jetbase_lock')));
}
/** Holds Jetbase's lock around fn; the release never hides fn's own error. */
async function withLock(ctx, conn, fn) {
    const sql = ctx.dialect.sql;
    const processId = ctx.processId ?? (0,process_id/* newProcessId */.Pq)();
    const liveness = ctx.dialect.lockHolder;
    const dropClaim = () => liveness?.unclaim(conn, processId).catch(() => undefined);
    let waitedMs;
    try {
        waitedMs = await acquireLock(conn, sql, {
            processId,
            timeoutMs: ctx.lockTimeoutMs ?? 0,
            ...(ctx.signal ? { signal: ctx.signal } : {}),
            ...(liveness ? { liveness } : {}),
            onWait: (holder) => ctx.onEvent?.({ type: 'waiting-for-lock', ...holder }),
            onTakeover: (previous) => ctx.onEvent?.({
                type: 'lock-taken-over',
                previousProcessId: previous.processId,
                lockedAt: previous.lockedAt,
                processId,
            }),
        });
    }
    catch (error) {
        await dropClaim();
        throw error;
    }
    ctx.onEvent?.({ type: 'lock-acquired', processId, waitedMs });
    try {
        return { value: await fn(), waitedMs };
    }
    finally {
        try {
            await releaseLock(conn, sql, processId);
            ctx.onEvent?.({ type: 'lock-released', processId });
        }
        catch {
            // The connection may be gone (cancelled, cut); the run layer releases by process id on a new one.
        }
        // Only once the row is free: while it names us, our claim is what keeps waiters from taking over.
        await dropClaim();
    }
}
/**
 * Synchronous drivers (SQLite) never yield to the event loop, so a signal handler would not run
 * until the whole upgrade ended: give it a turn before checking.
 */
async function throwIfCancelled(signal) {
    if (!signal)
        return;
    await new Promise((resolve) => setImmediate(resolve));
    if (signal.aborted)
        throw new errors/* CancelledError */.cc();
}

;// CONCATENATED MODULE: ./src/engine/migration-file.ts
/**
 * One migration file's statements and its history write (the row's INSERT/UPDATE on upgrade, its
 * DELETE on rollback) in one transaction where the database has them, through the dialect's fast
 * path when it has one. A failure comes back as a typed outcome, never thrown.
 */





/** A file as a dry run shows it (preview mode differs from execution mode in display only). */
function previewOf(file, section) {
    const parsed = parseSqlFile(file.text, 'preview');
    return {
        filename: file.filename,
        relativePath: file.relativePath,
        type: file.type,
        version: file.version,
        statements: parsed[section].statements.map((s) => s.sql),
        delimiter: parsed.delimiter,
    };
}
const PLAIN_DML = /^(INSERT|UPDATE|DELETE|REPLACE|SELECT|WITH|MERGE|VALUES)\b/i;
/**
 * The statements of a failed file that stay committed (docs/format.md, "Failed migrations").
 * Transactional DDL: none. No transactions: all that ran. MySQL/Snowflake: DDL (and any other
 * statement that is not plain DML: many cause an implicit commit) ends the transaction and
 * everything after it autocommits, so all that ran stays once one such statement ran; plain DML
 * alone rolls back. When in doubt this says "committed": telling a user to check is safer than
 * telling them nothing happened.
 */
function committedOnFailure(dialect, executed) {
    if (dialect.transactionalDdl)
        return [];
    if (dialect.supportsTransactions === false)
        return [...executed];
    return executed.every((statement) => PLAIN_DML.test(statement)) ? [] : [...executed];
}
/** Each statement, then the history write, on `conn` as it is (in a transaction or not). */
async function runStatements(conn, statements, final, hooks) {
    for (const [index, statement] of statements.entries()) {
        await hooks.before(index);
        try {
            await conn.execute(statement);
        }
        catch (error) {
            throw new engine_dialect/* StatementFailure */.s(index, error);
        }
        hooks.after(index);
    }
    try {
        await conn.execute(final.sql, final.params);
    }
    catch (error) {
        throw new engine_dialect/* StatementFailure */.s(statements.length, error);
    }
}
/** The portable form of Connection.runInTransaction: one round trip per statement. */
function runInTransaction(conn, statements, final, hooks) {
    return conn.transaction(() => runStatements(conn, statements, final, hooks));
}
function failureOf(error, ctx, file, section, statements, executed) {
    const { dialect } = ctx;
    if (error instanceof engine_dialect/* StatementFailure */.s && error.outcomeUnknown) {
        return new errors/* MigrationOutcomeUnknownError */.Hd({
            file: file.relativePath,
            section,
            transactionalDdl: dialect.transactionalDdl,
            driverMessage: error.message,
            cause: error.cause,
        });
    }
    if (error instanceof engine_dialect/* StatementFailure */.s && error.index < statements.length) {
        const parsed = section === 'upgrade' ? file.parsed.upgrade : file.parsed.rollback;
        return new errors/* MigrationError */.Py({
            file: file.relativePath,
            section,
            statementIndex: error.index,
            line: parsed.statements[error.index]?.line,
            statement: statements[error.index],
            committedStatements: file.transactionOff === true ? [...executed] : committedOnFailure(dialect, executed),
            driverMessage: error.message,
            cause: error.cause,
        });
    }
    if (error instanceof engine_dialect/* StatementFailure */.s) {
        return new errors/* HistoryWriteError */.Ke({
            file: file.relativePath,
            section,
            transactionalDdl: dialect.transactionalDdl && file.transactionOff !== true,
            driverMessage: error.message,
            cause: error.cause,
        });
    }
    if (error instanceof errors/* JetbaseError */.N8)
        return error;
    const shown = section === 'upgrade' ? file.relativePath : `${file.relativePath} (rollback section)`;
    return new errors/* JetbaseError */.N8('DATABASE', `Migration ${shown} failed: ${(0,errors/* errorMessage */.gJ)(error)}`, { cause: error });
}
async function runMigrationFile(ctx, conn, file, section, final) {
    const { dialect, signal } = ctx;
    const statements = section === 'upgrade' ? file.upgradeStatements : file.rollbackStatements;
    const executed = [];
    const started = external_node_perf_hooks_.performance.now();
    ctx.onEvent?.({ type: 'migration-started', direction: section, filename: file.filename });
    const finish = (failure) => {
        const outcome = {
            filename: file.filename,
            relativePath: file.relativePath,
            type: file.type,
            version: file.version,
            description: file.description,
            checksum: file.checksum,
            direction: section,
            status: failure !== undefined ? 'failed' : section === 'upgrade' ? 'applied' : 'rolled-back',
            statements: [...executed],
            durationMs: external_node_perf_hooks_.performance.now() - started,
            ...(failure === undefined ? {} : { failure }),
        };
        ctx.onEvent?.({ type: 'migration-finished', outcome });
        return outcome;
    };
    // Where DDL is transactional, stopping mid-file rolls it all back; elsewhere finish the file.
    const stoppable = dialect.transactionalDdl && file.transactionOff !== true;
    const hooks = {
        before: async () => {
            if (stoppable)
                await throwIfCancelled(signal);
        },
        ...(stoppable && signal !== undefined ? { signal } : {}),
        after: (index) => {
            executed.push(statements[index]);
        },
    };
    try {
        // transaction=off: each statement commits on its own and the row comes after the last one, so a
        // failure leaves the statements before it applied and no row (the file stays pending).
        if (file.transactionOff === true)
            await runStatements(conn, statements, final, hooks);
        else if (conn.runInTransaction)
            await conn.runInTransaction(statements, final, hooks);
        else
            await runInTransaction(conn, statements, final, hooks);
    }
    catch (error) {
        return finish(failureOf(error, ctx, file, section, statements, executed));
    }
    return finish();
}

;// CONCATENATED MODULE: ./src/engine/migrate.ts
/**
 * upgrade and rollback: one runner for both. Each picks its files from the history (a plan, or
 * rollback targets); the runner reads history read-only first (a request that is invalid writes
 * nothing, not even the tables), answers dry runs from there, then creates the tables, takes the
 * lock, picks again under it (another runner may have moved the history while we waited) and runs
 * file after file, stopping at the first failure or at a signal between files.
 */









/** Bad names and duplicate versions are never skippable and need no database. */
function assertValidNames(discovery) {
    if (hasErrors(discovery.problems))
        throw new errors/* ValidationError */.yI(discovery.problems);
}
function checkCountAndTarget(command, count, toVersion) {
    if (count !== undefined && toVersion !== undefined) {
        throw new errors/* UsageError */.eb(command === 'upgrade'
            ? "Cannot specify both 'count' and 'to_version' for upgrade. Select only one, or do not specify either to run all pending migrations."
            : "Cannot specify both 'count' and 'to_version' for rollback. Select only one, or do not specify either to rollback the last migration.");
    }
    // Counts below 1 are refused (Python Jetbase treats 0 as "all" for upgrade and as 1 for rollback).
    if (count !== undefined && (!Number.isInteger(count) || count < 1)) {
        throw new errors/* UsageError */.eb(`'count' must be a positive integer, got ${count}.`);
    }
}
/** The latest applied VERSIONED version once a run's outcomes are added to the history it read. */
function currentVersionAfter(history, outcomes) {
    const versions = history.filter((r) => r.migrationType === 'VERSIONED').map((r) => r.version);
    for (const outcome of outcomes) {
        if (outcome.type !== 'VERSIONED')
            continue;
        if (outcome.status === 'applied')
            versions.push(outcome.version);
        else if (outcome.status === 'rolled-back') {
            const index = versions.lastIndexOf(outcome.version);
            if (index >= 0)
                versions.splice(index, 1);
        }
    }
    return versions.at(-1) ?? null;
}
async function runSelection(ctx, conn, section, select, approve) {
    const { dialect } = ctx;
    // Read-only until the request is known to be valid: a run that stops on a problem writes nothing.
    const readFirst = (await (0,engine_history/* readHistoryIfExists */.gD)(conn, dialect.sql)).rows;
    const first = select(readFirst);
    if (first.blocked)
        return { selection: first, outcomes: [], currentVersion: currentVersionAfter(readFirst, []) };
    await ensureTables(conn, dialect);
    if (first.steps.length === 0) {
        const refused = approve?.(first);
        return {
            selection: first,
            outcomes: [],
            currentVersion: currentVersionAfter(readFirst, []),
            ...(refused === undefined ? {} : { error: refused }),
        };
    }
    const outcomes = [];
    let selection = first;
    let history = readFirst;
    let error;
    try {
        const { waitedMs } = await withLock(ctx, conn, async () => {
            history = await (0,engine_history/* readHistory */.Lu)(conn);
            selection = select(history);
            if (selection.blocked)
                return;
            error = approve?.(selection);
            if (error !== undefined)
                return;
            for (const step of selection.steps) {
                await throwIfCancelled(ctx.signal);
                const outcome = await runMigrationFile(ctx, conn, step.file, section, step.final);
                outcomes.push(outcome);
                if (outcome.failure !== undefined) {
                    error = namingLostTarget(outcome.failure, dialect);
                    return;
                }
            }
        });
        return {
            selection,
            outcomes,
            lockWaitMs: waitedMs,
            currentVersion: currentVersionAfter(history, outcomes),
            ...(error === undefined ? {} : { error }),
        };
    }
    catch (caught) {
        if (caught instanceof errors/* CancelledError */.cc) {
            return { selection, outcomes, currentVersion: currentVersionAfter(history, outcomes), error: caught };
        }
        throw caught;
    }
}
async function upgrade(ctx, options = {}) {
    const started = external_node_perf_hooks_.performance.now();
    const toVersion = options.toVersion === undefined ? undefined : versionKey(options.toVersion);
    checkCountAndTarget('upgrade', options.count, toVersion);
    const discovery = discoverMigrations(ctx.jetbaseDir);
    const dryRun = Boolean(options.dryRun);
    if (!dryRun)
        assertValidNames(discovery);
    const planOptions = { ...options, ...(toVersion === undefined ? {} : { toVersion }) };
    const { dialect } = ctx;
    const { sql } = dialect;
    const select = (history) => {
        const plan = buildPlan(discovery, history, planOptions);
        return {
            plan,
            blocked: hasErrors(plan.problems),
            steps: executionOrder(plan).map((pending) => ({
                file: pending.file,
                final: (0,engine_history/* historyWrite */.kY)(sql, {
                    version: pending.file.version,
                    description: pending.file.description,
                    filename: pending.file.filename,
                    migrationType: pending.file.type,
                    checksum: pending.file.checksum,
                }, pending.hasRow),
            })),
        };
    };
    const report = (plan, fields, currentVersion) => {
        const error = fields.error ?? (hasErrors(plan.problems) ? new errors/* ValidationError */.yI(plan.problems) : undefined);
        const outcomes = fields.outcomes ?? [];
        return {
            command: 'upgrade',
            target: dialect.target,
            dryRun,
            plan,
            preview: fields.preview ?? [],
            outcomes,
            upToDate: fields.upToDate ?? false,
            ...(fields.lockWaitMs === undefined ? {} : { lockWaitMs: fields.lockWaitMs }),
            currentVersion,
            ok: error === undefined,
            ...(error === undefined ? {} : { error }),
            durationMs: external_node_perf_hooks_.performance.now() - started,
        };
    };
    return withConnection(ctx, { readOnly: dryRun }, async (conn) => {
        if (dryRun) {
            const { rows } = await (0,engine_history/* readHistoryIfExists */.gD)(conn, sql);
            const { plan, steps } = select(rows);
            const preview = steps.map((s) => previewOf(s.file, 'upgrade'));
            return report(plan, { preview, upToDate: preview.length === 0 }, currentVersionAfter(rows, []));
        }
        const approve = options.approvePlan;
        const run = await runSelection(ctx, conn, 'upgrade', select, approve === undefined ? undefined : (selection) => approve(selection.plan));
        const { plan } = run.selection;
        return report(plan, {
            outcomes: run.outcomes,
            upToDate: run.outcomes.length === 0 && !run.selection.blocked,
            ...(run.lockWaitMs === undefined ? {} : { lockWaitMs: run.lockWaitMs }),
            ...(run.error === undefined ? {} : { error: run.error }),
        }, run.currentVersion);
    });
}
/** Targets of a rollback: applied VERSIONED versions, newest applied first. */
function rollbackTargets(history, count, toVersion) {
    const versioned = history.filter((r) => r.migrationType === 'VERSIONED' && r.version !== null);
    if (toVersion !== undefined) {
        const index = versioned.findIndex((r) => r.version === toVersion);
        if (index < 0)
            throw new errors/* JetbaseError */.N8('VERSION_NOT_FOUND', `Version '${toVersion}' has not been applied yet or does not exist.`);
        return versioned
            .slice(index + 1)
            .reverse()
            .map((r) => r.version);
    }
    return versioned
        .slice(-(count ?? 1))
        .reverse()
        .map((r) => r.version);
}
function filesForTargets(discovery, targets) {
    const byVersion = new Map(discovery.versioned.map((f) => [f.version, f]));
    const missing = targets.filter((v) => !byVersion.has(v));
    if (missing.length > 0) {
        throw new errors/* JetbaseError */.N8('VERSION_NOT_FOUND', missing
            .map((v) => `Migration file for version '${v}' not found. Cannot proceed with rollback.`)
            .join('\n') +
            "\nPlease restore the missing migration file and try again, or run 'jetbase fix' to synchronize the migrations table with existing files before retrying the rollback.");
    }
    return targets.map((v) => byVersion.get(v));
}
async function rollback(ctx, options = {}) {
    const started = external_node_perf_hooks_.performance.now();
    const toVersion = options.toVersion === undefined ? undefined : versionKey(options.toVersion);
    checkCountAndTarget('rollback', options.count, toVersion);
    const discovery = discoverMigrations(ctx.jetbaseDir);
    assertValidNames(discovery);
    const dryRun = Boolean(options.dryRun);
    const select = (history) => {
        const targets = rollbackTargets(history, options.count, toVersion);
        return {
            targets,
            blocked: false,
            steps: filesForTargets(discovery, targets).map((file) => ({
                file,
                final: (0,engine_history/* historyDelete */.OQ)(file.version),
            })),
        };
    };
    const report = (fields, currentVersion) => ({
        command: 'rollback',
        target: ctx.dialect.target,
        dryRun,
        targets: fields.targets ?? [],
        preview: fields.preview ?? [],
        outcomes: fields.outcomes ?? [],
        ...(fields.lockWaitMs === undefined ? {} : { lockWaitMs: fields.lockWaitMs }),
        currentVersion,
        ok: fields.error === undefined,
        ...(fields.error === undefined ? {} : { error: fields.error }),
        durationMs: external_node_perf_hooks_.performance.now() - started,
    });
    return withConnection(ctx, { readOnly: dryRun }, async (conn) => {
        if (dryRun) {
            const { rows } = await (0,engine_history/* readHistoryIfExists */.gD)(conn, ctx.dialect.sql);
            const { targets, steps } = select(rows);
            return report({ targets, preview: steps.map((s) => previewOf(s.file, 'rollback')) }, currentVersionAfter(rows, []));
        }
        const run = await runSelection(ctx, conn, 'rollback', select);
        return report({
            targets: run.selection.targets,
            outcomes: run.outcomes,
            ...(run.lockWaitMs === undefined ? {} : { lockWaitMs: run.lockWaitMs }),
            ...(run.error === undefined ? {} : { error: run.error }),
        }, run.currentVersion);
    });
}

;// CONCATENATED MODULE: ./src/engine/audit.ts
/**
 * Audits of the applied files against the history (validate-checksums, validate-files) and their
 * repairs (fix-checksums, fix-files, fix). Audits are read-only; a repair takes the lock and
 * re-checks under it before it changes a row.
 */







function fileValidationErrors(plan) {
    const blocking = plan.problems.filter((p) => p.severity === 'error' && p.kind !== 'checksum-mismatch');
    if (blocking.length > 0)
        throw new errors/* ValidationError */.yI(plan.problems.filter((p) => p.kind !== 'checksum-mismatch'));
}
async function validateChecksums(ctx, options = {}) {
    const started = external_node_perf_hooks_.performance.now();
    const discovery = discoverMigrations(ctx.jetbaseDir);
    const fix = Boolean(options.fix);
    const { dialect } = ctx;
    return withConnection(ctx, { readOnly: !fix }, async (conn) => {
        const report = (fields) => ({
            command: 'validate-checksums',
            target: dialect.target,
            fix,
            nothingApplied: false,
            mismatches: [],
            repaired: [],
            ...fields,
            durationMs: external_node_perf_hooks_.performance.now() - started,
        });
        // Python Jetbase fails with "no such table" on a fresh database; nothing applied is the truthful answer.
        const { rows } = await (0,engine_history/* readHistoryIfExists */.gD)(conn, dialect.sql);
        if (!rows.some((r) => r.migrationType === 'VERSIONED'))
            return report({ nothingApplied: true });
        const mismatchesOf = (history) => {
            const plan = buildPlan(discovery, history, { ...options, skipChecksumValidation: true });
            fileValidationErrors(plan);
            const stored = new Map(history.filter((r) => r.migrationType === 'VERSIONED').map((r) => [r.version, r.checksum]));
            const found = [];
            for (const file of discovery.versioned) {
                if (!stored.has(file.version))
                    continue;
                const sum = stored.get(file.version) ?? null;
                if (sum !== file.checksum)
                    found.push({
                        version: file.version,
                        relativePath: file.relativePath,
                        stored: sum,
                        actual: file.checksum,
                    });
            }
            return found;
        };
        const mismatches = mismatchesOf(rows);
        if (!fix || mismatches.length === 0)
            return report({ mismatches });
        const { value } = await withLock(ctx, conn, async () => {
            const underLock = mismatchesOf(await (0,engine_history/* readHistory */.Lu)(conn));
            await conn.transaction(async () => {
                for (const m of underLock)
                    await (0,engine_history/* updateVersionChecksum */.Jn)(conn, m.version, m.actual);
            });
            return underLock;
        });
        return report({ mismatches: value, repaired: value.map((m) => m.version) });
    });
}
function missingFiles(discovery, history) {
    const fileVersions = new Set(discovery.versioned.map((f) => f.version));
    const ra = new Set(discovery.runsAlways.map((f) => f.filename));
    const roc = new Set(discovery.runsOnChange.map((f) => f.filename));
    const versions = [];
    const repeatables = new Set();
    for (const row of history) {
        if (row.migrationType === 'VERSIONED') {
            if (row.version !== null && !fileVersions.has(row.version))
                versions.push(row.version);
        }
        else if (!(row.migrationType === 'RUNS_ALWAYS' ? ra : roc).has(row.filename)) {
            repeatables.add(row.filename);
        }
    }
    // Versions in the order they were applied, like upstream's order_executed listing.
    return { versions, repeatables: [...repeatables].sort() };
}
async function validateFiles(ctx, options = {}) {
    const started = external_node_perf_hooks_.performance.now();
    const discovery = discoverMigrations(ctx.jetbaseDir);
    assertValidNames(discovery);
    const fix = Boolean(options.fix);
    const { dialect } = ctx;
    return withConnection(ctx, { readOnly: !fix }, async (conn) => {
        const report = (fields) => ({
            command: 'validate-files',
            target: dialect.target,
            fix,
            missingVersions: [],
            missingRepeatables: [],
            removedVersions: [],
            removedRepeatables: [],
            ...fields,
            durationMs: external_node_perf_hooks_.performance.now() - started,
        });
        const { rows } = await (0,engine_history/* readHistoryIfExists */.gD)(conn, dialect.sql);
        const missing = missingFiles(discovery, rows);
        if (!fix || (missing.versions.length === 0 && missing.repeatables.length === 0)) {
            return report({ missingVersions: missing.versions, missingRepeatables: missing.repeatables });
        }
        await ensureTables(conn, dialect);
        const { value } = await withLock(ctx, conn, async () => {
            const underLock = missingFiles(discovery, await (0,engine_history/* readHistory */.Lu)(conn));
            await conn.transaction(async () => {
                for (const version of underLock.versions)
                    await (0,engine_history/* deleteVersionRow */.cc)(conn, version);
            });
            await conn.transaction(async () => {
                for (const filename of underLock.repeatables)
                    await (0,engine_history/* deleteRepeatableRow */.n_)(conn, filename);
            });
            return underLock;
        });
        return report({
            missingVersions: value.versions,
            missingRepeatables: value.repeatables,
            removedVersions: value.versions,
            removedRepeatables: value.repeatables,
        });
    });
}
/** fix-files then fix-checksums, as Jetbase's `fix` does. */
async function fixAll(ctx, options = {}) {
    const started = external_node_perf_hooks_.performance.now();
    const files = await validateFiles(ctx, { fix: true });
    const checksums = await validateChecksums(ctx, { ...options, fix: true });
    return {
        command: 'fix',
        target: ctx.dialect.target,
        files,
        checksums,
        durationMs: external_node_perf_hooks_.performance.now() - started,
    };
}

;// CONCATENATED MODULE: ./src/engine/inspect.ts
/**
 * Read-only inspection: status (the plan with every problem: the PR check), history, current,
 * lock-status; and the two lock commands that write only the lock row (unlock, releaseLockOf).
 * None of the read-only ones creates a table.
 */








/** Read-only: the plan with every problem (the PR check). */
async function inspect_status(ctx, options = {}) {
    const started = external_node_perf_hooks_.performance.now();
    const discovery = discoverMigrations(ctx.jetbaseDir);
    return withConnection(ctx, { readOnly: true }, async (conn) => {
        const { exists, rows } = await (0,engine_history/* readHistoryIfExists */.gD)(conn, ctx.dialect.sql);
        const plan = buildPlan(discovery, rows, options);
        return {
            command: 'status',
            target: ctx.dialect.target,
            tableExists: exists,
            applied: rows,
            plan,
            problems: plan.problems,
            currentVersion: plan.latest?.version ?? null,
            ok: !hasErrors(plan.problems),
            durationMs: external_node_perf_hooks_.performance.now() - started,
        };
    });
}
async function inspect_history(ctx) {
    const started = external_node_perf_hooks_.performance.now();
    return withConnection(ctx, { readOnly: true }, async (conn) => {
        const { exists, rows } = await (0,engine_history/* readHistoryIfExists */.gD)(conn, ctx.dialect.sql);
        return {
            command: 'history',
            target: ctx.dialect.target,
            tableExists: exists,
            rows,
            durationMs: external_node_perf_hooks_.performance.now() - started,
        };
    });
}
async function current(ctx) {
    const started = external_node_perf_hooks_.performance.now();
    return withConnection(ctx, { readOnly: true }, async (conn) => {
        const { rows } = await (0,engine_history/* readHistoryIfExists */.gD)(conn, ctx.dialect.sql);
        return {
            command: 'current',
            target: ctx.dialect.target,
            version: (0,engine_history/* latestVersioned */.Do)(rows)?.version ?? null,
            durationMs: external_node_perf_hooks_.performance.now() - started,
        };
    });
}
async function lockStatus(ctx) {
    const started = external_node_perf_hooks_.performance.now();
    return withConnection(ctx, { readOnly: true }, async (conn) => {
        // No lock table reads as UNLOCKED, on every database.
        const row = (await bothTablesExist(conn, ctx.dialect)) ? await (0,engine_history/* readLockRow */.ME)(conn) : undefined;
        return {
            command: 'lock-status',
            target: ctx.dialect.target,
            locked: row?.isLocked ?? false,
            lockedAt: row?.isLocked ? row.lockedAt : null,
            processId: row?.isLocked ? row.processId : null,
            row,
            durationMs: external_node_perf_hooks_.performance.now() - started,
        };
    });
}
async function unlock(ctx) {
    const started = external_node_perf_hooks_.performance.now();
    return withConnection(ctx, { readOnly: false }, async (conn) => {
        if (!(await bothTablesExist(conn, ctx.dialect))) {
            return {
                command: 'unlock',
                target: ctx.dialect.target,
                touchedDatabase: false,
                wasLocked: false,
                durationMs: external_node_perf_hooks_.performance.now() - started,
            };
        }
        const row = await (0,engine_history/* readLockRow */.ME)(conn);
        await forceUnlock(conn, ctx.dialect.sql);
        return {
            command: 'unlock',
            target: ctx.dialect.target,
            touchedDatabase: true,
            wasLocked: row?.isLocked ?? false,
            durationMs: external_node_perf_hooks_.performance.now() - started,
        };
    });
}
/** How long releaseLockOf waits for the holder's session to end before it leaves the lock held. */
const HOLDER_SESSION_WAIT_MS = 30_000;
/**
 * Releases the lock held by `processId` (the action's post step after a kill, the run layer after
 * a lost connection); never another holder's. Where the dialect can tell that the holder's session
 * is still open (lockHolder), it waits for that session to end first, up to `waitMs`: a session
 * whose client is gone may still be running what it was sent, and on PostgreSQL a migration sent as
 * one message commits without its client (docs/architecture.md, "Cancellation and the lock").
 * Releasing meanwhile would let another runner start beside it.
 */
async function releaseLockOf(ctx, processId, waitMs = HOLDER_SESSION_WAIT_MS) {
    return withConnection(ctx, { readOnly: false }, async (conn) => {
        if (!(await (0,engine_history/* tableExists */.F9)(conn, ctx.dialect.sql, 'jetbase_lock')))
            return false;
        const liveness = ctx.dialect.lockHolder;
        if (liveness !== undefined) {
            const giveUp = Date.now() + waitMs;
            while ((await liveness.state(conn, processId)) === 'alive') {
                if (Date.now() >= giveUp || ctx.signal?.aborted)
                    throw new errors/* JetbaseError */.N8('LOCK_HELD', `the session of process ${processId} is still open on the database (it may still be running the migration it sent), so the lock stays held; the next run takes it over once that session ends`);
                await sleep(Math.min(250, Math.max(0, giveUp - Date.now())), ctx.signal);
            }
        }
        return releaseLock(conn, ctx.dialect.sql, processId);
    });
}

;// CONCATENATED MODULE: ./src/engine/scaffold.ts
/** `init` and `new` (docs/format.md, "Project layout"): files only, no database, never overwriting. */






const ENV_PY_TEMPLATE = '# Jetbase Configuration\n# Update the sqlalchemy_url with your database connection string.\n\nsqlalchemy_url = "postgresql://user:password@localhost:5432/mydb"\n';
const MIGRATION_TEMPLATE = '-- upgrade\n\n-- rollback\n';
/** Creates `<parent>/jetbase/migrations/` and, when missing, `jetbase/env.py`. */
function init(parentDir) {
    const jetbaseDir = path.resolve(parentDir, 'jetbase');
    mkdirSync(path.join(jetbaseDir, 'migrations'), { recursive: true });
    const envPy = path.join(jetbaseDir, 'env.py');
    if (existsSync(envPy))
        return { jetbaseDir, wroteEnvPy: false };
    writeFileSync(envPy, ENV_PY_TEMPLATE, { flag: 'wx' });
    return { jetbaseDir, wroteEnvPy: true };
}
/** Local time as `YYYYMMDD.HHMMSS`, Jetbase's default version. */
function timestampVersion(now = new Date()) {
    const pad = (n) => String(n).padStart(2, '0');
    return `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}.${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
}
function newMigration(jetbaseDir, description, version, now) {
    const migrationsDir = path.join(jetbaseDir, 'migrations');
    if (!existsSync(migrationsDir)) {
        throw new DirectoryError(`Migrations directory not found: ${migrationsDir}.`, {
            hint: "Run 'jetbase init' first.",
        });
    }
    const trimmed = pyStrip(description);
    // An empty description would produce the invalid name `V1__.sql`. Python's strip, the one that
    // reads the name back: after trim() a description of only U+001C would read back as empty.
    if (trimmed === '')
        throw new UsageError('The description must not be empty.');
    if (/[/\\\0]/.test(trimmed))
        throw new UsageError(`The description must not contain '/', '\\' or NUL: ${JSON.stringify(description)}.`);
    const chosen = version ?? timestampVersion(now);
    if (!isValidVersion(chosen)) {
        throw new UsageError(`Invalid version: ${chosen}. Version must be integer(s) that are separated by periods or underscores. Examples: "1", "1.5", "1_5".`);
    }
    const filename = `V${chosen}__${trimmed.replaceAll(' ', '_')}.sql`;
    if (filename.length > MAX_FILENAME_LENGTH) {
        throw new UsageError(`Migration filename too long. Filename must not exceed ${MAX_FILENAME_LENGTH} characters (it would have ${filename.length}).`);
    }
    const parsed = parseMigrationName(filename);
    if (!parsed.ok)
        throw new UsageError(`The description ${JSON.stringify(description)} gives the invalid file name ${filename}.`);
    const absolutePath = path.join(migrationsDir, filename);
    if (existsSync(absolutePath)) {
        // Never overwrite (Jetbase's `new` does).
        throw new JetbaseError('USAGE', `${path.join('migrations', filename)} already exists; choose another description or version.`);
    }
    writeFileSync(absolutePath, MIGRATION_TEMPLATE, { flag: 'wx' });
    return { filename, absolutePath };
}

;// CONCATENATED MODULE: ./src/engine/index.ts
/** The engine's public API: the only engine module the shells import. */
















// EXTERNAL MODULE: ./src/config/env-py-errors.ts
var env_py_errors = __webpack_require__(46537);
// EXTERNAL MODULE: ./src/report/redact.ts
var report_redact = __webpack_require__(20649);
;// CONCATENATED MODULE: ./src/config/text-file.ts
/** Configuration files are UTF-8 (Python source by default, TOML by definition): anything else is an error, not mojibake. */


/** The file's text; a ConfigError naming the file when it is not valid UTF-8. */
function readUtf8File(file) {
    const bytes = (0,external_node_fs_.readFileSync)(file);
    try {
        // ignoreBOM keeps a leading U+FEFF, as readFileSync(file, 'utf8') did.
        return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    }
    catch {
        throw new errors/* ConfigError */.xL(`Cannot read ${file}: it is not valid UTF-8 text.`, {
            hint: 'Save the file as UTF-8.',
        });
    }
}

;// CONCATENATED MODULE: ./src/config/python-tokens.ts
/**
 * A tokenizer for the part of Python that env.py files are written in: it splits source into
 * top-level logical statements of tokens, as Python's own tokenizer would, so that the static
 * reader can recognise literal assignments. It does not parse expressions.
 */
/** Thrown when source is outside what can be read without Python; the message names the construct. */
class NeedsPython extends Error {
}
const STRING_START = /^([rRuUbBfF]{0,2})('''|"""|'|")/;
/**
 * Splits source into top-level logical statements, the way Python's tokenizer does: brackets and
 * backslashes continue a line, `;` and newlines end one, comments vanish, strings may span lines
 * only when triple-quoted.
 */
function splitStatements(source) {
    const statements = [];
    let tokens = [];
    let depth = 0;
    let line = 1;
    let statementLine = 1;
    let indented = false;
    let atLineStart = true;
    let i = source.charCodeAt(0) === 0xfeff ? 1 : 0;
    const endStatement = () => {
        if (tokens.length > 0)
            statements.push({ tokens, line: statementLine, indented });
        tokens = [];
        indented = false;
    };
    while (i < source.length) {
        const char = source[i];
        if (atLineStart && depth === 0) {
            // Leading whitespace matters only on a line that holds code and starts a statement.
            let j = i;
            while (source[j] === ' ' || source[j] === '\t' || source[j] === '\f')
                j++;
            const after = source[j];
            if (tokens.length === 0 && after !== undefined && after !== '\n' && after !== '\r' && after !== '#') {
                indented = j > i;
                statementLine = line;
            }
            atLineStart = false;
            i = j;
            continue;
        }
        if (char === '\r' || char === '\n') {
            i += char === '\r' && source[i + 1] === '\n' ? 2 : 1;
            line++;
            if (depth === 0) {
                endStatement();
                atLineStart = true;
            }
            continue;
        }
        if (char === ' ' || char === '\t' || char === '\f') {
            i++;
            continue;
        }
        if (char === '#') {
            while (i < source.length && source[i] !== '\n' && source[i] !== '\r')
                i++;
            continue;
        }
        if (char === '\\' && (source[i + 1] === '\n' || source[i + 1] === '\r')) {
            i += source[i + 1] === '\r' && source[i + 2] === '\n' ? 3 : 2;
            line++;
            continue;
        }
        if (tokens.length === 0)
            statementLine = line;
        const stringStart = STRING_START.exec(source.slice(i, i + 5));
        if (stringStart) {
            const prefix = stringStart[1];
            const quote = stringStart[2];
            const read = readStringLiteral(source, i + prefix.length + quote.length, quote, prefix.toLowerCase().includes('r'), line);
            tokens.push({ kind: 'string', value: read.value, prefix, line });
            line += read.newlines;
            i = read.end;
            continue;
        }
        const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i, i + 200));
        if (word) {
            tokens.push({ kind: 'name', text: word[0], line });
            i += word[0].length;
            continue;
        }
        const number = /^[0-9][0-9A-Za-z_.]*/.exec(source.slice(i, i + 100));
        if (number) {
            tokens.push({ kind: 'number', text: number[0], line });
            i += number[0].length;
            continue;
        }
        if (char === ';' && depth === 0) {
            endStatement();
            i++;
            continue;
        }
        if (char === '(' || char === '[' || char === '{')
            depth++;
        if ((char === ')' || char === ']' || char === '}') && depth > 0)
            depth--;
        // Two-character operators matter only so that `==` is not read as an assignment.
        const twoChar = source.slice(i, i + 2);
        const op = ['==', '!=', '<=', '>=', '->', ':=', '**', '//', '+=', '-=', '*=', '/=', '|=', '&='].includes(twoChar)
            ? twoChar
            : char;
        tokens.push({ kind: 'op', text: op, line });
        i += op.length;
    }
    if (depth > 0)
        throw new NeedsPython(`env.py line ${statementLine} has an unclosed bracket`);
    endStatement();
    return statements;
}
/** Reads a string body starting after its opening quote; returns the value and where it ends. */
function readStringLiteral(source, start, quote, raw, line) {
    const triple = quote.length === 3;
    let value = '';
    let newlines = 0;
    let i = start;
    while (i < source.length) {
        if (source.startsWith(quote, i))
            return { value, end: i + quote.length, newlines };
        const char = source[i];
        if (char === '\n' || char === '\r') {
            if (!triple)
                break;
            newlines++;
            const width = char === '\r' && source[i + 1] === '\n' ? 2 : 1;
            value += '\n';
            i += width;
            continue;
        }
        if (char === '\\' && i + 1 < source.length) {
            const escaped = readEscape(source, i, raw);
            value += escaped.text;
            newlines += escaped.newlines;
            i = escaped.end;
            continue;
        }
        value += char;
        i++;
    }
    throw new NeedsPython(`env.py line ${line} has an unterminated string`);
}
const SIMPLE_ESCAPES = {
    '\\': '\\',
    "'": "'",
    '"': '"',
    a: '\x07',
    b: '\b',
    f: '\f',
    n: '\n',
    r: '\r',
    t: '\t',
    v: '\v',
};
function readEscape(source, at, raw) {
    const next = source[at + 1];
    if (next === '\n' || next === '\r') {
        const width = next === '\r' && source[at + 2] === '\n' ? 3 : 2;
        // A backslash-newline is a line continuation inside a normal string, kept as written in a raw one.
        return { text: raw ? source.slice(at, at + width) : '', end: at + width, newlines: 1 };
    }
    // In a raw string a backslash only protects the quote from ending the string.
    if (raw)
        return { text: `\\${next}`, end: at + 2, newlines: 0 };
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined)
        return { text: simple, end: at + 2, newlines: 0 };
    const octal = /^[0-7]{1,3}/.exec(source.slice(at + 1, at + 4));
    if (octal)
        return { text: String.fromCodePoint(parseInt(octal[0], 8)), end: at + 1 + octal[0].length, newlines: 0 };
    const hexLength = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    if (hexLength > 0) {
        const hex = source.slice(at + 2, at + 2 + hexLength);
        if (new RegExp(`^[0-9A-Fa-f]{${hexLength}}$`).test(hex)) {
            return { text: String.fromCodePoint(parseInt(hex, 16)), end: at + 2 + hexLength, newlines: 0 };
        }
    }
    if (next === 'N')
        throw new NeedsPython('env.py uses a \\N{...} escape');
    // Python keeps unknown escapes as written.
    return { text: `\\${next}`, end: at + 2, newlines: 0 };
}

;// CONCATENATED MODULE: ./src/config/env-py-static.ts
/**
 * Reading env.py without Python. Most env.py files are a few literal assignments and environment
 * lookups; those are read here: strings (adjacent ones concatenated), booleans, None, plain
 * integers, lists of strings, and `os.getenv(...)`, `os.environ.get(...)`, `os.environ[...]`
 * (also through names imported `from os`). Every other construct is named, so that the loader can
 * evaluate the file with Python instead or say which construct needs it.
 */


/** Reads the literal top-level assignments of env.py; see `StaticEnvPy`. */
function readEnvPyStatic(source, env) {
    let statements;
    try {
        statements = splitStatements(source);
    }
    catch (error) {
        if (error instanceof NeedsPython)
            return { values: {}, needsPython: [error.message] };
        throw error;
    }
    const values = {};
    const needsPython = [];
    /** Names bound by `from os import getenv, environ [as x]`, local name -> os attribute. */
    const fromOs = new Map();
    for (const statement of statements) {
        const [first] = statement.tokens;
        if (first === undefined)
            continue;
        if (statement.indented) {
            // Part of a compound statement reported above it, unless it is what matters most.
            const described = describeStatement(statement);
            if (described.includes('get_env_vars()'))
                needsPython.push(described);
            else if (needsPython.length === 0)
                needsPython.push(`env.py line ${statement.line} is indented`);
            continue;
        }
        if (first.kind === 'name' && first.text === 'import')
            continue;
        if (first.kind === 'name' && first.text === 'from') {
            recordFromOsImports(statement.tokens, fromOs);
            continue;
        }
        if (statement.tokens.every((token) => token.kind === 'string'))
            continue; // a docstring
        const second = statement.tokens[1];
        if (first.kind === 'name' && second?.kind === 'op' && second.text === '=' && !isKeyword(first.text)) {
            try {
                const reader = new ExpressionReader(statement.tokens.slice(2), statement.line, env, fromOs);
                const value = reader.readWhole();
                values[first.text] = value;
            }
            catch (error) {
                if (!(error instanceof NeedsPython))
                    throw error;
                // The name is no longer a known literal: Python must decide its value.
                delete values[first.text];
                needsPython.push(error.message.replace('{target}', first.text));
            }
            continue;
        }
        needsPython.push(describeStatement(statement));
    }
    const getEnvVars = needsPython.find((construct) => construct.includes('get_env_vars()'));
    if (getEnvVars !== undefined)
        needsPython.unshift(...needsPython.splice(needsPython.indexOf(getEnvVars), 1));
    return { values, needsPython };
}
const KEYWORDS = new Set([
    'False',
    'None',
    'True',
    'and',
    'as',
    'assert',
    'async',
    'await',
    'break',
    'class',
    'continue',
    'def',
    'del',
    'elif',
    'else',
    'except',
    'finally',
    'for',
    'from',
    'global',
    'if',
    'import',
    'in',
    'is',
    'lambda',
    'match',
    'nonlocal',
    'not',
    'or',
    'pass',
    'raise',
    'return',
    'try',
    'while',
    'with',
    'yield',
]);
function isKeyword(name) {
    return KEYWORDS.has(name);
}
function recordFromOsImports(tokens, fromOs) {
    // from os import getenv, environ as env   |   from os import (getenv, environ)
    const moduleName = tokens[1];
    if (moduleName?.kind !== 'name' ||
        moduleName.text !== 'os' ||
        tokens[2]?.kind !== 'name' ||
        tokens[2].text !== 'import')
        return;
    const groups = [[]];
    for (const token of tokens.slice(3)) {
        if (token.kind === 'name')
            groups[groups.length - 1].push(token.text);
        else if (token.kind === 'op' && token.text === ',')
            groups.push([]);
    }
    for (const [imported, as, alias] of groups) {
        if (imported !== undefined)
            fromOs.set(as === 'as' && alias !== undefined ? alias : imported, imported);
    }
}
function describeStatement(statement) {
    const [first, second] = statement.tokens;
    const where = `(line ${statement.line})`;
    if (first?.kind === 'name') {
        if (first.text === 'def' && second?.kind === 'name') {
            return second.text === 'get_env_vars'
                ? 'env.py defines get_env_vars()'
                : `env.py defines a function ${second.text}() ${where}`;
        }
        if (first.text === 'async' && second?.kind === 'name' && second.text === 'def')
            return `env.py defines an async function ${where}`;
        if (['if', 'elif', 'else', 'for', 'while', 'try', 'with', 'class', 'match'].includes(first.text)) {
            return `env.py uses an '${first.text}' statement ${where}`;
        }
        const callee = dottedNameBeforeCall(statement.tokens);
        if (callee === 'load_dotenv' || callee?.endsWith('.load_dotenv'))
            return `env.py calls load_dotenv() ${where}`;
        if (callee !== null)
            return `env.py calls ${callee}() ${where}`;
    }
    return `env.py line ${statement.line} is not a literal assignment`;
}
/** `a.b.c(` at the start of `tokens` -> "a.b.c", else null. */
function dottedNameBeforeCall(tokens) {
    const parts = [];
    let i = 0;
    for (;;) {
        const token = tokens[i];
        if (token?.kind !== 'name')
            return null;
        parts.push(token.text);
        const next = tokens[i + 1];
        if (next?.kind === 'op' && next.text === '(')
            return parts.join('.');
        if (next?.kind !== 'op' || next.text !== '.')
            return null;
        i += 2;
    }
}
/** Reads one expression of the static subset; anything else throws NeedsPython naming it. */
class ExpressionReader {
    tokens;
    line;
    env;
    fromOs;
    position = 0;
    constructor(tokens, line, env, fromOs) {
        this.tokens = tokens;
        this.line = line;
        this.env = env;
        this.fromOs = fromOs;
    }
    readWhole() {
        if (this.tokens.length === 0)
            throw this.unsupported(`env.py line ${this.line} is not a literal assignment`);
        const value = this.expression();
        if (this.position < this.tokens.length) {
            throw this.unsupported(`env.py assigns {target} an expression that is not a literal (line ${this.line})`);
        }
        return value;
    }
    expression() {
        const token = this.peek();
        if (token === undefined)
            throw this.unsupported(`env.py line ${this.line} is not a literal assignment`);
        if (token.kind === 'string')
            return this.strings();
        if (token.kind === 'number') {
            this.position++;
            return this.integer(token.text);
        }
        if (token.kind === 'op') {
            if (token.text === '(') {
                this.position++;
                const inner = this.expression();
                this.expectOp(')');
                return inner;
            }
            if (token.text === '[')
                return this.stringList();
            if (token.text === '-' && this.tokens[this.position + 1]?.kind === 'number') {
                this.position++;
                return -this.integer(this.next().text);
            }
            throw this.unsupported(`env.py assigns {target} an expression that is not a literal (line ${this.line})`);
        }
        if (token.kind === 'name') {
            if (token.text === 'True' || token.text === 'False' || token.text === 'None') {
                this.position++;
                return token.text === 'None' ? null : token.text === 'True';
            }
            const lookup = this.environmentLookup();
            if (lookup !== undefined)
                return lookup;
            const callee = dottedNameBeforeCall(this.tokens.slice(this.position));
            if (callee !== null)
                throw this.unsupported(`env.py calls ${callee}() (line ${this.line})`);
            throw this.unsupported(`env.py assigns {target} from another name (line ${this.line})`);
        }
        throw this.unsupported(`env.py line ${this.line} is not a literal assignment`);
    }
    /** Adjacent literals concatenate, as in Python: `("a" "b")`. */
    strings() {
        let text = '';
        while (this.peek()?.kind === 'string') {
            const token = this.next();
            const prefix = token.prefix.toLowerCase();
            if (prefix.includes('f'))
                throw this.unsupported(`env.py uses an f-string (line ${token.line})`);
            if (prefix.includes('b'))
                throw this.unsupported(`env.py assigns {target} a bytes literal (line ${token.line})`);
            text += token.value;
        }
        return text;
    }
    integer(text) {
        if (!/^(?:0|[1-9](?:_?[0-9])*)$/.test(text)) {
            throw this.unsupported(`env.py assigns {target} a number that is not a plain integer (line ${this.line})`);
        }
        return Number(text.replace(/_/g, ''));
    }
    stringList() {
        this.expectOp('[');
        const items = [];
        while (!this.isOp(']')) {
            const item = this.expression();
            if (typeof item !== 'string')
                throw this.unsupported(`env.py assigns {target} a list that is not a list of strings (line ${this.line})`);
            items.push(item);
            if (this.isOp(','))
                this.position++;
            else if (!this.isOp(']'))
                throw this.unsupported(`env.py assigns {target} an expression that is not a literal (line ${this.line})`);
        }
        this.expectOp(']');
        return items;
    }
    /**
     * `os.getenv(k[, d])`, `os.environ.get(k[, d])`, `os.environ[k]`, and the same through names
     * imported `from os`. Returns undefined when the tokens are none of these.
     */
    environmentLookup() {
        const start = this.position;
        const path = this.dottedName();
        const target = this.osAttribute(path);
        if (target === 'getenv' || target === 'environ.get') {
            if (!this.isOp('('))
                return this.rewind(start);
            const [name, fallback] = this.lookupArguments();
            return this.env[name] ?? fallback;
        }
        if (target === 'environ' && this.isOp('[')) {
            this.position++;
            const name = this.expression();
            this.expectOp(']');
            if (typeof name !== 'string')
                throw this.unsupported(`env.py reads os.environ with a key that is not a string (line ${this.line})`);
            const value = this.env[name];
            if (value === undefined) {
                throw new env_py_errors/* EnvPyMissingVariableError */.T(`env.py line ${this.line} reads os.environ["${name}"], which is not set (Python raises KeyError).`, name);
            }
            return value;
        }
        return this.rewind(start);
    }
    /** `getenv` / `environ` / `environ.get` as the os attribute path the dotted name means, or null. */
    osAttribute(dotted) {
        if (dotted[0] === 'os')
            return dotted.slice(1).join('.');
        const imported = dotted[0] === undefined ? undefined : this.fromOs.get(dotted[0]);
        return imported === undefined ? null : [imported, ...dotted.slice(1)].join('.');
    }
    dottedName() {
        const parts = [];
        while (this.peek()?.kind === 'name') {
            parts.push(this.next().text);
            if (!this.isOp('.') || this.tokens[this.position + 1]?.kind !== 'name')
                break;
            this.position++;
        }
        return parts;
    }
    /** `("NAME")`, `("NAME", default)`, `("NAME", default=...)`: the name and the default (None if absent). */
    lookupArguments() {
        this.expectOp('(');
        const name = this.expression();
        if (typeof name !== 'string')
            throw this.unsupported(`env.py reads an environment variable whose name is not a string (line ${this.line})`);
        let fallback = null;
        if (this.isOp(',')) {
            this.position++;
            if (!this.isOp(')')) {
                const keyword = this.peek();
                const afterKeyword = this.tokens[this.position + 1];
                if (keyword?.kind === 'name' &&
                    keyword.text === 'default' &&
                    afterKeyword?.kind === 'op' &&
                    afterKeyword.text === '=') {
                    this.position += 2;
                }
                fallback = this.expression();
                if (this.isOp(','))
                    this.position++;
            }
        }
        this.expectOp(')');
        return [name, fallback];
    }
    rewind(position) {
        this.position = position;
        return undefined;
    }
    peek() {
        return this.tokens[this.position];
    }
    next() {
        return this.tokens[this.position++];
    }
    isOp(text) {
        const token = this.peek();
        return token?.kind === 'op' && token.text === text;
    }
    expectOp(text) {
        if (!this.isOp(text))
            throw this.unsupported(`env.py assigns {target} an expression that is not a literal (line ${this.line})`);
        this.position++;
    }
    unsupported(message) {
        return new NeedsPython(message);
    }
}

// EXTERNAL MODULE: ./src/config/env-py-values.ts
var env_py_values = __webpack_require__(91152);
;// CONCATENATED MODULE: ./src/config/env-py.ts
/**
 * Loading `jetbase/env.py`: read statically when it is only literal assignments and environment
 * lookups (env-py-static.ts), else evaluated by Python the way Jetbase imports it
 * (env-py-evaluate.ts). Without Python, or when running repository code is forbidden, only the
 * literal assignments are read and the result says which construct was left unread and why.
 */






/**
 * Reads `<jetbaseDir>/env.py`, or returns null when there is none. `env` is what env.py sees: the
 * variables its lookups read when it is read statically, and Python's whole environment when it
 * is evaluated. `python` evaluates a file that is not static (null: there is none);
 * `forbidExecution` keeps it from running at all.
 */
async function loadEnvPy(args) {
    const envPyPath = external_node_path_default().join(args.jetbaseDir, 'env.py');
    let source;
    try {
        source = readUtf8File(envPyPath);
    }
    catch (error) {
        if (error instanceof errors/* ConfigError */.xL)
            throw error;
        if (isNodeError(error) && (error.code === 'ENOENT' || error.code === 'ENOTDIR'))
            return null;
        throw new errors/* ConfigError */.xL(`Cannot read ${envPyPath}: ${isNodeError(error) ? error.code : String(error)}`);
    }
    const statics = readEnvPyStatic(source, args.env);
    const unread = statics.needsPython[0];
    if (unread === undefined) {
        return {
            path: envPyPath,
            values: (0,env_py_values/* configValuesOf */.O)(statics.values),
            mode: 'static',
            unreadConstruct: null,
            notEvaluated: null,
            usedDotenvStandIn: false,
        };
    }
    const python = args.forbidExecution === undefined ? args.python : null;
    if (python === null) {
        const notEvaluated = args.forbidExecution === undefined
            ? { because: 'no-python' }
            : { because: 'forbidden', reason: args.forbidExecution.reason };
        return {
            path: envPyPath,
            values: (0,env_py_values/* configValuesOf */.O)(statics.values),
            mode: 'static-partial',
            unreadConstruct: unread,
            notEvaluated,
            usedDotenvStandIn: false,
        };
    }
    // Loaded here, not at start: it spawns Python (node:child_process), which a static env.py never needs.
    const { evaluateEnvPy } = await __webpack_require__.e(/* import() */ 221).then(__webpack_require__.bind(__webpack_require__, 83221));
    const evaluated = await evaluateEnvPy({ envPyPath, python, env: args.env });
    return {
        path: envPyPath,
        values: evaluated.values,
        mode: 'python',
        unreadConstruct: null,
        notEvaluated: null,
        usedDotenvStandIn: evaluated.usedDotenvStandIn,
    };
}
/** Looked for in this order; `py` is the Python launcher of Windows. */
const PYTHON_NAMES = [
    { name: 'python3', args: [] },
    { name: 'python', args: [] },
    { name: 'py', args: ['-3'] },
];
/**
 * Python on the PATH of `env`: `python3`, else `python`, else `py -3`, or null. Relative PATH
 * entries are skipped (they would find a `python3` planted in the checkout). On Windows the
 * names take the `.exe`/`.com` extensions of PATHEXT (Node cannot start a `.bat`/`.cmd` without a
 * shell) and PATH may be spelled in any case.
 */
function findPython(env, platform = process.platform) {
    const windows = platform === 'win32';
    const pathValue = windows ? valueIgnoringCase(env, 'PATH') : env.PATH;
    const dirs = (pathValue ?? '')
        .split(windows ? ';' : ':')
        .filter((dir) => dir !== '' && external_node_path_default().isAbsolute(dir));
    const extensions = windows ? windowsExtensions(valueIgnoringCase(env, 'PATHEXT')) : [''];
    for (const { name, args } of PYTHON_NAMES) {
        for (const dir of dirs) {
            for (const extension of extensions) {
                const candidate = external_node_path_default().join(dir, name + extension);
                if (isExecutableFile(candidate, windows))
                    return { executable: candidate, args };
            }
        }
    }
    return null;
}
function windowsExtensions(pathext) {
    const startable = (pathext ?? '.COM;.EXE')
        .split(';')
        .map((extension) => extension.trim().toLowerCase())
        .filter((extension) => extension === '.exe' || extension === '.com');
    return startable.length > 0 ? [...new Set(startable)] : ['.exe'];
}
function valueIgnoringCase(env, name) {
    if (env[name] !== undefined)
        return env[name];
    const key = Object.keys(env).find((candidate) => candidate.toUpperCase() === name);
    return key === undefined ? undefined : env[key];
}
function isExecutableFile(file, windows) {
    try {
        if (!(0,external_node_fs_.statSync)(file).isFile())
            return false;
        if (!windows)
            (0,external_node_fs_.accessSync)(file, external_node_fs_.constants.X_OK);
        return true;
    }
    catch {
        return false;
    }
}
/** Duck-typed: errors from Node's core modules may come from another realm (e.g. under Jest). */
function isNodeError(error) {
    return typeof error === 'object' && error !== null && 'code' in error;
}

// EXTERNAL MODULE: ./src/config/secret-names.ts
var secret_names = __webpack_require__(19905);
;// CONCATENATED MODULE: ./src/config/url.ts


const SUPPORTED_LIST = 'postgresql, sqlite, snowflake, mysql, databricks';
/** Scheme names (before `+driver`) and the dialect each one means. */
const DIALECT_BY_SCHEME = {
    postgresql: 'postgresql',
    postgres: 'postgresql',
    sqlite: 'sqlite',
    mysql: 'mysql',
    mariadb: 'mysql',
    snowflake: 'snowflake',
    databricks: 'databricks',
};
const MASK = '***';
function parseDatabaseUrl(raw) {
    const schemeEnd = raw.indexOf('://');
    const scheme = schemeEnd > 0 ? raw.slice(0, schemeEnd) : '';
    const schemeMatch = /^([A-Za-z][A-Za-z0-9_]*)(?:\+([A-Za-z0-9_.-]+))?$/.exec(scheme);
    if (!schemeMatch)
        throw unparsable(raw);
    const backend = schemeMatch[1].toLowerCase();
    const driver = schemeMatch[2] ?? null;
    const dialect = DIALECT_BY_SCHEME[backend];
    if (dialect === undefined) {
        const clickhouse = backend === 'clickhouse' ? ' ClickHouse is not supported by jetbase-action.' : '';
        throw new errors/* UrlError */.UN(`Unsupported database: ${backend}. Supported databases are: ${SUPPORTED_LIST}.${clickhouse}`);
    }
    const restStart = schemeEnd + 3;
    const rest = raw.slice(restStart);
    // Userinfo ends at the LAST '@' before the path, so a raw '@' in a password still parses.
    const atIndex = userinfoSeparator(rest);
    let username = null;
    let password = null;
    /** Where the password sits in `raw`, to mask it in place. */
    let passwordSpan = null;
    if (atIndex >= 0) {
        const userinfo = rest.slice(0, atIndex);
        const colon = userinfo.indexOf(':');
        if (colon >= 0) {
            username = percentDecode(userinfo.slice(0, colon));
            password = percentDecode(userinfo.slice(colon + 1));
            passwordSpan = [restStart + colon + 1, restStart + atIndex];
        }
        else {
            username = percentDecode(userinfo);
        }
        if (username === '')
            username = null;
    }
    const afterUserinfo = rest.slice(atIndex + 1);
    const queryStart = afterUserinfo.indexOf('?');
    const beforeQuery = queryStart >= 0 ? afterUserinfo.slice(0, queryStart) : afterUserinfo;
    const queryText = queryStart >= 0 ? afterUserinfo.slice(queryStart + 1) : null;
    const pathStart = beforeQuery.indexOf('/');
    const authority = pathStart >= 0 ? beforeQuery.slice(0, pathStart) : beforeQuery;
    const path = pathStart >= 0 ? beforeQuery.slice(pathStart + 1) : null;
    const query = parseQuery(queryText);
    const queryStartInRaw = queryStart >= 0 ? restStart + atIndex + 1 + queryStart + 1 : -1;
    const redacted = redactParsed(raw, passwordSpan, queryStartInRaw);
    const { host, portText } = splitHostPort(authority, () => redacted);
    let port = null;
    if (portText !== null && portText !== '') {
        if (!/^\d+$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
            throw new errors/* UrlError */.UN(`Invalid port '${portText}' in database URL '${redacted}': a port is a number from 1 to 65535.`);
        }
        port = Number(portText);
    }
    let database = path === null || path === '' ? null : percentDecode(path);
    // SQLAlchemy opens an in-memory database for `sqlite://` and `sqlite:///`.
    if (dialect === 'sqlite' && database === null)
        database = ':memory:';
    return {
        dialect,
        driver,
        username,
        password,
        host: host === '' ? null : host,
        port,
        database,
        query,
        raw,
        redacted,
    };
}
/** The secret values a URL carries: its password (the Databricks token) and credential-like query values. */
function urlSecrets(url) {
    const secrets = new Set();
    if (url.password)
        secrets.add(url.password);
    for (const [key, value] of Object.entries(url.query)) {
        if (value && (0,secret_names/* isSecretName */.eh)(key, 'url-query-parameter'))
            secrets.add(value);
    }
    return [...secrets];
}
/**
 * Index of the '@' ending the userinfo in the text after `://`, or -1. The last '@' wins, except
 * one inside the query string (`?login=a@b`), recognised as coming after a `?key=`.
 */
function userinfoSeparator(rest) {
    let at = rest.lastIndexOf('@');
    while (at >= 0 && insideQuery(rest, at))
        at = at === 0 ? -1 : rest.lastIndexOf('@', at - 1);
    return at;
}
function insideQuery(rest, index) {
    const question = rest.lastIndexOf('?', index);
    if (question < 0)
        return false;
    return /^[A-Za-z_][A-Za-z0-9_.-]*=/.test(rest.slice(question + 1, index));
}
function splitHostPort(authority, redacted) {
    if (authority.startsWith('[')) {
        const close = authority.indexOf(']');
        if (close < 0)
            throw new errors/* UrlError */.UN(`Invalid IPv6 host in database URL '${redacted()}': missing ']'.`);
        const after = authority.slice(close + 1);
        if (after !== '' && !after.startsWith(':')) {
            throw new errors/* UrlError */.UN(`Invalid host in database URL '${redacted()}': unexpected '${after}' after the IPv6 address.`);
        }
        return { host: authority.slice(1, close), portText: after === '' ? null : after.slice(1) };
    }
    const colon = authority.indexOf(':');
    if (colon < 0)
        return { host: percentDecode(authority), portText: null };
    return { host: percentDecode(authority.slice(0, colon)), portText: authority.slice(colon + 1) };
}
/** `a=1&b=x%20y`: percent-decoded, `+` is a space (Python's parse_qsl), the last repeated key wins. */
function parseQuery(text) {
    const query = {};
    if (!text)
        return query;
    for (const pair of text.split('&')) {
        if (pair === '')
            continue;
        const eq = pair.indexOf('=');
        const key = decodeQueryPart(eq >= 0 ? pair.slice(0, eq) : pair);
        query[key] = eq >= 0 ? decodeQueryPart(pair.slice(eq + 1)) : '';
    }
    return query;
}
function decodeQueryPart(text) {
    return percentDecode(text.replace(/\+/g, ' '));
}
/** Like Python's `unquote`: malformed escapes are kept as written instead of failing. */
function percentDecode(text) {
    if (!text.includes('%'))
        return text;
    return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
        try {
            return decodeURIComponent(run);
        }
        catch {
            return run;
        }
    });
}
/** `raw` with the password and credential-like query values masked. */
function redactParsed(raw, passwordSpan, queryStart) {
    let head = raw;
    let queryText = '';
    if (queryStart >= 0) {
        head = raw.slice(0, queryStart);
        queryText = raw.slice(queryStart);
    }
    if (passwordSpan)
        head = head.slice(0, passwordSpan[0]) + MASK + head.slice(passwordSpan[1]);
    if (queryText) {
        queryText = queryText
            .split('&')
            .map((pair) => {
            const eq = pair.indexOf('=');
            if (eq < 0)
                return pair;
            return (0,secret_names/* isSecretName */.eh)(decodeQueryPart(pair.slice(0, eq)), 'url-query-parameter')
                ? `${pair.slice(0, eq + 1)}${MASK}`
                : pair;
        })
            .join('&');
    }
    return head + queryText;
}
/** A URL that could not be parsed, shown without anything that may be a password. */
function unparsable(raw) {
    return new errors/* UrlError */.UN(`Could not parse SQLAlchemy URL from string '${redactUnparsable(raw)}'`);
}
function redactUnparsable(raw) {
    const oneLine = raw.replace(/[\r\n]+/g, ' ');
    const schemeEnd = oneLine.indexOf('://');
    const at = oneLine.lastIndexOf('@');
    if (at < 0)
        return oneLine;
    const credentialsStart = schemeEnd >= 0 ? schemeEnd + 3 : 0;
    if (at < credentialsStart)
        return oneLine;
    const userinfo = oneLine.slice(credentialsStart, at);
    const colon = userinfo.indexOf(':');
    // Without a scheme we cannot tell a user from a password: mask the whole userinfo.
    const kept = schemeEnd >= 0 && colon >= 0 ? `${userinfo.slice(0, colon)}:${MASK}` : MASK;
    return oneLine.slice(0, credentialsStart) + kept + oneLine.slice(at);
}

;// CONCATENATED MODULE: ./src/config/resolve.ts
/**
 * Configuration resolution. Per key, highest first: overrides (CLI flags / action inputs) >
 * `JETBASE_<KEY>` env (empty = unset; `ASYNC` for async_mode) > `jetbase/env.py` >
 * `jetbase/jetbase.toml` > `[tool.jetbase]` of the first pyproject.toml walking up from the jetbase
 * directory. (Jetbase itself puts env.py above the environment; here the environment wins, so that
 * CI can override what a committed env.py says.) Lower layers are read only when a key falls
 * through to them, and each at most once per call.
 */








const KEY_KINDS = {
    sqlalchemy_url: 'string',
    async_mode: 'boolean',
    postgres_schema: 'string',
    model_paths: 'list',
    skip_validation: 'boolean',
    skip_checksum_validation: 'boolean',
    skip_file_validation: 'boolean',
    snowflake_private_key: 'string',
    snowflake_private_key_password: 'string',
};
const MODEL_PATHS_NOTICE = 'model_paths is accepted but not applicable: jetbase-action runs SQL migrations only';
const DOTENV_STAND_IN_NOTICE = 'env.py uses python-dotenv, which Python could not import: a built-in stand-in read the .env file ' +
    '(KEY=value lines, quotes, export, ${VAR} references)';
async function resolveConfig(args) {
    const env = args.env ?? process.env;
    const jetbaseDir = external_node_path_default().resolve(args.jetbaseDir);
    const overrides = args.overrides ?? {};
    const notices = [];
    let envPy;
    const readEnvPy = () => {
        envPy ??= loadEnvPy({
            jetbaseDir,
            env: args.envPyEnv ?? env,
            python: pythonCommand(args.python, env),
            forbidExecution: args.forbidEnvPyExecution,
        });
        return envPy;
    };
    // The TOML parser loads only when there is a TOML file to read (it is a dozen modules at start-up).
    const jetbaseTomlFile = external_node_path_default().join(jetbaseDir, 'jetbase.toml');
    const pyprojectFile = firstPyproject(jetbaseDir);
    const parseToml = isFile(jetbaseTomlFile) || pyprojectFile !== null ? (await __webpack_require__.e(/* import() */ 292).then(__webpack_require__.bind(__webpack_require__, 3292))).parse : () => ({});
    let jetbaseToml;
    const readJetbaseToml = () => (jetbaseToml ??= readTomlFile(jetbaseTomlFile, parseToml));
    let pyproject;
    const readPyproject = () => (pyproject ??= pyprojectFile === null ? null : readToolJetbase(pyprojectFile, parseToml));
    const found = new Map();
    // sqlalchemy_url first: whether it came from above env.py decides how an unreadable env.py is handled.
    for (const key of env_py_values/* CONFIG_KEYS */.m) {
        const fromAbove = fromOverride(key, overrides) ?? fromEnvironment(key, env, notices);
        if (fromAbove !== undefined) {
            found.set(key, fromAbove);
            continue;
        }
        const envPyResult = await readEnvPy();
        // env.py may set the URL in the code that did not run: a file below it must not stand in for it.
        if (key === 'sqlalchemy_url' && envPyResult?.notEvaluated?.because === 'forbidden')
            continue;
        const fromFiles = fromEnvPy(key, envPyResult, found.get('sqlalchemy_url'), notices) ??
            fromTomlTable(key, readJetbaseToml(), 'jetbase.toml', 'jetbase.toml') ??
            fromPyproject(key, readPyproject());
        if (fromFiles !== undefined)
            found.set(key, fromFiles);
    }
    const text = (key) => {
        const value = found.get(key)?.value;
        return typeof value === 'string' ? value : null;
    };
    const flag = (key) => found.get(key)?.value === true;
    const modelPaths = found.get('model_paths')?.value;
    if (modelPaths !== undefined)
        notices.push(MODEL_PATHS_NOTICE);
    const envPyResult = envPy === undefined ? null : await envPy;
    if (envPyResult?.usedDotenvStandIn)
        notices.push(DOTENV_STAND_IN_NOTICE);
    const notEvaluated = envPyResult?.notEvaluated;
    const construct = envPyResult?.unreadConstruct ?? 'env.py needs Python';
    if (notEvaluated?.because === 'forbidden') {
        const reason = notEvaluated.reason.trim();
        notices.push(`env.py was not executed (${construct}): ${reason}${/[.!?]$/.test(reason) ? '' : '.'} ` +
            `Only its literal assignments were read; ${urlOrigin(found.get('sqlalchemy_url'))}.`);
    }
    const sources = Object.fromEntries(env_py_values/* CONFIG_KEYS */.m.map((key) => [key, found.get(key)?.source ?? 'default']));
    const config = {
        sqlalchemyUrl: text('sqlalchemy_url'),
        asyncMode: flag('async_mode'),
        postgresSchema: text('postgres_schema'),
        modelPaths: Array.isArray(modelPaths) ? modelPaths : null,
        skipValidation: flag('skip_validation'),
        skipChecksumValidation: flag('skip_checksum_validation'),
        skipFileValidation: flag('skip_file_validation'),
        snowflakePrivateKey: text('snowflake_private_key'),
        snowflakePrivateKeyPassword: text('snowflake_private_key_password'),
        sources,
        notices: [...new Set(notices)],
        envPyNotExecuted: notEvaluated?.because === 'forbidden' ? { reason: notEvaluated.reason, construct } : null,
    };
    registerSecrets(config, args.redactor ?? report_redact/* redactor */.$p);
    return config;
}
/** The URL, or the error listing every way to configure it (Jetbase's four, plus this project's flag and input). */
function requireUrl(config) {
    if (config.sqlalchemyUrl !== null)
        return config.sqlalchemyUrl;
    throw new errors/* ConfigError */.xL([
        "Configuration 'sqlalchemy_url' not found. Please configure it using one of these methods:",
        '1. The CLI flag --url, or the action input database-url',
        '2. The environment variable: export JETBASE_SQLALCHEMY_URL="postgresql://<user>:<password>@<host>:5432/<database>"',
        '3. jetbase/env.py: sqlalchemy_url = "postgresql://<user>:<password>@<host>:5432/<database>"',
        '4. jetbase/jetbase.toml: sqlalchemy_url = "postgresql://<user>:<password>@<host>:5432/<database>"',
        '5. pyproject.toml: sqlalchemy_url = "..." under [tool.jetbase]',
    ].join('\n'));
}
// ---------------------------------------------------------------------------------------------
// Layers
function fromOverride(key, overrides) {
    if (key === 'model_paths')
        return undefined;
    const value = overrides[key];
    // An action input that was not given arrives as '': the same as not given.
    if (value === undefined || value === '')
        return undefined;
    return { value, source: 'flag' };
}
function fromEnvironment(key, env, notices) {
    if (key === 'async_mode') {
        const asyncVariable = env.ASYNC;
        if (asyncVariable !== undefined && asyncVariable !== '') {
            const parsed = parseBooleanWord(asyncVariable);
            if (parsed !== undefined)
                return { value: parsed, source: 'env' };
            // Jetbase (PR #86) falls back to the configured value for any other ASYNC value.
            notices.push(`ASYNC=${oneLine(asyncVariable)} is not one of true/1/yes/false/0/no and was ignored`);
        }
    }
    const name = `JETBASE_${key.toUpperCase()}`;
    const raw = env[name];
    if (raw === undefined || raw === '')
        return undefined;
    switch (KEY_KINDS[key]) {
        case 'string':
            return { value: raw, source: 'env' };
        case 'boolean': {
            const parsed = parseBooleanWord(raw);
            if (parsed === undefined)
                throw new errors/* ConfigError */.xL(`${name} must be true or false, got '${oneLine(raw)}'`);
            return { value: parsed, source: 'env' };
        }
        case 'list': {
            const items = raw
                .split(',')
                .map((item) => item.trim())
                .filter((item) => item !== '');
            return items.length === 0 ? undefined : { value: items, source: 'env' };
        }
    }
}
function fromEnvPy(key, envPy, url, notices) {
    if (envPy === null)
        return undefined;
    if (envPy.notEvaluated?.because === 'no-python') {
        const construct = envPy.unreadConstruct ?? 'env.py needs Python';
        if (url === undefined) {
            throw new errors/* ConfigError */.xL(`${construct}, which needs Python to evaluate, and python3 was not found on PATH (nor python, nor py -3). ` +
                'Install Python 3, or set JETBASE_SQLALCHEMY_URL (the action input database-url, or the CLI flag --url) instead.');
        }
        notices.push(`${construct} and python3 was not found: only the literal assignments of env.py were read; ${urlOrigin(url)}.`);
    }
    const value = envPy.values[key];
    if (value === undefined || value === null)
        return undefined;
    return { value: checkEnvPyValue(key, value), source: 'env.py' };
}
function urlOrigin(url) {
    if (url === undefined)
        return 'sqlalchemy_url is not taken from env.py';
    return `sqlalchemy_url comes from ${url.source === 'flag' ? 'the flag/input' : 'JETBASE_SQLALCHEMY_URL'}`;
}
function checkEnvPyValue(key, value) {
    const kind = KEY_KINDS[key];
    if (kind === 'string' && typeof value === 'string')
        return value;
    if (kind === 'boolean' && typeof value === 'boolean')
        return value;
    if (kind === 'list') {
        if (typeof value === 'string')
            return [value];
        if (Array.isArray(value))
            return value;
    }
    const typeName = pythonTypeName(value);
    if (kind === 'boolean') {
        // Jetbase: "{key} must be bool, got {type}"; the value of a switch is no secret.
        const shown = typeof value === 'string' || typeof value === 'number' ? ` ${pythonRepr(value)}` : '';
        throw new errors/* ConfigError */.xL(`env.py: ${key} must be True or False, got ${typeName}${shown}`);
    }
    throw new errors/* ConfigError */.xL(`env.py: ${key} must be ${kind === 'list' ? 'a list of strings' : 'a string'}, got ${typeName}`);
}
function fromTomlTable(key, table, file, source) {
    if (table === null || !Object.hasOwn(table, key))
        return undefined;
    const value = table[key];
    const kind = KEY_KINDS[key];
    if (kind === 'string' && typeof value === 'string')
        return { value, source };
    if (kind === 'boolean' && typeof value === 'boolean')
        return { value, source };
    if (kind === 'list') {
        if (typeof value === 'string')
            return { value: [value], source };
        if (Array.isArray(value) && value.every((item) => typeof item === 'string'))
            return { value: value, source };
    }
    const expected = kind === 'boolean' ? 'true or false' : kind === 'list' ? 'an array of strings' : 'a string';
    const shown = kind === 'boolean' && (typeof value === 'string' || typeof value === 'number')
        ? ` ${JSON.stringify(value)}`
        : '';
    throw new errors/* ConfigError */.xL(`${file}: ${key} must be ${expected}, got ${tomlTypeName(value)}${shown}`);
}
function fromPyproject(key, pyproject) {
    if (pyproject === null)
        return undefined;
    return fromTomlTable(key, pyproject.table, `${pyproject.file} [tool.jetbase]`, 'pyproject.toml');
}
function readTomlFile(file, parseToml) {
    if (!isFile(file))
        return null;
    const text = readUtf8File(file);
    try {
        return parseToml(text);
    }
    catch (error) {
        // smol-toml's message quotes the offending lines, which may hold a secret: keep its first line.
        const details = typeof error === 'object' && error !== null ? error : {};
        const line = typeof details.line === 'number' ? ` line ${details.line}` : '';
        const reason = typeof details.message === 'string' ? (details.message.split('\n')[0] ?? '') : '';
        throw new errors/* ConfigError */.xL(`Invalid TOML in ${file}${line}: ${reason}`);
    }
}
/** The first pyproject.toml from the jetbase directory up to the root, as Jetbase looks for it. */
function firstPyproject(jetbaseDir) {
    for (let dir = jetbaseDir;;) {
        const file = external_node_path_default().join(dir, 'pyproject.toml');
        if (isFile(file))
            return file;
        const parent = external_node_path_default().dirname(dir);
        if (parent === dir)
            return null;
        dir = parent;
    }
}
/** Its `[tool.jetbase]` table. */
function readToolJetbase(file, parseToml) {
    const document = readTomlFile(file, parseToml) ?? {};
    const tool = document.tool;
    const table = isTable(tool) ? tool.jetbase : undefined;
    return isTable(table) ? { file, table } : null;
}
function isFile(file) {
    return (0,external_node_fs_.existsSync)(file) && (0,external_node_fs_.statSync)(file).isFile();
}
function isTable(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
// ---------------------------------------------------------------------------------------------
// Helpers
/** true/1/yes and false/0/no, any case; undefined for anything else. */
function parseBooleanWord(raw) {
    const word = raw.trim().toLowerCase();
    if (word === 'true' || word === '1' || word === 'yes')
        return true;
    if (word === 'false' || word === '0' || word === 'no')
        return false;
    return undefined;
}
function oneLine(text) {
    const flat = text.replace(/[\r\n]+/g, ' ');
    return flat.length > 60 ? `${flat.slice(0, 60)}…` : flat;
}
function pythonTypeName(value) {
    if (value === null)
        return 'NoneType';
    if (typeof value === 'string')
        return 'str';
    if (typeof value === 'boolean')
        return 'bool';
    if (typeof value === 'number')
        return Number.isInteger(value) ? 'int' : 'float';
    if (Array.isArray(value))
        return 'list';
    return value.unsupportedType;
}
function pythonRepr(value) {
    return typeof value === 'number'
        ? String(value)
        : `'${oneLine(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
function tomlTypeName(value) {
    if (typeof value === 'string')
        return 'a string';
    if (typeof value === 'boolean')
        return 'a boolean';
    if (typeof value === 'number' || typeof value === 'bigint')
        return Number.isInteger(Number(value)) ? 'an integer' : 'a float';
    if (Array.isArray(value))
        return 'an array';
    if (value instanceof Date)
        return 'a date';
    return 'a table';
}
/** Registers the URL password/token, the URL itself and the Snowflake key material for masking. */
function registerSecrets(config, redactor) {
    redactor.add(config.snowflakePrivateKey);
    redactor.add(config.snowflakePrivateKeyPassword);
    if (config.sqlalchemyUrl === null)
        return;
    try {
        const url = parseDatabaseUrl(config.sqlalchemyUrl);
        const secrets = urlSecrets(url);
        for (const secret of secrets)
            redactor.add(secret);
        if (secrets.length > 0)
            redactor.add(url.raw);
    }
    catch (error) {
        // An unparsable URL is reported, redacted, where it is used.
        if (!(error instanceof errors/* JetbaseError */.N8))
            throw error;
    }
}
function pythonCommand(python, env) {
    if (python === undefined)
        return findPython(env);
    return typeof python === 'string' ? { executable: python, args: [] } : python;
}

;// CONCATENATED MODULE: ./src/lint/allow.ts
/** `-- jetbase-lint: allow rule-a, rule-b`: above a statement for that statement, in the header for the file. */


const ALLOW = /^--\s*jetbase-lint:\s*allow\s+(.+)$/i;
function allowedIn(comment) {
    const match = ALLOW.exec(comment);
    if (!match)
        return [];
    return match[1]
        .split(',')
        .map((id) => id.trim().toLowerCase())
        .filter((id) => id !== '');
}
function allowancesOf(text) {
    const file = new Set(headerCommentLines(text).flatMap((header) => allowedIn(header.text)));
    const lines = splitLines(text);
    return {
        file,
        forStatement(line) {
            const allowed = new Set();
            // The comment lines right above the statement (blank lines end the block).
            for (let i = line - 2; i >= 0; i--) {
                const stripped = pystr_pyStrip(lines[i]);
                if (!stripped.startsWith('--'))
                    break;
                for (const id of allowedIn(stripped))
                    allowed.add(id);
            }
            return allowed;
        },
    };
}

;// CONCATENATED MODULE: ./src/lint/wasm.ts
/**
 * Both parsers are WebAssembly modules of several megabytes. V8 compiles them with its baseline
 * compiler and then re-compiles hot functions in the background, and a process waits for that
 * background work before it exits: about 0.4 s for a `jetbase lint` whose parsing took 20 ms.
 * Linting is short-lived, so the baseline code is all it needs.
 */
let setting;
/** Before either parser compiles; node:v8 is imported here, so a run that lints nothing never loads it. */
function baselineWasmOnly() {
    setting ??= Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 78877, 23)).then(({ default: v8 }) => v8.setFlagsFromString('--liftoff-only'));
    return setting;
}

;// CONCATENATED MODULE: ./src/lint/facts.ts
/** `"Public"."Users"` → `users`: the last name part, unquoted, lower case. */
function tableKey(parts) {
    return (parts[parts.length - 1] ?? '').replace(/^[`"[]|[`"\]]$/g, '').toLowerCase();
}

;// CONCATENATED MODULE: ./src/lint/postgresql.ts
/** PostgreSQL statements read with libpg-query: the server's own grammar compiled to WebAssembly. */


let loading;
/** Loads the WebAssembly parser once, on first use (never when lint does not run). */
function loadPostgresParser() {
    loading ??= baselineWasmOnly()
        .then(() => __webpack_require__.e(/* import() */ 627).then(__webpack_require__.t.bind(__webpack_require__, 2627, 23)))
        .then(async (module) => {
        await module.loadModule();
        return module;
    });
    return loading;
}
const asNode = (value) => value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
const asList = (value) => (Array.isArray(value) ? value : []);
/** `{ Constraint: {...} }` → its fields, when the node is of that type. */
const inner = (value, type) => asNode(asNode(value)?.[type]);
function relationName(relation) {
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
function callsVolatile(expr) {
    const call = inner(expr, 'FuncCall');
    if (call) {
        const names = asList(call['funcname']).map((name) => String(inner(name, 'String')?.['sval'] ?? ''));
        if (VOLATILE_FUNCTIONS.has(names[names.length - 1] ?? ''))
            return true;
    }
    // Look inside casts, operators and nested calls.
    if (expr !== null && typeof expr === 'object')
        return Object.values(expr).some((child) => typeof child === 'object' && callsVolatile(child));
    return false;
}
function alterTableObservations(stmt) {
    const table = relationName(stmt['relation']);
    if (stmt['objtype'] !== undefined && stmt['objtype'] !== 'OBJECT_TABLE')
        return [];
    const observations = [];
    for (const item of asList(stmt['cmds'])) {
        const cmd = inner(item, 'AlterTableCmd');
        if (!cmd)
            continue;
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
                if ((type === 'CONSTR_FOREIGN' || type === 'CONSTR_CHECK') &&
                    constraint?.['skip_validation'] !== true)
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
                const required = constraints.some((c) => c['contype'] === 'CONSTR_NOTNULL' || c['contype'] === 'CONSTR_PRIMARY');
                const generated = constraints.some((c) => c['contype'] === 'CONSTR_GENERATED' || c['contype'] === 'CONSTR_IDENTITY');
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
const hasConcurrentlyOption = (params) => asList(params).some((param) => inner(param, 'DefElem')?.['defname'] === 'concurrently');
function factsOf(node) {
    const [type, value] = Object.entries(node)[0] ?? ['', {}];
    const stmt = asNode(value) ?? {};
    const observations = [];
    const creates = [];
    const nonTransactional = (subject) => observations.push({ rule: 'non-transactional-statement', subject });
    switch (type) {
        case 'CreateStmt':
            creates.push(relationName(stmt['relation']));
            break;
        case 'CreateTableAsStmt':
            creates.push(relationName(inner(stmt['into'], 'IntoClause')?.['rel'] ?? asNode(stmt['into'])?.['rel']));
            break;
        case 'DropStmt': {
            const names = asList(stmt['objects']).map((object) => tableKey(asList(inner(object, 'List')?.['items']).map((item) => String(inner(item, 'String')?.['sval'] ?? ''))));
            const subject = names.join(', ');
            if (stmt['removeType'] === 'OBJECT_TABLE')
                observations.push({ rule: 'drop-table', subject });
            if (stmt['removeType'] === 'OBJECT_SCHEMA')
                observations.push({ rule: 'drop-schema', subject });
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
            if (stmt['is_vacuumcmd'] === true)
                nonTransactional('VACUUM');
            break;
        case 'ReindexStmt':
            if (hasConcurrentlyOption(stmt['params']))
                nonTransactional('REINDEX CONCURRENTLY');
            break;
        case 'IndexStmt': {
            const table = relationName(stmt['relation']);
            if (stmt['concurrent'] === true)
                nonTransactional('CREATE INDEX CONCURRENTLY');
            else
                observations.push({ rule: 'create-index-not-concurrently', subject: table, lockedTable: table });
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
function analyzePostgres(parser, sql) {
    let tree;
    try {
        tree = parser.parseSync(sql);
    }
    catch (error) {
        return { kind: 'syntax-error', message: error instanceof Error ? error.message : String(error) };
    }
    const facts = (tree.stmts ?? []).map((entry) => factsOf(entry.stmt ?? {}));
    return { kind: 'parsed', facts };
}

;// CONCATENATED MODULE: ./src/lint/rules.ts
const TRANSACTION_OFF_HINT = 'run it in its own file with `-- jetbase: transaction=off` in the header';
const RULES = {
    'drop-table': {
        severity: 'error',
        why: 'The table and its data are gone; application code still reading it fails.',
        safer: 'Stop using the table first, keep a backup, drop it in a later release; allow the rule on the statement when that is done.',
    },
    'drop-column': {
        severity: 'error',
        why: 'The column and its data are gone; running application code that selects it fails.',
        safer: 'Deploy code that no longer uses the column first, then drop it in a later migration.',
    },
    'drop-schema': {
        severity: 'error',
        why: 'Every object in the schema or database and all their data are gone.',
        safer: 'Drop the objects one by one after a backup, or allow the rule on the statement when it is intended.',
    },
    truncate: {
        severity: 'error',
        why: 'Every row of the table is deleted.',
        safer: 'Delete the rows you mean with a WHERE clause, or allow the rule on the statement when it is intended.',
    },
    'delete-without-where': {
        severity: 'error',
        why: 'A DELETE without WHERE deletes every row of the table.',
        safer: 'Add a WHERE clause naming the rows to delete.',
    },
    'update-without-where': {
        severity: 'error',
        why: 'An UPDATE without WHERE rewrites every row of the table (and locks them all while it runs).',
        safer: 'Add a WHERE clause, and backfill large tables in batches.',
    },
    'create-or-replace-table': {
        severity: 'error',
        why: 'CREATE OR REPLACE TABLE replaces an existing table, and its data, with an empty one.',
        safer: 'Use CREATE TABLE IF NOT EXISTS, or ALTER TABLE to change an existing table.',
    },
    'create-index-not-concurrently': {
        severity: 'warning',
        why: 'CREATE INDEX blocks every write to the table until the index is built.',
        safer: `Use CREATE INDEX CONCURRENTLY and ${TRANSACTION_OFF_HINT}.`,
    },
    'set-not-null': {
        severity: 'warning',
        why: 'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock, blocking reads and writes.',
        safer: 'Add `CHECK (col IS NOT NULL) NOT VALID`, VALIDATE it in a later migration, then SET NOT NULL (it uses the validated check).',
    },
    'constraint-not-valid': {
        severity: 'warning',
        why: 'Adding a foreign key or check constraint validates every row while holding a lock that blocks writes.',
        safer: 'Add the constraint NOT VALID, then VALIDATE CONSTRAINT in a later migration.',
    },
    'alter-column-type': {
        severity: 'warning',
        why: 'Changing a column type usually rewrites the table under a lock that blocks reads and writes.',
        safer: 'Add a new column, backfill it in batches, switch the code over, then drop the old column.',
    },
    'add-required-column': {
        severity: 'warning',
        why: 'A NOT NULL column without a default fails on a table that has rows, and running code inserting without it breaks.',
        safer: 'Add the column nullable (or with a constant default), backfill it, then add the NOT NULL constraint.',
    },
    'add-column-volatile-default': {
        severity: 'warning',
        why: 'A volatile default (random(), clock_timestamp(), gen_random_uuid(), …) rewrites the whole table under an exclusive lock.',
        safer: 'Add the column without a default, set the default afterwards, and backfill existing rows in batches.',
    },
    'rename-column': {
        severity: 'warning',
        why: 'Running application code still uses the old name and breaks until it is deployed again.',
        safer: 'Add the new column, write to both, move the readers, then drop the old one (or rename behind a view).',
    },
    'rename-table': {
        severity: 'warning',
        why: 'Running application code still uses the old name and breaks until it is deployed again.',
        safer: 'Create the new table (or a view with the new name), move the code over, then drop the old name.',
    },
    'non-transactional-statement': {
        severity: 'error',
        why: 'This statement cannot run inside a transaction block, and Jetbase runs every file in one: the upgrade fails.',
        safer: `${TRANSACTION_OFF_HINT[0].toUpperCase()}${TRANSACTION_OFF_HINT.slice(1)}.`,
    },
    'implicit-commit': {
        severity: 'warning',
        why: 'DDL commits implicitly on this database, so a failure later in the file leaves the statements before it applied.',
        safer: 'Put the DDL statements in their own files, one change per file, so a failed file can simply be fixed and rerun.',
    },
    'syntax-error': {
        severity: 'error',
        why: 'The database will reject the statement and the upgrade fails.',
        safer: 'Fix the statement; remember that Jetbase joins a statement’s lines with spaces, so a `--` comment inside a statement hides the rest of it.',
    },
    'not-analyzed': {
        severity: 'info',
        why: 'The parser for this database cannot read the statement, so only the keyword checks ran on it.',
        safer: 'Review the statement by hand.',
    },
};

;// CONCATENATED MODULE: ./src/lint/lexical.ts

/** Words and names; strings, comments and dollar-quoted bodies are skipped. */
function tokenize(sql) {
    const tokens = [];
    let i = 0;
    while (i < sql.length) {
        const c = sql[i];
        if (/\s/.test(c))
            i++;
        else if (c === '-' && sql[i + 1] === '-') {
            const end = sql.indexOf('\n', i);
            i = end < 0 ? sql.length : end + 1;
        }
        else if (c === '/' && sql[i + 1] === '*') {
            const end = sql.indexOf('*/', i + 2);
            i = end < 0 ? sql.length : end + 2;
        }
        else if (c === "'") {
            i++;
            while (i < sql.length) {
                if (sql[i] === '\\')
                    i += 2;
                else if (sql[i] === "'") {
                    if (sql[i + 1] === "'")
                        i += 2;
                    else
                        break;
                }
                else
                    i++;
            }
            i++;
        }
        else if (c === '$' && /^\$[A-Za-z_]*\$/.test(sql.slice(i))) {
            const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))[0];
            const end = sql.indexOf(tag, i + tag.length);
            i = end < 0 ? sql.length : end + tag.length;
        }
        else if (c === '"' || c === '`' || c === '[') {
            const close = c === '[' ? ']' : c;
            const end = sql.indexOf(close, i + 1);
            const stop = end < 0 ? sql.length : end + 1;
            tokens.push({ text: sql.slice(i, stop), word: false });
            i = stop;
        }
        else if (/[A-Za-z_0-9]/.test(c)) {
            let j = i;
            while (j < sql.length && /[A-Za-z_0-9$]/.test(sql[j]))
                j++;
            tokens.push({ text: sql.slice(i, j).toUpperCase(), word: true });
            i = j;
        }
        else {
            tokens.push({ text: c, word: false });
            i++;
        }
    }
    return tokens;
}
const DDL_WORDS = new Set(['CREATE', 'ALTER', 'DROP', 'TRUNCATE', 'RENAME', 'COMMENT', 'GRANT', 'REVOKE']);
const DML_WORDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'REPLACE', 'SELECT', 'WITH', 'COPY']);
/** A dotted name starting at `at`: its parts and the index after it. */
function nameAt(tokens, at) {
    const parts = [];
    let i = at;
    while (i < tokens.length && tokens[i].text !== '(' && tokens[i].text !== ',') {
        parts.push(tokens[i].text);
        if (tokens[i + 1]?.text !== '.')
            return { parts, next: i + 1 };
        i += 2;
    }
    return { parts, next: i };
}
function skipIfExists(tokens, at) {
    if (tokens[at]?.text === 'IF' && tokens[at + 1]?.text === 'EXISTS')
        return at + 2;
    if (tokens[at]?.text === 'IF' && tokens[at + 2]?.text === 'EXISTS')
        return at + 3;
    return at;
}
function lexicalFacts(sql, dialect) {
    const tokens = tokenize(sql);
    const words = tokens.map((token) => (token.word ? token.text : ''));
    const has = (...sequence) => words.some((_, i) => sequence.every((word, k) => words[i + k] === word));
    const first = words[0] ?? '';
    const observations = [];
    const creates = [];
    const category = DDL_WORDS.has(first) ? 'ddl' : DML_WORDS.has(first) ? 'dml' : 'other';
    if (first === 'CREATE') {
        const tableAt = words.indexOf('TABLE');
        const replace = words[1] === 'OR' && words[2] === 'REPLACE';
        if (tableAt > 0 &&
            words
                .slice(1, tableAt)
                .every((w) => /^(OR|REPLACE|TEMP|TEMPORARY|TRANSIENT|EXTERNAL|GLOBAL|LOCAL|UNLOGGED)$/.test(w))) {
            let at = tableAt + 1;
            if (words[at] === 'IF' && words[at + 1] === 'NOT' && words[at + 2] === 'EXISTS')
                at += 3;
            const table = tableKey(nameAt(tokens, at).parts);
            creates.push(table);
            if (replace && (dialect === 'snowflake' || dialect === 'databricks'))
                observations.push({ rule: 'create-or-replace-table', subject: table });
        }
    }
    else if (first === 'DROP') {
        const kind = words[1] === 'TEMPORARY' ? words[2] : words[1];
        const at = skipIfExists(tokens, words[1] === 'TEMPORARY' ? 3 : 2);
        const subject = tableKey(nameAt(tokens, at).parts);
        if (kind === 'TABLE')
            observations.push({ rule: 'drop-table', subject });
        if (kind === 'SCHEMA' || kind === 'DATABASE')
            observations.push({ rule: 'drop-schema', subject });
    }
    else if (first === 'TRUNCATE') {
        const at = words[1] === 'TABLE' ? 2 : 1;
        observations.push({
            rule: 'truncate',
            subject: tableKey(nameAt(tokens, skipIfExists(tokens, at)).parts),
        });
    }
    else if (first === 'DELETE' && !words.includes('WHERE')) {
        const at = words.indexOf('FROM');
        observations.push({
            rule: 'delete-without-where',
            subject: tableKey(nameAt(tokens, at < 0 ? 1 : at + 1).parts),
        });
    }
    else if (first === 'UPDATE' && !words.includes('WHERE')) {
        observations.push({ rule: 'update-without-where', subject: tableKey(nameAt(tokens, 1).parts) });
    }
    else if (first === 'ALTER' && words[1] === 'TABLE') {
        const table = tableKey(nameAt(tokens, skipIfExists(tokens, 2)).parts);
        if (has('DROP', 'COLUMN') || has('DROP', 'COLUMNS'))
            observations.push({ rule: 'drop-column', subject: table });
        if (has('RENAME', 'COLUMN'))
            observations.push({ rule: 'rename-column', subject: table });
        else if (has('RENAME', 'TO'))
            observations.push({ rule: 'rename-table', subject: table });
        if (dialect === 'mysql' && (has('MODIFY') || has('CHANGE')))
            observations.push({ rule: 'alter-column-type', subject: table });
    }
    else if (first === 'RENAME' && words[1] === 'TABLE') {
        observations.push({ rule: 'rename-table', subject: tableKey(nameAt(tokens, 2).parts) });
    }
    else if (first === 'VACUUM' && dialect === 'sqlite') {
        observations.push({ rule: 'non-transactional-statement', subject: 'VACUUM' });
    }
    return { observations, creates, category };
}

;// CONCATENATED MODULE: ./src/lint/sqlparser.ts



let sqlparser_loading;
/** Loads the WebAssembly parser once, on first use (never when lint does not run). */
function loadSqlParser() {
    sqlparser_loading ??= baselineWasmOnly()
        .then(() => __webpack_require__.e(/* import() */ 384).then(__webpack_require__.bind(__webpack_require__, 11384)))
        .then(async (module) => {
        await module.init();
        return { parse: (sql, dialect) => module.parse(sql, dialect) };
    });
    return sqlparser_loading;
}
const sqlparser_asNode = (value) => value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
const sqlparser_asList = (value) => (Array.isArray(value) ? value : []);
/** `[{Identifier: {value}}]` → `users`. */
function nameOf(name) {
    return tableKey(sqlparser_asList(name).map((part) => {
        const node = sqlparser_asNode(part);
        const ident = sqlparser_asNode(node?.['Identifier']) ?? node;
        return String(ident?.['value'] ?? '');
    }));
}
const DML = new Set(['Insert', 'Update', 'Delete', 'Merge', 'Query', 'Copy', 'CopyIntoSnowflake']);
const DDL_PREFIX = /^(Create|Alter|Drop|Truncate|Rename|Comment|Grant|Revoke|Undrop)/;
function alterTable(stmt, dialect) {
    const table = nameOf(stmt['name']);
    const observations = [];
    for (const operation of sqlparser_asList(stmt['operations'])) {
        const [type, value] = Object.entries(sqlparser_asNode(operation) ?? { '': null })[0] ?? ['', null];
        const body = sqlparser_asNode(value);
        if (type === 'DropColumn')
            observations.push({ rule: 'drop-column', subject: table });
        if (type === 'RenameColumn')
            observations.push({ rule: 'rename-column', subject: table });
        if (type === 'RenameTable')
            observations.push({ rule: 'rename-table', subject: table });
        if (dialect !== 'mysql')
            continue;
        if (type === 'ModifyColumn')
            observations.push({ rule: 'alter-column-type', subject: table });
        if (type === 'ChangeColumn') {
            observations.push({ rule: 'alter-column-type', subject: table });
            const oldName = String(sqlparser_asNode(body?.['old_name'])?.['value'] ?? '');
            const newName = String(sqlparser_asNode(body?.['new_name'])?.['value'] ?? '');
            if (oldName.toLowerCase() !== newName.toLowerCase())
                observations.push({ rule: 'rename-column', subject: table });
        }
        if (type === 'AlterColumn' && sqlparser_asNode(sqlparser_asNode(body?.['op'])?.['SetDataType']))
            observations.push({ rule: 'alter-column-type', subject: table });
    }
    return observations;
}
function sqlparser_factsOf(statement, dialect) {
    const [type, value] = Object.entries(sqlparser_asNode(statement) ?? {})[0] ?? [String(statement), null];
    const stmt = sqlparser_asNode(value) ?? {};
    const category = DML.has(type) ? 'dml' : DDL_PREFIX.test(type) ? 'ddl' : 'other';
    const observations = [];
    const creates = [];
    switch (type) {
        case 'CreateTable': {
            const table = nameOf(stmt['name']);
            creates.push(table);
            if (stmt['or_replace'] === true && (dialect === 'snowflake' || dialect === 'databricks'))
                observations.push({ rule: 'create-or-replace-table', subject: table });
            break;
        }
        case 'Drop': {
            const subject = sqlparser_asList(stmt['names']).map(nameOf).join(', ');
            if (stmt['object_type'] === 'Table')
                observations.push({ rule: 'drop-table', subject });
            if (stmt['object_type'] === 'Schema' || stmt['object_type'] === 'Database')
                observations.push({ rule: 'drop-schema', subject });
            break;
        }
        case 'Truncate':
            observations.push({
                rule: 'truncate',
                subject: sqlparser_asList(stmt['table_names'])
                    .map((t) => nameOf(sqlparser_asNode(t)?.['name']))
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
                subject: sqlparser_asList(value)
                    .map((pair) => nameOf(sqlparser_asNode(pair)?.['old_name']))
                    .join(', '),
            });
            break;
        case 'Vacuum':
            if (dialect === 'sqlite')
                observations.push({ rule: 'non-transactional-statement', subject: 'VACUUM' });
            break;
    }
    return { observations, creates, category };
}
function analyzeWithSqlParser(parser, sql, dialect) {
    try {
        const statements = parser.parse(sql, dialect);
        return { kind: 'parsed', facts: statements.map((statement) => sqlparser_factsOf(statement, dialect)) };
    }
    catch (error) {
        const message = error instanceof Error ? error.message.replace(/^sql parser error: /, '') : String(error);
        return { kind: 'not-analyzed', message, facts: [lexicalFacts(sql, dialect)] };
    }
}

;// CONCATENATED MODULE: ./src/lint/lint.ts





/** Where DDL commits on its own, so a file mixing DDL with other statements can stop half applied. */
const IMPLICIT_COMMIT = new Set(['mysql', 'snowflake', 'databricks']);
const STATEMENT_SHOWN = 2000;
function messageOf(rule, subject) {
    const on = subject === '' ? '' : ` ${subject}`;
    switch (rule) {
        case 'drop-table':
            return `Drops table${on}.`;
        case 'drop-column':
            return subject.includes('.') ? `Drops column ${subject}.` : `Drops a column of${on || ' a table'}.`;
        case 'drop-schema':
            return `Drops schema or database${on}.`;
        case 'truncate':
            return `Truncates${on || ' a table'}.`;
        case 'delete-without-where':
            return `DELETE without WHERE${subject === '' ? '' : ` on ${subject}`}.`;
        case 'update-without-where':
            return `UPDATE without WHERE${subject === '' ? '' : ` on ${subject}`}.`;
        case 'create-or-replace-table':
            return `CREATE OR REPLACE TABLE${on} replaces the table and its data.`;
        case 'create-index-not-concurrently':
            return `CREATE INDEX on existing table${on} without CONCURRENTLY.`;
        case 'set-not-null':
            return `SET NOT NULL on${on}.`;
        case 'constraint-not-valid':
            return `Adds a constraint on${on} without NOT VALID.`;
        case 'alter-column-type':
            return `Changes a column type on${on}.`;
        case 'add-required-column':
            return `Adds NOT NULL column${on} without a default to an existing table.`;
        case 'add-column-volatile-default':
            return `Adds column${on} with a volatile default.`;
        case 'rename-column':
            return `Renames a column of${on}.`;
        case 'rename-table':
            return `Renames table${on}.`;
        case 'non-transactional-statement':
            return `${subject} cannot run inside a transaction, and this file runs in one.`;
        case 'implicit-commit':
            return `This file mixes DDL with other statements; DDL commits implicitly${on ? ` (${subject})` : ''}.`;
        case 'syntax-error':
            return `Syntax error: ${subject}.`;
        case 'not-analyzed':
            return `Not analyzed (the parser could not read it: ${subject}); keyword checks only.`;
    }
}
async function analyzerFor(dialect) {
    if (dialect === 'postgresql') {
        const parser = await loadPostgresParser();
        return { analyze: (sql) => analyzePostgres(parser, sql) };
    }
    const parser = await loadSqlParser();
    return { analyze: (sql) => analyzeWithSqlParser(parser, sql, dialect) };
}
/** Lints `files` (the pending set, in the order they would run). Never throws on file content. */
async function lintMigrations(files, options) {
    const { dialect } = options;
    // On the first statement: with nothing pending (validate when all is applied) no parser loads.
    let analyzer;
    const findings = [];
    const allowed = [];
    const createdInSet = new Set();
    let statements = 0;
    for (const file of files) {
        const allowances = allowancesOf(file.text);
        const transactionOff = transactionOffIn(file.text);
        const report = (rule, line, sql, subject) => {
            const scope = allowances.file.has(rule)
                ? 'file'
                : allowances.forStatement(line).has(rule)
                    ? 'statement'
                    : undefined;
            if (scope !== undefined) {
                allowed.push({ file: file.relativePath, line, rule, scope });
                return;
            }
            const { severity, why, safer } = RULES[rule];
            findings.push({
                file: file.relativePath,
                line,
                rule,
                severity,
                message: messageOf(rule, subject),
                statement: sql.length > STATEMENT_SHOWN ? `${sql.slice(0, STATEMENT_SHOWN)}…` : sql,
                why,
                safer,
            });
        };
        let firstDdl;
        let hasOther = false;
        for (const { sql, line } of file.parsed.upgrade.statements) {
            statements++;
            analyzer ??= await analyzerFor(dialect);
            let analysis;
            try {
                analysis = analyzer.analyze(sql);
            }
            catch (error) {
                // A parser that crashes on odd input must not stop the check.
                analysis = {
                    kind: 'not-analyzed',
                    message: error instanceof Error ? error.message : String(error),
                    facts: [],
                };
            }
            if (analysis.kind === 'syntax-error') {
                report('syntax-error', line, sql, analysis.message);
                continue;
            }
            if (analysis.kind === 'not-analyzed')
                report('not-analyzed', line, sql, analysis.message);
            for (const facts of analysis.facts) {
                for (const observation of applicable(facts, createdInSet, transactionOff))
                    report(observation.rule, line, sql, observation.subject);
                for (const table of facts.creates)
                    createdInSet.add(table);
                if (facts.category === 'ddl')
                    firstDdl ??= { line, sql };
                if (facts.category === 'dml')
                    hasOther = true;
            }
        }
        if (IMPLICIT_COMMIT.has(dialect) && !transactionOff && firstDdl !== undefined && hasOther)
            report('implicit-commit', firstDdl.line, firstDdl.sql, '');
    }
    const order = new Map(files.map((file, index) => [file.relativePath, index]));
    findings.sort((a, b) => order.get(a.file) - order.get(b.file) || a.line - b.line);
    return { dialect, findings, allowed, files: files.length, statements };
}
function applicable(facts, createdInSet, transactionOff) {
    return facts.observations.filter((observation) => {
        // Locking a table the pending set created is harmless: nobody uses it yet.
        if (observation.lockedTable !== undefined && createdInSet.has(observation.lockedTable))
            return false;
        if (observation.rule === 'non-transactional-statement' && transactionOff)
            return false;
        return true;
    });
}

;// CONCATENATED MODULE: ./src/lint/index.ts
/** The linter's public API. */




;// CONCATENATED MODULE: ./src/run/lint.ts
/**
 * Lint in the run layer: the `lint` command, and the findings `status`/`validate` carry when the
 * shell asks for them. Only what would run is linted: the pending files when the database can be
 * read, every file otherwise. The parsers load here, never on a run that does not lint.
 */





/** The dialect to lint for: the one asked for, else the configured URL's. */
function lintDialectOf(requested, target) {
    if (requested !== undefined)
        return requested;
    if (target?.dialect !== undefined)
        return target.dialect.name;
    const url = target?.config.sqlalchemyUrl;
    if (url === null || url === undefined)
        return undefined;
    try {
        return parseDatabaseUrl(url).dialect;
    }
    catch {
        return undefined;
    }
}
/** Lints the plan's pending files in the order they would run. */
function lintPlan(plan, dialect) {
    return lintMigrations(executionOrder(plan).map((pending) => pending.file), { dialect });
}
function noDialect() {
    return new errors/* JetbaseError */.N8('CONFIG', 'Lint needs to know the database: no URL is configured.', {
        hint: 'Pass --dialect postgresql|mysql|sqlite|snowflake|databricks, or configure the database URL.',
    });
}
/**
 * `jetbase lint`: reads the pending set from the database when one is configured and reachable
 * (read-only, as `status` does), else lints every file.
 */
async function runLintCommand(request, runStatus, failed) {
    const started = external_node_perf_hooks_.performance.now();
    const emit = (event) => request.onProgress?.(event);
    const status = await runStatus({
        ...request,
        command: { name: 'status' },
        offline: {
            baseFiles: () => Promise.resolve({ ok: false, reason: 'not needed to lint' }),
            whenEnvPyLacksVariable: true,
        },
    });
    const { target } = status;
    try {
        const dialect = lintDialectOf(request.command.dialect, target);
        if (dialect === undefined)
            throw noDialect();
        let plan;
        let scope;
        if (status.outcome.command === 'status') {
            plan = status.outcome.plan;
            scope = 'pending';
        }
        else {
            if (status.outcome.command === 'error' && status.outcome.code !== 'CONFIG')
                emit({
                    type: 'notice',
                    message: `The database could not be read (${status.outcome.message}); linting every migration file.`,
                });
            else if (status.outcome.command === 'error')
                throw status.outcome.error;
            plan = buildPlan(discoverMigrations(target?.jetbaseDir ?? request.jetbaseDir), [], {});
            scope = 'all-files';
        }
        const report = await lintPlan(plan, dialect);
        return {
            target,
            outcome: { command: 'lint', report, scope, durationMs: external_node_perf_hooks_.performance.now() - started },
            lockLeftHeld: false,
        };
    }
    catch (error) {
        return { target, outcome: failed(error), lockLeftHeld: false };
    }
}
/** `status`/`validate` with `lint` requested: the findings on the plan the report already holds. */
async function withLint(request, result) {
    const { outcome } = result;
    if (request.lint === undefined || (outcome.command !== 'status' && outcome.command !== 'offline-validate'))
        return result;
    const dialect = lintDialectOf(request.lint.dialect, result.target);
    if (dialect === undefined) {
        request.onProgress?.({
            type: 'notice',
            message: 'Lint skipped: the database type is unknown (no URL is configured).',
        });
        return result;
    }
    try {
        return { ...result, lint: await lintPlan(outcome.plan, dialect) };
    }
    catch (error) {
        request.onProgress?.({
            type: 'notice',
            message: `Lint could not run: ${report_redact/* redactor */.$p.redact((0,errors/* errorMessage */.gJ)(error))}`,
        });
        return result;
    }
}

;// CONCATENATED MODULE: ./src/run/offline.ts
/**
 * Validation without a database (a fork PR gets no secrets): what the files alone can tell. The
 * engine's discovery and a plan against an empty history give names, duplicates and parse problems
 * (unterminated statements); the base branch's file names add the two problems a merge would
 * create: a new file numbered below what the base branch already has (out of order once the base
 * is deployed), and a version the base branch already uses under another name.
 */



const NOT_CHECKED_OFFLINE = [
    'Drift: whether applied migrations were changed since they ran (checksums).',
    'Missing files: applied versions whose file was deleted or renamed.',
    'Applied state: which files are pending on the database, and the current version.',
    'Whether the SQL runs: statements are parsed, not executed.',
];
function baseProblems(discovery, base, skip) {
    const problems = [];
    const baseNames = new Set(base.paths.map((p) => external_node_path_default().posix.basename(p)));
    const baseVersions = [];
    for (const filename of baseNames) {
        const name = names_parseMigrationName(filename);
        if (name.ok && name.type === 'VERSIONED')
            baseVersions.push({ version: name.version, filename });
    }
    const latest = baseVersions.reduce((max, v) => (max === undefined || compareVersions(v.version, max.version) > 0 ? v : max), undefined);
    const skipFiles = Boolean(skip.skipValidation || skip.skipFileValidation);
    for (const file of discovery.versioned) {
        if (baseNames.has(file.filename))
            continue; // already on the base branch
        const version = file.version;
        const clash = baseVersions.find((v) => compareVersions(v.version, version) === 0);
        if (clash) {
            problems.push({
                kind: 'duplicate-version',
                severity: 'error',
                file: file.relativePath,
                version,
                message: `${file.relativePath} uses version ${version}, which ${clash.filename} on ${base.ref} already uses: after merging, the two would be duplicates. Rename this file to a version above ${latest?.version ?? version}.`,
            });
        }
        else if (latest !== undefined && compareVersions(version, latest.version) < 0) {
            problems.push({
                kind: 'out-of-order',
                severity: skipFiles ? 'warning' : 'error',
                file: file.relativePath,
                version,
                message: `${file.relativePath} has version ${version}, lower than ${latest.filename} (version ${latest.version}) on ${base.ref}: once ${base.ref} is deployed it would be out of order. Rename it to a version higher than ${latest.version}.`,
            });
        }
    }
    const here = new Set([...discovery.versioned, ...discovery.runsAlways, ...discovery.runsOnChange].map((f) => f.filename));
    for (const filename of [...baseNames].sort()) {
        if (here.has(filename) || !names_parseMigrationName(filename).ok)
            continue;
        problems.push({
            kind: 'missing-file',
            severity: 'warning',
            message: `${filename} is on ${base.ref} but not in this branch: if it was applied, deleting or renaming it makes validation fail with a missing file.`,
        });
    }
    return problems;
}
function offlineValidation(discovery, base, skip, reason, started = external_node_perf_hooks_.performance.now()) {
    // An empty history: nothing is applied, so no drift and no missing files, only what the files say.
    const plan = buildPlan(discovery, [], skip);
    const extra = base.ok ? baseProblems(discovery, base, skip) : [];
    const problems = [...plan.problems, ...extra];
    // With the base branch known, the plan shows what this change adds, not every file of the project.
    const onBase = new Set(base.ok ? base.paths.map((p) => external_node_path_default().posix.basename(p)) : []);
    const added = (list) => list.filter((p) => !onBase.has(p.file.filename));
    return {
        command: 'offline-validate',
        reason,
        plan: {
            ...plan,
            pendingVersioned: added(plan.pendingVersioned),
            runsAlways: added(plan.runsAlways),
            runsOnChange: added(plan.runsOnChange),
            problems,
        },
        problems,
        ok: !hasErrors(problems),
        checkedFiles: discovery.versioned.length + discovery.runsAlways.length + discovery.runsOnChange.length,
        baseBranch: base.ok
            ? { checked: true, ref: base.ref, source: base.source, files: base.paths.length }
            : { checked: false, reason: base.reason },
        notChecked: NOT_CHECKED_OFFLINE,
        durationMs: external_node_perf_hooks_.performance.now() - started,
    };
}

;// CONCATENATED MODULE: ./src/dialects/registry.ts
/**
 * The one door from a parsed URL to a dialect. Each dialect module is imported only when its URL
 * asks for it, so a SQLite run never loads pg or mysql2 (nor their drivers' start-up cost).
 */

async function createDialect(url, options) {
    switch (url.dialect) {
        case 'sqlite': {
            const { createSqliteDialect } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 56096));
            return createSqliteDialect(url, options);
        }
        case 'postgresql': {
            const { createPostgresqlDialect } = await Promise.all(/* import() */[__webpack_require__.e(849), __webpack_require__.e(908)]).then(__webpack_require__.bind(__webpack_require__, 75908));
            const { postgresqlLockHolder } = await __webpack_require__.e(/* import() */ 826).then(__webpack_require__.bind(__webpack_require__, 94826));
            // Lock takeover (engine/lock.ts); MySQL and SQLite set theirs in their own modules.
            return { ...(await createPostgresqlDialect(url, options)), lockHolder: postgresqlLockHolder };
        }
        case 'mysql': {
            const { createMysqlDialect } = await Promise.all(/* import() */[__webpack_require__.e(588), __webpack_require__.e(299)]).then(__webpack_require__.bind(__webpack_require__, 98299));
            return createMysqlDialect(url, options);
        }
        case 'databricks': {
            const { createDatabricksDialect } = await __webpack_require__.e(/* import() */ 374).then(__webpack_require__.bind(__webpack_require__, 7374));
            return createDatabricksDialect(url, options);
        }
        case 'snowflake': {
            const { createSnowflakeDialect } = await __webpack_require__.e(/* import() */ 724).then(__webpack_require__.bind(__webpack_require__, 50724));
            return createSnowflakeDialect(url, options);
        }
        default: {
            const unknown = url.dialect;
            throw new errors/* JetbaseError */.N8('UNSUPPORTED_DATABASE', `Unsupported database: ${String(unknown)}.`);
        }
    }
}

;// CONCATENATED MODULE: ./src/run/target.ts
/**
 * From a jetbase directory and overrides to a database: the resolved configuration (overrides >
 * JETBASE_* > env.py > jetbase.toml > pyproject.toml; docs/format.md, "Configuration"), every
 * secret registered for redaction, and the dialect when a URL is configured. The action's main and
 * post steps and the CLI all open their target here, so the post step reconnects exactly as the
 * main step connected without a URL ever being saved.
 */




async function openTarget(request) {
    const { jetbaseDir } = request;
    const config = await resolveConfig({
        jetbaseDir,
        env: request.env,
        overrides: request.overrides,
        ...(request.envPyEnvironment === undefined ? {} : { envPyEnv: request.envPyEnvironment }),
        ...(request.forbidEnvPyExecution === undefined
            ? {}
            : { forbidEnvPyExecution: request.forbidEnvPyExecution }),
    });
    // resolveConfig registers what it resolved; the key and URL forms are registered here again so
    // that no shell depends on what the resolver happens to do.
    report_redact/* redactor */.$p.add(config.snowflakePrivateKey);
    report_redact/* redactor */.$p.add(config.snowflakePrivateKeyPassword);
    const url = config.sqlalchemyUrl === null ? undefined : parseDatabaseUrl(config.sqlalchemyUrl);
    if (url !== undefined)
        registerUrlSecrets(url);
    request.onSecrets?.(report_redact/* redactor */.$p.secrets);
    const dialect = url === undefined
        ? undefined
        : await createDialect(url, {
            baseDir: jetbaseDir,
            postgresSchema: config.postgresSchema,
            snowflakePrivateKey: config.snowflakePrivateKey,
            snowflakePrivateKeyPassword: config.snowflakePrivateKeyPassword,
        });
    return {
        jetbaseDir,
        config,
        dialect,
        skip: {
            skipValidation: config.skipValidation,
            skipChecksumValidation: config.skipChecksumValidation,
            skipFileValidation: config.skipFileValidation,
        },
    };
}
/** A URL's password and credential-like values, and the URL itself when it holds any, for redaction. */
function registerUrlSecrets(url) {
    const secrets = urlSecrets(url);
    for (const secret of secrets)
        report_redact/* redactor */.$p.add(secret);
    if (secrets.length > 0)
        report_redact/* redactor */.$p.add(url.raw);
}
/** Booleans only when true: a flag or input left at its default must not hide `true` set in env.py. */
function skipOverrides(skip) {
    return {
        ...(skip.skipValidation ? { skip_validation: true } : {}),
        ...(skip.skipChecksumValidation ? { skip_checksum_validation: true } : {}),
        ...(skip.skipFileValidation ? { skip_file_validation: true } : {}),
    };
}

// EXTERNAL MODULE: ./src/dialects/sqlite/index.ts
var sqlite = __webpack_require__(56096);
;// CONCATENATED MODULE: ./src/verify/verify.ts
/**
 * `verify`: replays the whole chain on a disposable, empty database — upgrade everything, roll
 * back every versioned migration newest first, upgrade everything again — with the engine's own
 * upgrade and rollback, so what is tested is exactly what a deploy runs. The first failure stops
 * it. The database must be empty: verify refuses, before writing anything, one with any table or
 * view, since it creates and drops whatever the migrations create and drop.
 *
 * All three passes share one connection: an in-memory SQLite database (`sqlite:///:memory:`)
 * lives only as long as its connection, and one session is also the cheapest on a server.
 */





/** The first table or view of the database, or undefined when it is empty. */
async function firstTableOrView(dialect, conn) {
    if (dialect.anyTableOrView === undefined) {
        throw new errors/* JetbaseError */.N8('UNSUPPORTED_DATABASE', `verify cannot check that a ${dialect.name} database is empty, so it does not run on one.`);
    }
    const [row] = await conn.query(dialect.anyTableOrView);
    if (row === undefined)
        return undefined;
    const name = Object.values(row)[0];
    return name === null || name === undefined ? undefined : String(name);
}
class NotEmptyError extends errors/* JetbaseError */.N8 {
    object;
    constructor(target, object) {
        super('NOT_DISPOSABLE', `The verify database ${target} is not empty: it has the table or view '${object}'. Nothing was written.`, {
            hint: 'verify creates and drops whatever the migrations do: give it an empty, throw-away database (a `services:` container in the workflow, or sqlite:///:memory:).',
        });
        this.name = 'NotEmptyError';
        this.object = object;
    }
}
/** The dialect with `connect` handing out the one connection; closing it is left to its owner. */
function pinned(dialect, conn) {
    const shared = {
        execute: (sql, params) => conn.execute(sql, params),
        query: (sql, params) => conn.query(sql, params),
        transaction: (fn) => conn.transaction(fn),
        ...(conn.runInTransaction === undefined ? {} : { runInTransaction: conn.runInTransaction.bind(conn) }),
        close: async () => undefined,
    };
    return { ...dialect, connect: async () => shared };
}
function passOf(outcome) {
    return { status: outcome.status === 'failed' ? 'failed' : 'ok', durationMs: outcome.durationMs };
}
/** Runs the passes in order and records each file's result; stops at the first failing pass. */
class Passes {
    files = new Map();
    ran = [];
    failure;
    record(pass, report) {
        this.ran.push(pass);
        for (const outcome of report.outcomes) {
            const entry = this.files.get(outcome.relativePath) ?? {
                file: {
                    filename: outcome.filename,
                    relativePath: outcome.relativePath,
                    type: outcome.type,
                    version: outcome.version,
                },
                passes: {},
            };
            entry.passes[pass] = passOf(outcome);
            this.files.set(outcome.relativePath, entry);
        }
        if (report.error !== undefined)
            this.failure = { pass, error: report.error };
        return report.error === undefined;
    }
}
async function verifyChain(ctx) {
    const started = external_node_perf_hooks_.performance.now();
    const discovery = discoverMigrations(ctx.jetbaseDir);
    assertValidNames(discovery);
    const withoutRollback = discovery.versioned
        .filter((file) => file.rollbackStatements.length === 0)
        .map((file) => file.relativePath);
    const { dialect } = ctx;
    return withConnection(ctx, { readOnly: false }, async (conn) => {
        const object = await firstTableOrView(dialect, conn);
        if (object !== undefined)
            throw new NotEmptyError(dialect.target, object);
        const shared = { ...ctx, dialect: pinned(dialect, conn) };
        const passes = new Passes();
        const versionedCount = discovery.versioned.length;
        // Fresh database and validated names: nothing for the history checks to skip.
        if (passes.record('upgrade', await upgrade(shared)) &&
            withoutRollback.length === 0 &&
            versionedCount > 0 &&
            passes.record('rollback', await rollback(shared, { count: versionedCount }))) {
            passes.record('upgrade-again', await upgrade(shared));
        }
        return {
            command: 'verify',
            target: dialect.target,
            ok: passes.failure === undefined,
            files: [...passes.files.values()].map(({ file, passes: results }) => ({ ...file, passes: results })),
            withoutRollback,
            passes: passes.ran,
            ...(passes.failure === undefined ? {} : { failure: passes.failure }),
            durationMs: external_node_perf_hooks_.performance.now() - started,
        };
    });
}

;// CONCATENATED MODULE: ./src/verify/run-verify.ts







/** The verify URL parsed, its secrets registered before anything can print it. */
function verifyUrlOf(raw) {
    const url = parseDatabaseUrl(raw.trim());
    registerUrlSecrets(url);
    return url;
}
const DEFAULT_PORTS = {
    postgresql: 5432,
    mysql: 3306,
    databricks: 443,
};
/** Do two URLs name the same database? Only a fresh in-memory SQLite database is never shared. */
function sameDatabase(a, b, baseDir) {
    if (a.raw.trim() === b.raw.trim())
        return true;
    if (a.dialect !== b.dialect)
        return false;
    if (a.dialect === 'sqlite') {
        const file = (0,sqlite/* sqliteFilePath */.q)(a, baseDir);
        return file !== ':memory:' && file === (0,sqlite/* sqliteFilePath */.q)(b, baseDir);
    }
    const port = (url) => url.port ?? DEFAULT_PORTS[url.dialect] ?? null;
    const place = (url) => [
        (url.host ?? '').toLowerCase(),
        port(url),
        url.database ?? '',
        url.query.catalog ?? '',
        url.query.schema ?? '',
    ].join('\u0000');
    return place(a) === place(b);
}
/** `target` is undefined when the configuration could not be read (env.py lacks a variable). */
async function runVerify(request, target, verifyUrl) {
    const config = target?.config;
    const jetbaseDir = target?.jetbaseDir ?? request.jetbaseDir;
    if (config !== undefined && config.sqlalchemyUrl !== null) {
        const targetUrl = parseDatabaseUrl(config.sqlalchemyUrl);
        if (sameDatabase(verifyUrl, targetUrl, jetbaseDir)) {
            throw new errors/* JetbaseError */.N8('NOT_DISPOSABLE', `The verify URL names the target database ${targetUrl.redacted}: verify writes and drops everything in the database it is given.`, { hint: 'Give verify a separate, empty, throw-away database.' });
        }
    }
    // The target's schema setting is not carried over: a fresh server has only its default schema.
    const dialect = await createDialect(verifyUrl, {
        baseDir: jetbaseDir,
        snowflakePrivateKey: config?.snowflakePrivateKey ?? null,
        snowflakePrivateKeyPassword: config?.snowflakePrivateKeyPassword ?? null,
    });
    const ctx = {
        jetbaseDir,
        dialect,
        processId: request.processId ?? (0,process_id/* newProcessId */.Pq)(),
        ...(request.signal === undefined ? {} : { signal: request.signal }),
        ...(request.connectRetryMs === undefined ? {} : { connectRetryMs: request.connectRetryMs }),
        ...(request.onProgress === undefined ? {} : { onEvent: request.onProgress }),
    };
    return verifyChain(ctx);
}

;// CONCATENATED MODULE: ./src/run/run.ts
/**
 * The pipeline both shells call (docs/architecture.md, "The run layer"): configuration → secrets
 * → target → engine command (or offline validation) → one typed result, with progress as events.
 * It never throws: a run that cannot happen comes back as a FailedRun with a redacted message.
 */









/** Commands that may take the lock (and so must release it on a signal). */
function takesLock(command) {
    switch (command.name) {
        case 'upgrade':
        case 'rollback':
            return !command.dryRun;
        case 'validate-checksums':
        case 'validate-files':
            return command.fix;
        case 'fix':
            return true;
        default:
            return false;
    }
}
/** The skip flags among the overrides, for a run whose configuration could not be resolved. */
function skipOf(overrides) {
    return {
        skipValidation: overrides.skip_validation === true,
        skipChecksumValidation: overrides.skip_checksum_validation === true,
        skipFileValidation: overrides.skip_file_validation === true,
    };
}
function failedRun(error) {
    const redact = (text) => report_redact/* redactor */.$p.redact(text);
    const cause = error instanceof Error ? error : new Error(String(error));
    if (error instanceof errors/* ValidationError */.yI)
        return {
            command: 'error',
            code: error.code,
            message: redact(error.message),
            problems: error.problems,
            error,
        };
    if (error instanceof errors/* JetbaseError */.N8) {
        return {
            command: 'error',
            code: error.code,
            message: redact(error.message),
            ...(error.hint === undefined ? {} : { hint: redact(error.hint) }),
            error,
        };
    }
    return { command: 'error', code: 'UNEXPECTED', message: redact((0,errors/* errorMessage */.gJ)(error)), error: cause };
}
function execute(ctx, command, skip, approvePlan) {
    switch (command.name) {
        case 'upgrade':
            return upgrade(ctx, {
                ...skip,
                ...(approvePlan === undefined ? {} : { approvePlan }),
                dryRun: command.dryRun,
                ...(command.count === undefined ? {} : { count: command.count }),
                ...(command.toVersion === undefined ? {} : { toVersion: command.toVersion }),
            });
        case 'rollback':
            return rollback(ctx, {
                dryRun: command.dryRun,
                ...(command.count === undefined ? {} : { count: command.count }),
                ...(command.toVersion === undefined ? {} : { toVersion: command.toVersion }),
            });
        case 'status':
        case 'validate':
            return inspect_status(ctx, skip);
        case 'history':
            return inspect_history(ctx);
        case 'current':
            return current(ctx);
        case 'lock-status':
            return lockStatus(ctx);
        case 'unlock':
            return unlock(ctx);
        case 'validate-checksums':
            return validateChecksums(ctx, { ...skip, fix: command.fix });
        case 'validate-files':
            return validateFiles(ctx, { fix: command.fix });
        case 'fix':
            return fixAll(ctx, skip);
        case 'lint':
            throw new Error('unreachable: lint runs through runLintCommand');
        case 'verify':
            throw new Error('unreachable: verify runs on its own database (runVerify)');
    }
}
/** Whether the lock is ours right now, from the engine's events. */
class LockWatch {
    acquired = false;
    released = false;
    observe(event) {
        if (event.type === 'lock-acquired')
            this.acquired = true;
        if (event.type === 'lock-released')
            this.released = true;
    }
    get holding() {
        return this.acquired && !this.released;
    }
}
/**
 * After a writing command whose connection died while holding the lock: release it on a new
 * connection (only if this process id still holds it). Returns whether it stays held.
 */
async function settleLock(ctx, processId, emit) {
    try {
        if (await releaseLockOf({ jetbaseDir: ctx.jetbaseDir, dialect: ctx.dialect }, processId))
            emit({ type: 'lock-released-on-new-connection' });
        return false;
    }
    catch (error) {
        emit({ type: 'lock-release-failed', error: report_redact/* redactor */.$p.redact((0,errors/* errorMessage */.gJ)(error)) });
        return true;
    }
}
function offlineReasonOf(target) {
    const skipped = target.config.envPyNotExecuted;
    if (skipped === null)
        return { kind: 'no-url' };
    return {
        kind: 'env-py-not-executed',
        detail: `${skipped.reason} (env.py needs Python to be read: ${skipped.construct})`,
    };
}
/** Files alone, when the shell allows it and the command only reads. */
async function validateOffline(request, jetbaseDir, skip, reason, started) {
    const { command, offline } = request;
    if (offline === undefined || (command.name !== 'status' && command.name !== 'validate'))
        return undefined;
    const base = await offline.baseFiles();
    return offlineValidation(discoverMigrations(jetbaseDir), base, skip, reason, started);
}
async function run(request) {
    const { command } = request;
    if (command.name === 'lint')
        return (await runLintCommand(request, runCommand, failedRun));
    return (await withLint(request, await runCommand(request)));
}
async function runCommand(request) {
    const started = external_node_perf_hooks_.performance.now();
    const emit = (event) => request.onProgress?.(event);
    const { command } = request;
    let target;
    let lockLeftHeld = false;
    try {
        // Before the target opens, so the one onSecrets call carries the verify URL's secrets too.
        const verifyUrl = command.name === 'verify' ? verifyUrlOf(command.url) : undefined;
        try {
            target = await openTarget(request);
        }
        catch (error) {
            // verify needs no target, only its own URL: the emptiness check still guards the database.
            if (verifyUrl !== undefined && error instanceof env_py_errors/* EnvPyMissingVariableError */.T) {
                emit({
                    type: 'notice',
                    message: `env.py reads ${error.variable}, which is not set here: the verify URL could not be compared with the target's.`,
                });
                return {
                    target: undefined,
                    outcome: (await runVerify(request, undefined, verifyUrl)),
                    lockLeftHeld: false,
                };
            }
            // A fork's env.py reading a secret the fork does not get: the files can still be checked.
            if (!(error instanceof env_py_errors/* EnvPyMissingVariableError */.T) || request.offline?.whenEnvPyLacksVariable !== true)
                throw error;
            const reason = {
                kind: 'env-py-missing-variable',
                detail: `env.py reads ${error.variable}, which is not set here`,
            };
            const report = await validateOffline(request, request.jetbaseDir, skipOf(request.overrides), reason, started);
            if (report === undefined)
                throw error;
            return { target: undefined, outcome: report, lockLeftHeld: false };
        }
        for (const notice of target.config.notices)
            emit({ type: 'notice', message: notice });
        request.onTarget?.(target);
        if (verifyUrl !== undefined)
            return {
                target,
                outcome: (await runVerify(request, target, verifyUrl)),
                lockLeftHeld: false,
            };
        const dialect = target.dialect;
        if (dialect === undefined) {
            const report = await validateOffline(request, target.jetbaseDir, target.skip, offlineReasonOf(target), started);
            if (report !== undefined)
                return { target, outcome: report, lockLeftHeld: false };
            requireUrl(target.config); // throws the message that lists every way to configure the URL
            throw new Error('unreachable: a URL is configured but no dialect was created');
        }
        const watch = new LockWatch();
        // Only a command that may lock needs a holder id (building one hashes the machine's identity).
        const processId = takesLock(command) ? (request.processId ?? (0,process_id/* newProcessId */.Pq)()) : request.processId;
        const ctx = {
            jetbaseDir: target.jetbaseDir,
            dialect,
            ...(request.signal === undefined ? {} : { signal: request.signal }),
            ...(request.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: request.lockTimeoutMs }),
            ...(request.connectRetryMs === undefined ? {} : { connectRetryMs: request.connectRetryMs }),
            ...(processId === undefined ? {} : { processId }),
            onEvent: (event) => {
                watch.observe(event);
                emit(event);
            },
        };
        let report;
        try {
            const approve = request.approvePlan;
            const opened = target;
            report = await execute(ctx, command, target.skip, approve === undefined ? undefined : (plan) => approve(plan, opened));
        }
        finally {
            if (watch.holding)
                lockLeftHeld =
                    request.releaseLockOnNewConnection && processId !== undefined
                        ? await settleLock(ctx, processId, emit)
                        : true;
        }
        return { target, outcome: report, lockLeftHeld };
    }
    catch (error) {
        return { target, outcome: failedRun(error), lockLeftHeld };
    }
}

;// CONCATENATED MODULE: ./src/report/duration.ts
/** The one duration format of every shell and report: `12 ms`, `1.3 s`, `2 min 5 s`. */
function formatDuration(ms) {
    if (ms < 1000)
        return `${Math.round(ms)} ms`;
    if (ms < 59_950)
        return `${(ms / 1000).toFixed(1)} s`;
    const seconds = Math.round(ms / 1000);
    return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

;// CONCATENATED MODULE: ./src/run/progress.ts

const START_MESSAGES = {
    upgrade: 'Starting migrations...',
    rollback: 'Starting rollback...',
};
function message(text, level = 'info', verbose = false) {
    return { kind: 'message', level, text, verbose };
}
/** Turns events into lines; it remembers whether the run waited, to say how long the wait was. */
function progressFormatter(command) {
    let waited = false;
    return (event) => {
        switch (event.type) {
            case 'notice':
                return [message(`Note: ${event.message}`)];
            case 'waiting-for-lock':
                waited = true;
                return [
                    message(`Waiting for the migration lock, held since ${event.lockedAt ?? 'an unknown time'} by process ${event.processId ?? 'unknown'}…`),
                ];
            case 'lock-taken-over':
                waited = true;
                return [
                    message(`Took over the migration lock from process ${event.previousProcessId ?? 'unknown'} (held since ${event.lockedAt ?? 'an unknown time'}): its session is gone, so its unfinished migration was rolled back where the database allows it.`, 'warning'),
                ];
            case 'connect-retry':
                return [
                    {
                        ...message(`Database not reachable yet (${event.error}); retrying in ${formatDuration(event.delayMs)} (attempt ${event.attempt}).`),
                        transient: true,
                    },
                ];
            case 'lock-acquired': {
                const lines = [
                    waited
                        ? message(`Lock acquired after ${formatDuration(event.waitedMs)}.`)
                        : message(`Acquired the migration lock (process ${event.processId}).`, 'info', true),
                ];
                const start = START_MESSAGES[command];
                if (start !== undefined)
                    lines.push(message(start));
                return lines;
            }
            case 'lock-released':
                return [message('Released the migration lock.', 'info', true)];
            case 'lock-released-on-new-connection':
                return [message('Released the migration lock on a new connection.')];
            case 'lock-release-failed':
                return [message(`Could not release the migration lock (${event.error}).`, 'warning')];
            case 'migration-started':
                return [
                    message(`${event.direction === 'upgrade' ? 'Applying' : 'Rolling back'} ${event.filename}…`, 'info', true),
                ];
            case 'migration-finished': {
                const o = event.outcome;
                const mark = o.status === 'failed' ? '✘' : o.direction === 'rollback' ? '↩' : '✔';
                const duration = formatDuration(o.durationMs);
                return [
                    {
                        kind: 'outcome',
                        status: o.status,
                        mark,
                        filename: o.filename,
                        duration,
                        text: `${mark} ${o.filename}  ${duration}`,
                    },
                ];
            }
        }
    };
}

;// CONCATENATED MODULE: ./src/run/plan-hash.ts
/**
 * The plan hash: one value that says what an upgrade would do to which database, so a deploy can
 * prove it runs what a reviewer saw. It covers the ordered plan (for each file that would run: its
 * type, version, path and the checksum of its upgrade statements) and the target's identity
 * (dialect, host, database, schema). Credentials never enter it: a rotated password is the same
 * target. `comparePlans` names what differs between a reviewed plan and the one about to run.
 */



/** Where the configuration points, without user name or password. */
function targetIdentity(config) {
    if (config.sqlalchemyUrl === null)
        return { dialect: 'none', host: null, database: null, schema: null };
    const url = parseDatabaseUrl(config.sqlalchemyUrl);
    const host = url.host === null ? null : url.port === null ? url.host : `${url.host}:${url.port}`;
    const schema = config.postgresSchema ?? url.query.schema ?? null;
    return { dialect: url.dialect, host: host?.toLowerCase() ?? null, database: url.database, schema };
}
function planEntries(plan) {
    return executionOrder(plan).map(({ file }) => ({
        type: file.type,
        version: file.version,
        file: file.relativePath,
        checksum: file.checksum,
    }));
}
function planFingerprint(plan, target) {
    const entries = planEntries(plan);
    // Canonical JSON with a fixed key order: the same plan always hashes the same, on every runner.
    const canonical = JSON.stringify({
        target: [target.dialect, target.host, target.database, target.schema],
        plan: entries.map((e) => [e.type, e.version, e.file, e.checksum]),
    });
    const hash = (0,external_node_crypto_.createHash)('sha256').update(canonical).digest('hex');
    return { hash, entries, target, latestVersion: plan.latest?.version ?? null };
}
function describeTarget(target) {
    const where = [target.host, target.database, target.schema].filter((part) => part !== null).join(' / ');
    return where === '' ? target.dialect : `${target.dialect} ${where}`;
}
function sameTarget(a, b) {
    return a.dialect === b.dialect && a.host === b.host && a.database === b.database && a.schema === b.schema;
}
/** Undefined when both are the same plan for the same database. */
function comparePlans(reviewed, actual, history) {
    if (reviewed.hash === actual.hash)
        return undefined;
    const before = new Map(reviewed.entries.map((e) => [e.file, e]));
    const now = new Map(actual.entries.map((e) => [e.file, e]));
    const applied = new Set(history.map((row) => row.filename));
    const baseName = (file) => file.slice(file.lastIndexOf('/') + 1);
    const gone = reviewed.entries.filter((e) => !now.has(e.file)).map((e) => e.file);
    const common = actual.entries.filter((e) => before.has(e.file)).map((e) => e.file);
    const reviewedCommon = reviewed.entries.filter((e) => now.has(e.file)).map((e) => e.file);
    return {
        added: actual.entries.filter((e) => !before.has(e.file)).map((e) => e.file),
        removed: gone.filter((file) => !applied.has(baseName(file))),
        alreadyApplied: gone.filter((file) => applied.has(baseName(file))),
        changed: actual.entries
            .filter((e) => before.has(e.file) && before.get(e.file).checksum !== e.checksum)
            .map((e) => e.file),
        reordered: common.join('\n') !== reviewedCommon.join('\n'),
        target: sameTarget(reviewed.target, actual.target)
            ? undefined
            : `reviewed against ${describeTarget(reviewed.target)}, deploying to ${describeTarget(actual.target)}`,
        latestVersion: reviewed.latestVersion === actual.latestVersion
            ? undefined
            : { reviewed: reviewed.latestVersion, now: actual.latestVersion },
    };
}
/** One sentence per kind of difference, for the error, the warning and the summary. */
function differenceLines(difference) {
    const list = (files) => files.join(', ');
    const lines = [];
    if (difference.target !== undefined)
        lines.push(`Another database: ${difference.target}.`);
    if (difference.added.length > 0)
        lines.push(`Added since the review: ${list(difference.added)}.`);
    if (difference.removed.length > 0)
        lines.push(`Removed since the review: ${list(difference.removed)}.`);
    if (difference.changed.length > 0)
        lines.push(`Changed since the review: ${list(difference.changed)}.`);
    if (difference.alreadyApplied.length > 0 || difference.latestVersion !== undefined) {
        const moved = difference.latestVersion === undefined
            ? ''
            : ` (latest applied version ${difference.latestVersion.reviewed ?? 'none'} then, ${difference.latestVersion.now ?? 'none'} now)`;
        const files = difference.alreadyApplied.length > 0 ? `; already applied: ${list(difference.alreadyApplied)}` : '';
        lines.push(`The database moved on since the review${moved}${files}.`);
    }
    if (difference.reordered)
        lines.push('The files run in another order than reviewed.');
    if (lines.length === 0)
        lines.push('The plan differs from the reviewed one.');
    return lines;
}

;// CONCATENATED MODULE: ./src/run/index.ts
/** The run layer: the one pipeline the CLI and the action call. */







;// CONCATENATED MODULE: ./src/report/run-report.ts
const DRIFT_KINDS = new Set([
    'checksum-mismatch',
    'missing-file',
    'missing-repeatable',
]);
function problemsOf(outcome) {
    switch (outcome.command) {
        case 'status':
        case 'offline-validate':
            return outcome.problems;
        case 'upgrade':
            return outcome.plan.problems;
        case 'error':
            return outcome.problems ?? [];
        case 'rollback':
            return [];
    }
}
/** Applied files changed or missing (errors only: a skipped check reports nothing). */
function hasDrift(outcome) {
    return problemsOf(outcome).some((p) => p.severity === 'error' && DRIFT_KINDS.has(p.kind));
}
function resultOf(outcome) {
    if (outcome.command === 'error') {
        if (outcome.code === 'LOCK_HELD')
            return 'locked';
        if (outcome.code === 'VALIDATION' || outcome.code === 'DUPLICATE_VERSION')
            return hasDrift(outcome) ? 'drift' : 'invalid';
        if (outcome.code === 'CANCELLED')
            return 'cancelled';
        return 'failure';
    }
    if (hasDrift(outcome))
        return 'drift';
    if (problemsOf(outcome).some((p) => p.severity === 'error'))
        return 'invalid';
    if (outcome.command === 'upgrade' || outcome.command === 'rollback') {
        if (outcome.error?.code === 'CANCELLED')
            return 'cancelled';
        if (outcome.error?.code === 'VALIDATION' || outcome.error?.code === 'DUPLICATE_VERSION')
            return 'invalid';
        if (!outcome.ok)
            return 'failure';
    }
    return 'success';
}

;// CONCATENATED MODULE: ./src/report/escape.ts
/** Markdown escaping for text that comes from files or the database: nothing in it may become markup. */
/** Text for a markdown paragraph or list item: HTML and markdown syntax are shown literally. */
function escapeText(text) {
    return text
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/([\\`*_[\]|~#!])/g, '\\$1')
        .replace(/\r?\n/g, ' ');
}
function longestRun(text, char) {
    let longest = 0;
    let current = 0;
    for (const c of text) {
        current = c === char ? current + 1 : 0;
        longest = Math.max(longest, current);
    }
    return longest;
}
/** An inline code span that holds any text (backticks included); `|` escaped for table cells. */
function codeSpan(text) {
    const flat = text.replace(/\r?\n/g, ' ');
    const ticks = '`'.repeat(longestRun(flat, '`') + 1);
    const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
    return `${ticks}${pad}${flat.replace(/\|/g, '\\|')}${pad}${ticks}`;
}
/** A fenced block that no backtick run inside `body` can close early. */
function fencedBlock(body, language = '') {
    const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
    return `${fence}${language}\n${body.replace(/\n+$/, '')}\n${fence}`;
}
/** For <summary> and other HTML contexts. */
function escapeHtml(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

;// CONCATENATED MODULE: ./src/report/risks.ts


/** Findings that count as risks (errors and warnings; "not analyzed" notes do not). */
function riskCountOf(lint) {
    return lint?.report.findings.filter((f) => f.severity !== 'info').length ?? 0;
}
function lintFailsCheck(lint) {
    return lint?.enforced === true && lint.report.findings.some((f) => f.severity === 'error');
}
/** The verdict when lint fails the check (error-level findings under `lint: error`). */
function lintVerdict(lint) {
    if (!lintFailsCheck(lint))
        return undefined;
    const errors = lint.report.findings.filter((f) => f.severity === 'error').length;
    return `Lint: ${errors} error-level finding${errors === 1 ? '' : 's'} in the pending migrations (see the Risks section; allow a rule with '-- jetbase-lint: allow <rule>' when it is intended).`;
}
/** The run's result, where a `validate` that lint failed is `invalid` (so the verdict, outputs and exit agree). */
function resultWithLint(report) {
    const result = resultOf(report.outcome);
    return result === 'success' && report.context.command === 'validate' && lintFailsCheck(report.lint)
        ? 'invalid'
        : result;
}
const STATEMENT_MAX = 1_000;
const ICONS = { error: '❌', warning: '⚠️', info: 'ℹ️' };
function risksSection(lint, options) {
    if (lint === undefined)
        return [];
    const { findings, allowed } = lint.report;
    if (findings.length === 0 && allowed.length === 0)
        return [];
    const errors = findings.filter((f) => f.severity === 'error').length;
    const lines = ['#### Risks', ''];
    if (errors > 0)
        lines.push(lint.enforced
            ? `**${errors} error-level finding${errors === 1 ? '' : 's'} fail${errors === 1 ? 's' : ''} the check.** Fix the SQL, or allow a rule with \`-- jetbase-lint: allow <rule>\` above the statement.`
            : `${errors} error-level finding${errors === 1 ? '' : 's'} (lint: warn, the check does not fail on them).`, '');
    const shown = findings.slice(0, options.listLimit);
    for (const finding of shown) {
        lines.push(`- ${ICONS[finding.severity]} ${codeSpan(finding.rule)} ${options.link(finding.file, finding.line)}: ${escapeText(finding.message)}`);
        if (options.sql) {
            const statement = finding.statement.length > STATEMENT_MAX
                ? `${finding.statement.slice(0, STATEMENT_MAX)}…`
                : finding.statement;
            lines.push('', ...fencedBlock(statement, 'sql')
                .split('\n')
                .map((line) => `  ${line}`), '');
        }
        if (finding.severity !== 'info') {
            lines.push(`  Why: ${escapeText(finding.why)}`);
            lines.push(`  Safer: ${escapeText(finding.safer)}`);
        }
    }
    if (findings.length > shown.length)
        lines.push(`- … and ${findings.length - shown.length} more findings (see the job summary)`);
    if (allowed.length > 0) {
        const where = allowed
            .slice(0, options.listLimit)
            .map((a) => `${codeSpan(a.rule)} at ${options.link(a.file, a.line)}${a.scope === 'file' ? ' (whole file)' : ''}`);
        lines.push('', `Allowed: ${where.join(', ')}${allowed.length > options.listLimit ? ', …' : ''}.`);
    }
    lines.push('');
    return lines;
}

;// CONCATENATED MODULE: ./src/report/verdict.ts
/**
 * The one-line verdict a reviewer reads first, as parts: plain words and names (a file, a
 * command). Plain text and Markdown are two renderings of the same parts, so no shell un-escapes
 * Markdown to get text.
 */





function plural(n, word, many = `${word}s`) {
    return `${n} ${n === 1 ? word : many}`;
}
function countErrors(problems) {
    const errors = problems.filter((p) => p.severity === 'error').length;
    return { errors, warnings: problems.length - errors };
}
function firstLine(text) {
    return text.split('\n')[0] ?? '';
}
function verdictOf(report) {
    const outcome = report.outcome;
    const result = resultOf(outcome);
    const { errors } = countErrors(problemsOf(outcome));
    switch (outcome.command) {
        case 'error':
            if (result === 'invalid')
                return [`Validation failed with ${plural(errors, 'problem')}; nothing was run.`];
            if (result === 'locked')
                return ['The migration lock stayed held by another run; nothing was applied.'];
            if (result === 'cancelled')
                return ['Cancelled; the lock was released.'];
            return [`The run failed: ${firstLine(outcome.message)}`];
        case 'status':
        case 'offline-validate': {
            const offline = outcome.command === 'offline-validate' ? 'Offline validation' : 'Validation';
            if (result === 'drift')
                return [`Drift: applied migrations changed or are missing (${plural(errors, 'problem')}).`];
            if (!outcome.ok)
                return [`${offline} failed with ${plural(errors, 'problem')}.`];
            const lintFailure = report.context.command === 'validate' ? lintVerdict(report.lint) : undefined;
            if (lintFailure !== undefined)
                return [lintFailure];
            if (outcome.command === 'offline-validate') {
                return [
                    `Offline validation passed: ${plural(outcome.checkedFiles, 'migration file')} checked without a database.`,
                ];
            }
            const n = executionOrder(outcome.plan).length;
            return [
                n === 0
                    ? 'Validation passed: the database is up to date.'
                    : `Validation passed: ${plural(n, 'migration')} would run.`,
            ];
        }
        case 'upgrade': {
            if (result === 'drift')
                return [
                    `Drift: applied migrations changed or are missing (${plural(errors, 'problem')}); nothing was applied.`,
                ];
            if (result === 'invalid')
                return [`Validation failed with ${plural(errors, 'problem')}; nothing was applied.`];
            const applied = outcome.outcomes.filter((o) => o.status === 'applied').length;
            if (result === 'cancelled')
                return [`Cancelled after ${plural(applied, 'migration')}; the lock was released.`];
            const failed = outcome.outcomes.find((o) => o.status === 'failed');
            if (failed)
                return [
                    'Migration ',
                    { name: failed.filename },
                    ` failed; ${plural(applied, 'migration')} applied before it.`,
                ];
            if (!outcome.ok)
                return [`The upgrade failed: ${firstLine(outcome.error?.message ?? 'unknown error')}`];
            if (outcome.dryRun) {
                const n = outcome.preview.length;
                return [
                    n === 0 ? 'Dry run: the database is up to date.' : `Dry run: ${plural(n, 'migration')} would run.`,
                ];
            }
            if (outcome.upToDate)
                return ['Up to date: nothing to apply.'];
            return [`Applied ${plural(applied, 'migration')} in ${formatDuration(outcome.durationMs)}.`];
        }
        case 'rollback': {
            const done = outcome.outcomes.filter((o) => o.status === 'rolled-back').length;
            if (result === 'cancelled')
                return [`Cancelled after rolling back ${plural(done, 'migration')}; the lock was released.`];
            if (!outcome.ok)
                return [`The rollback failed: ${firstLine(outcome.error?.message ?? 'unknown error')}`];
            if (outcome.dryRun)
                return [`Dry run: ${plural(outcome.targets.length, 'migration')} would be rolled back.`];
            return [
                done === 0
                    ? 'Nothing to roll back.'
                    : `Rolled back ${plural(done, 'migration')} in ${formatDuration(outcome.durationMs)}.`,
            ];
        }
    }
}
function verdictText(verdict) {
    return verdict.map((part) => (typeof part === 'string' ? part : part.name)).join('');
}
function verdictMarkdown(verdict) {
    return verdict.map((part) => (typeof part === 'string' ? escapeText(part) : codeSpan(part.name))).join('');
}

;// CONCATENATED MODULE: ./src/action/secrets.ts
/**
 * Masking. Every secret goes to two maskers: the process-wide Redactor (which scrubs
 * what this action writes to comments, summaries, outputs and errors) and the runner's `add-mask`
 * (which scrubs the log), each with every derived form the Redactor knows: URL-encoded, base64,
 * JSON-escaped, each PEM line.
 */



const maskedForRunner = new Set();
function addMaskForms(secret) {
    for (const form of (0,report_redact/* secretForms */.eo)(secret)) {
        if (maskedForRunner.has(form))
            continue;
        maskedForRunner.add(form);
        core/* setSecret */.Pq(form);
    }
}
/** Masks one secret value and its derived forms; '' is ignored. */
function maskSecret(secret) {
    if (secret === null || secret === undefined || secret === '')
        return;
    report_redact/* redactor */.$p.add(secret);
    addMaskForms(secret);
}
/** Masks for the runner the secrets registered with the Redactor elsewhere (the run layer adds URL passwords). */
function maskRegisteredSecrets(secrets = report_redact/* redactor */.$p.secrets) {
    for (const secret of secrets)
        addMaskForms(secret);
}
/** The text with every known secret form masked: the last step before anything leaves the process. */
function redact(text) {
    return report_redact/* redactor */.$p.redact(text);
}
/** A database URL's password and credential-like query values, and the URL itself when it holds any. */
function maskDatabaseUrl(raw) {
    if (raw.trim() === '')
        return;
    let secrets;
    try {
        secrets = urlSecrets(parseDatabaseUrl(raw.trim()));
    }
    catch {
        // Unparsable: it may still hold a password, so the whole value is the secret.
        maskSecret(raw);
        return;
    }
    for (const secret of secrets)
        maskSecret(secret);
    if (secrets.length > 0) {
        maskSecret(raw);
        maskSecret(raw.trim());
    }
}

;// CONCATENATED MODULE: ./src/action/annotations.ts
/**
 * Problems as annotations on the offending file and line (the PR's "Files changed" tab shows them).
 * GitHub keeps at most 10 errors, 10 warnings and 10 notices per step and drops the rest silently;
 * `setFailed` writes one error of its own. So each level gets its budget, the most important
 * first, and what does not fit is counted where the reader sees it.
 */


const MAX_ANNOTATIONS_PER_LEVEL = 10;
/** Which problems a reader must see first: what broke, then drift, then what blocks a merge. */
const KIND_RANKS = {
    'checksum-mismatch': 1,
    'missing-file': 1,
    'missing-repeatable': 1,
    'duplicate-version': 2,
    'out-of-order': 2,
    'invalid-filename': 3,
    'filename-too-long': 3,
    'unreadable-file': 3,
    'unterminated-statement': 4,
    'trailing-comment': 4,
};
/** A failed migration outranks every validation problem. */
const MIGRATION_FAILURE_RANK = 0;
function problemAnnotations(problems, repoDirectory) {
    const prefix = repoDirectory === '.' ? '' : `${repoDirectory}/`;
    return problems.map((p) => ({
        level: p.severity,
        title: `Jetbase: ${p.kind.replace(/-/g, ' ')}`,
        message: p.fix === undefined ? p.message : `${p.message} Fix: ${p.fix}`,
        rank: KIND_RANKS[p.kind],
        // A file-level problem (a checksum) points at line 1, where the diff view can show it.
        ...(p.file === undefined ? {} : { file: `${prefix}${p.file}`, line: p.line ?? 1 }),
    }));
}
/**
 * Within GitHub's caps: `reservedErrors` slots stay free for the step's own failure message. A
 * level that overflows gives its last slot to a line counting the rest, except errors when the
 * step fails: the failure message carries that count instead.
 */
function planAnnotations(annotations, options) {
    const shown = [];
    const hidden = { error: 0, warning: 0 };
    for (const level of ['error', 'warning']) {
        // Stable: equal ranks keep the engine's order (files in version order).
        const all = annotations.filter((a) => a.level === level).sort((a, b) => a.rank - b.rank);
        const budget = MAX_ANNOTATIONS_PER_LEVEL - (level === 'error' ? options.reservedErrors : 0);
        const countsInline = level === 'warning' || options.reservedErrors === 0;
        const room = all.length > budget && countsInline ? budget - 1 : budget;
        shown.push(...all.slice(0, Math.max(0, room)));
        hidden[level] = Math.max(0, all.length - room);
    }
    return { shown, hidden };
}
function moreLine(n, level) {
    return `…and ${n} more ${level}${n === 1 ? '' : 's'}: see the job summary.`;
}
/** Writes the plan; returns how many errors were left for the failure message to count. */
function annotate(annotations, options) {
    const plan = planAnnotations(annotations, { reservedErrors: options.willFail ? 1 : 0 });
    for (const a of plan.shown) {
        const write = a.level === 'error' ? core/* error */.z3 : core/* warning */.$e;
        write(redact(a.message), {
            title: a.title,
            ...(a.file === undefined ? {} : { file: a.file }),
            ...(a.line === undefined ? {} : { startLine: a.line }),
        });
    }
    if (plan.hidden.warning > 0)
        core/* warning */.$e(moreLine(plan.hidden.warning, 'warning'), { title: 'Jetbase' });
    if (plan.hidden.error > 0 && !options.willFail)
        core/* error */.z3(moreLine(plan.hidden.error, 'error'), { title: 'Jetbase' });
    return options.willFail ? plan.hidden.error : 0;
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(31421);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(57975);
// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 21 modules
var github = __webpack_require__(11758);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-retry/dist-bundle/index.js
var dist_bundle = __webpack_require__(49735);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-throttling/dist-bundle/index.js
var plugin_throttling_dist_bundle = __webpack_require__(86856);
;// CONCATENATED MODULE: ./src/action/github-client.ts
/**
 * The REST client for comments and the base-branch listing: @actions/github's Octokit (proxy
 * aware, GITHUB_API_URL) with retries for 5xx and throttling that honours Retry-After on rate
 * limits, secondary ones included (GitHub answers those with 403 + Retry-After), within bounds so a
 * PR comment never holds a deployment job for minutes.
 */





/** Retry a rate-limited request at most this often… */
const MAX_RATE_LIMIT_RETRIES = 2;
/** …and only when GitHub asks to wait no longer than this (seconds). */
const MAX_RETRY_AFTER_SECONDS = 60;
function onLimit(kind) {
    return (retryAfter, options, _octokit, retryCount) => {
        const request = `${options.method ?? 'GET'} ${options.url ?? ''}`;
        if (retryCount < MAX_RATE_LIMIT_RETRIES && retryAfter <= MAX_RETRY_AFTER_SECONDS) {
            core/* info */.pq(`GitHub ${kind} rate limit on ${request}: retrying in ${retryAfter} s.`);
            return true;
        }
        core/* warning */.$e(`GitHub ${kind} rate limit on ${request}: giving up (asked to wait ${retryAfter} s).`);
        return false;
    };
}
function createGitHubClient(token, env = process.env) {
    return (0,github/* getOctokit */.Q)(token, {
        // @actions/github reads GITHUB_API_URL once, when it loads; the run's environment decides here.
        baseUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/$/, ''),
        throttle: { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') },
        retry: { retries: 2 },
        log: {
            debug: () => undefined,
            info: () => undefined,
            warn: (message) => core/* debug */.Yz(redact(`octokit: ${message}`)),
            error: (message) => core/* debug */.Yz(redact(`octokit: ${message}`)),
        },
    }, dist_bundle/* retry */.L, plugin_throttling_dist_bundle/* throttling */.A);
}
/** The HTTP status of an Octokit RequestError, if it is one. */
function httpStatus(error) {
    const status = error?.status;
    return typeof status === 'number' ? status : undefined;
}

;// CONCATENATED MODULE: ./src/action/base-branch.ts
/**
 * The base branch's migration file names for offline validation: from git when the checkout has
 * the base commit, else from the GitHub contents API.
 */



const base_branch_run = (0,external_node_util_.promisify)(external_node_child_process_.execFile);
/** The API fallback lists at most this many directories (migrations/ and its sub-directories). */
const MAX_API_DIRECTORIES = 25;
/** Paths of `.sql` files under `<repoDirectory>/migrations/` at `baseSha`, relative to the jetbase directory. */
async function baseBranchFiles(args) {
    const { baseSha, baseRef } = args;
    if (!baseSha)
        return { ok: false, reason: 'the event names no base commit' };
    const ref = baseRef || baseSha.slice(0, 12);
    try {
        // In the jetbase directory, paths are given and shown relative to it; fails when the base commit was not fetched.
        const { stdout } = await base_branch_run('git', ['ls-tree', '-r', '--name-only', '-z', baseSha, '--', 'migrations/'], {
            cwd: args.jetbaseDir,
            timeout: 15_000,
            maxBuffer: 32 * 1024 * 1024,
        });
        return { ok: true, ref, source: 'git', paths: stdout.split('\0').filter((p) => p.endsWith('.sql')) };
    }
    catch {
        // Shallow checkout (fetch-depth 1): ask the API instead.
    }
    if (args.client === undefined)
        return {
            ok: false,
            reason: 'the base commit is not in the checkout and there is no token to ask the GitHub API',
        };
    const client = args.client;
    const prefix = args.repoDirectory === '.' ? '' : `${args.repoDirectory}/`;
    const paths = [];
    const queue = [`${prefix}migrations`];
    let listed = 0;
    try {
        while (queue.length > 0) {
            if (listed >= MAX_API_DIRECTORIES) {
                return {
                    ok: false,
                    reason: `migrations/ on the base branch has more than ${MAX_API_DIRECTORIES} directories; fetch the base commit (actions/checkout fetch-depth: 0) to check the order`,
                };
            }
            const dir = queue.shift();
            listed++;
            let entries;
            try {
                ({ data: entries } = await client.rest.repos.getContent({
                    owner: args.owner,
                    repo: args.repo,
                    path: dir,
                    ref: baseSha,
                }));
            }
            catch (error) {
                // No migrations directory on the base branch yet: every file is new.
                if (httpStatus(error) === 404 && listed === 1)
                    return { ok: true, ref, source: 'api', paths: [] };
                throw error;
            }
            if (!Array.isArray(entries))
                continue;
            for (const entry of entries) {
                if (entry.type === 'dir' && entry.path)
                    queue.push(entry.path);
                else if (entry.type === 'file' && entry.path?.endsWith('.sql'))
                    paths.push(entry.path.slice(prefix.length));
            }
        }
    }
    catch (error) {
        return {
            ok: false,
            reason: `the GitHub API did not list the base branch's files (${httpStatus(error) ?? (error instanceof Error ? error.message : String(error))})`,
        };
    }
    return { ok: true, ref, source: 'api', paths };
}

;// CONCATENATED MODULE: ./src/action/cancellation.ts
/**
 * SIGINT/SIGTERM (what the runner sends when a run is cancelled: SIGINT, then SIGTERM about 7.5 s
 * later, then a kill) abort the engine, which stops at its next safe point, rolls the current
 * migration back where the database allows it and releases the lock. Later signals only log: the
 * engine is already stopping, and exiting now would leave the lock to the post step.
 */

class Cancellation {
    controller = new AbortController();
    onSignal = (name) => {
        if (this.controller.signal.aborted) {
            core/* info */.pq(`Received ${name} again: still stopping at the next safe point.`);
            return;
        }
        core/* info */.pq(`Received ${name}: stopping at the next safe point and releasing the migration lock…`);
        this.controller.abort();
    };
    onSigint = () => this.onSignal('SIGINT');
    onSigterm = () => this.onSignal('SIGTERM');
    get signal() {
        return this.controller.signal;
    }
    install() {
        process.on('SIGINT', this.onSigint);
        process.on('SIGTERM', this.onSigterm);
    }
    dispose() {
        process.off('SIGINT', this.onSigint);
        process.off('SIGTERM', this.onSigterm);
    }
}

;// CONCATENATED MODULE: ./src/action/child-env.ts
/**
 * The environment repository code (env.py, evaluated by Python) runs in: the workflow's own
 * variables, without what belongs to this action or to the runner. The runner hands an action its
 * inputs as INPUT_* (the database URL, the GitHub token, the Snowflake key), its saved state as
 * STATE_*, its tokens as ACTIONS_*, GITHUB_TOKEN and RUNNER_*TOKEN*, and the files through which a
 * step speaks to the runner (GITHUB_ENV, GITHUB_OUTPUT...); none of that is env.py's to read or
 * write. Variables the workflow maps in its `env:` (DATABASE_URL, ENVIRONMENT...) stay, since
 * env.py is written to read them, and so do the runner's descriptive ones (RUNNER_OS, GITHUB_SHA).
 */
/** Files through which the current step talks to the runner: writing them would speak for this action. */
const RUNNER_FILE_COMMANDS = new Set([
    'GITHUB_ENV',
    'GITHUB_OUTPUT',
    'GITHUB_PATH',
    'GITHUB_STATE',
    'GITHUB_STEP_SUMMARY',
]);
/** Whether a variable belongs to the action or the runner rather than to the workflow (names compared in upper case: Windows ignores case). */
function isActionOrRunnerVariable(name) {
    const upper = name.toUpperCase();
    return (upper.startsWith('INPUT_') ||
        upper.startsWith('ACTIONS_') ||
        upper.startsWith('STATE_') ||
        upper === 'GITHUB_TOKEN' ||
        (upper.startsWith('RUNNER_') && upper.includes('TOKEN')) ||
        RUNNER_FILE_COMMANDS.has(upper));
}
/** `env` without the action's and the runner's variables (see isActionOrRunnerVariable); a new object. */
function envForRepositoryCode(env) {
    const result = {};
    for (const [name, value] of Object.entries(env)) {
        if (value !== undefined && !isActionOrRunnerVariable(name))
            result[name] = value;
    }
    return result;
}

;// CONCATENATED MODULE: ./src/action/event.ts
/**
 * What triggered the run, from GITHUB_EVENT_NAME and the payload at GITHUB_EVENT_PATH, and the
 * command `auto` means for it: read-only validation for changes under review, upgrade for what
 * reached the default branch. Also whether the checked-out code may be a fork's while the run has
 * this repository's secrets, in which case repository code (env.py) must not be executed.
 */

function object(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
}
function string(value) {
    return typeof value === 'string' && value !== '' ? value : undefined;
}
/** Pure: the event as this action needs it. */
function describeEvent(source) {
    const payload = object(source.payload) ?? {};
    const [owner = '', repo = ''] = source.repository.split('/');
    const repository = object(payload.repository);
    const defaultBranch = string(repository?.default_branch);
    const branch = source.ref.startsWith('refs/heads/') ? source.ref.slice('refs/heads/'.length) : undefined;
    let pullRequest;
    const pr = object(payload.pull_request);
    if (pr && (source.eventName === 'pull_request' || source.eventName === 'pull_request_target')) {
        const head = object(pr.head);
        const base = object(pr.base);
        const headRepo = string(object(head?.repo)?.full_name);
        const baseRepo = string(object(base?.repo)?.full_name) ?? source.repository;
        pullRequest = {
            number: typeof pr.number === 'number' ? pr.number : Number(payload.number),
            headSha: string(head?.sha) ?? source.sha,
            baseSha: string(base?.sha) ?? '',
            baseRef: string(base?.ref) ?? '',
            // A deleted fork has head.repo null: still a fork.
            fromFork: headRepo === undefined || headRepo.toLowerCase() !== baseRepo.toLowerCase(),
        };
    }
    const mergeGroup = object(payload.merge_group);
    const baseSha = pullRequest?.baseSha || string(mergeGroup?.base_sha) || undefined;
    return {
        name: source.eventName,
        owner,
        repo,
        sha: source.sha,
        ref: source.ref,
        defaultBranch,
        onDefaultBranch: branch !== undefined && branch === defaultBranch,
        pullRequest,
        baseSha,
        linkSha: pullRequest?.headSha ?? string(mergeGroup?.head_sha) ?? source.sha,
        untrustedCode: untrustedCodeOf(source, payload, pullRequest),
    };
}
const PASS_THE_URL = 'Pass the database URL through the database-url input instead; env.py is then only read for its literal assignments.';
function untrustedCodeOf(source, payload, pullRequest) {
    const repository = source.repository || string(object(payload.repository)?.full_name) || '';
    if (source.eventName === 'pull_request_target' && pullRequest?.fromFork) {
        const head = string(object(object(object(payload.pull_request)?.head)?.repo)?.full_name);
        return {
            reason: `pull_request_target runs with this repository's secrets, and pull request #${pullRequest.number} comes ` +
                `from a fork (${head ?? 'a deleted repository'}): its env.py is not executed. ${PASS_THE_URL}`,
        };
    }
    if (source.eventName === 'workflow_run') {
        const run = object(payload.workflow_run);
        const head = string(object(run?.head_repository)?.full_name);
        if (head === undefined || head.toLowerCase() !== repository.toLowerCase()) {
            return {
                reason: `workflow_run runs with this repository's secrets, and the run that triggered it comes from ` +
                    `${head === undefined ? 'an unknown repository' : `another repository (${head})`}: its env.py is not executed. ${PASS_THE_URL}`,
            };
        }
    }
    if (source.eventName === 'issue_comment') {
        const issue = object(payload.issue);
        if (object(issue?.pull_request) !== undefined) {
            const number = typeof issue?.number === 'number' ? ` #${issue.number}` : '';
            return {
                reason: `issue_comment runs with this repository's secrets, and its payload does not say whether pull request${number} ` +
                    `comes from a fork: its env.py is not executed. ${PASS_THE_URL}`,
            };
        }
    }
    return undefined;
}
/** GITHUB_* variables and the payload file, as the runner sets them. */
function readEvent(env = process.env) {
    const eventPath = env.GITHUB_EVENT_PATH;
    let payload = {};
    if (eventPath) {
        try {
            payload = JSON.parse((0,external_node_fs_.readFileSync)(eventPath, 'utf8'));
        }
        catch {
            payload = {};
        }
    }
    return describeEvent({
        eventName: env.GITHUB_EVENT_NAME ?? '',
        payload,
        repository: env.GITHUB_REPOSITORY ?? '',
        sha: env.GITHUB_SHA ?? '',
        ref: env.GITHUB_REF ?? '',
    });
}
/**
 * `auto`: pull_request / merge_group → validate (read-only: a change under review never writes); push or
 * workflow_dispatch on the default branch → upgrade; anything else → validate. An explicit
 * command always wins.
 */
function resolveCommand(input, event) {
    if (input !== 'auto')
        return input;
    if (event.name === 'pull_request' || event.name === 'pull_request_target' || event.name === 'merge_group')
        return 'validate';
    if ((event.name === 'push' || event.name === 'workflow_dispatch') && event.onDefaultBranch)
        return 'upgrade';
    return 'validate';
}

;// CONCATENATED MODULE: ./src/action/inputs.ts
/**
 * The action's inputs, read once through @actions/core and checked, so the rest of the code works
 * with typed values. Secrets are masked here, before anything else can print them.
 */




function inputs_text(name) {
    const value = core/* getInput */.V4(name);
    if (value !== '')
        return value;
    // The runner always passes action.yml's defaults; without the runner (tests, a manual run) use them here.
    const fallback = InputDefaults[name];
    return fallback.startsWith('${{') ? '' : fallback;
}
/** YAML 1.2 core-schema booleans, like core.getBooleanInput, but '' means the default. */
function flag(name) {
    const value = inputs_text(name);
    if (['true', 'True', 'TRUE'].includes(value))
        return true;
    if (['false', 'False', 'FALSE'].includes(value))
        return false;
    throw new errors/* UsageError */.eb(`Input '${name}' must be true or false, got '${value}'.`);
}
function positiveInteger(name) {
    const value = inputs_text(name);
    if (value === '')
        return undefined;
    if (!/^\d+$/.test(value) || Number(value) < 1) {
        throw new errors/* UsageError */.eb(`Input '${name}' must be a positive integer, got '${value}'.`);
    }
    return Number(value);
}
function seconds(name) {
    const value = inputs_text(name);
    const parsed = Number(value);
    if (value === '' || !Number.isFinite(parsed) || parsed < 0) {
        throw new errors/* UsageError */.eb(`Input '${name}' must be a number of seconds (0 or more), got '${value}'.`);
    }
    return parsed;
}
function command() {
    const value = inputs_text(Inputs.Command).toLowerCase();
    if (!COMMANDS.includes(value)) {
        throw new errors/* UsageError */.eb(`Input 'command' must be one of ${COMMANDS.join(', ')}, got '${value}'.`);
    }
    return value;
}
function lintMode() {
    const value = inputs_text(Inputs.Lint).toLowerCase();
    const mode = LINT_MODES.find((m) => m === value);
    if (mode === undefined)
        throw new errors/* UsageError */.eb(`Input 'lint' must be one of ${LINT_MODES.join(', ')}, got '${value}'.`);
    return mode;
}
/** Masks the secret inputs first (even before validating the others), then reads and checks every input. */
function readInputs() {
    // Raw values, untrimmed too: a key pasted with a trailing newline is still masked as given.
    for (const name of [Inputs.GithubToken, Inputs.SnowflakePrivateKey, Inputs.SnowflakePrivateKeyPassword]) {
        const raw = core/* getInput */.V4(name, { trimWhitespace: false });
        maskSecret(raw);
        maskSecret(raw.trim());
    }
    maskDatabaseUrl(core/* getInput */.V4(Inputs.DatabaseUrl, { trimWhitespace: false }));
    maskDatabaseUrl(core/* getInput */.V4(Inputs.VerifyDatabaseUrl, { trimWhitespace: false }));
    return {
        databaseUrl: inputs_text(Inputs.DatabaseUrl),
        directory: inputs_text(Inputs.Directory),
        command: command(),
        dryRun: flag(Inputs.DryRun),
        count: positiveInteger(Inputs.Count),
        toVersion: inputs_text(Inputs.ToVersion) || undefined,
        skipValidation: flag(Inputs.SkipValidation),
        skipChecksumValidation: flag(Inputs.SkipChecksumValidation),
        skipFileValidation: flag(Inputs.SkipFileValidation),
        postgresSchema: inputs_text(Inputs.PostgresSchema),
        snowflakePrivateKey: inputs_text(Inputs.SnowflakePrivateKey),
        snowflakePrivateKeyPassword: inputs_text(Inputs.SnowflakePrivateKeyPassword),
        asyncMode: flag(Inputs.AsyncMode),
        lockTimeoutSeconds: seconds(Inputs.LockTimeout),
        connectTimeoutSeconds: seconds(Inputs.ConnectTimeout),
        comment: flag(Inputs.Comment),
        summary: flag(Inputs.Summary),
        githubToken: inputs_text(Inputs.GithubToken),
        environment: inputs_text(Inputs.Environment),
        lint: lintMode(),
        requireReviewedPlan: flag(Inputs.RequireReviewedPlan),
        verifyDatabaseUrl: inputs_text(Inputs.VerifyDatabaseUrl),
    };
}

;// CONCATENATED MODULE: ./src/verify/types.ts
const VERIFY_PASSES = ['upgrade', 'rollback', 'upgrade-again'];

;// CONCATENATED MODULE: ./src/report/verify-section.ts
/**
 * How a verify run reads, once for every shell: one line per file (✓ up ✓ down ✓ up with their
 * times), the files whose rollback was not tested, and the failure with its SQL. Pure: the PR
 * comment's section "Tested on a fresh database" and the CLI's lines are both built from here.
 */




const VERIFY_HEADING = 'Tested on a fresh database';
const PASS_WORDS = {
    upgrade: 'up',
    rollback: 'down',
    'upgrade-again': 'up',
};
/** `✓ up 12 ms`, `✗ down 3 ms`, or `– down` for a pass that did not run this file. */
function passCell(pass, result) {
    if (result === undefined)
        return `– ${PASS_WORDS[pass]}`;
    return `${result.status === 'ok' ? '✓' : '✗'} ${PASS_WORDS[pass]} ${formatDuration(result.durationMs)}`;
}
/** The cells of the passes that ran, in order. */
function passCells(report, file) {
    return VERIFY_PASSES.filter((pass) => report.passes.includes(pass)).map((pass) => passCell(pass, file.passes[pass]));
}
const FAILED_PASS = {
    upgrade: 'the first upgrade',
    rollback: 'the rollback of every versioned migration',
    'upgrade-again': 'the second upgrade (after the rollbacks)',
};
/** One sentence: what verify found. */
function verifySummary(outcome) {
    if (outcome.command === 'error')
        return `Verify did not run: ${outcome.message}`;
    if (outcome.failure !== undefined)
        return `Verify failed in ${FAILED_PASS[outcome.failure.pass]}.`;
    if (!outcome.passes.includes('rollback')) {
        return outcome.withoutRollback.length > 0
            ? `Upgrade passed; rollback not tested: ${outcome.withoutRollback.length} versioned file${outcome.withoutRollback.length === 1 ? ' has' : 's have'} no rollback section.`
            : 'Upgrade passed (no versioned migrations to roll back).';
    }
    return `Up, down and up again passed (${outcome.files.length} file${outcome.files.length === 1 ? '' : 's'}, ${formatDuration(outcome.durationMs)}).`;
}
function verifyPassed(outcome) {
    return outcome.command === 'verify' && outcome.ok;
}
/** A run that passed is a failure when its verify did not pass (the check fails on it). */
function resultWithVerify(result, verify) {
    return result === 'success' && verify !== undefined && !verifyPassed(verify) ? 'failure' : result;
}
/** The markdown section for the PR comment and the job summary. */
function verifySection(outcome, options) {
    const icon = verifyPassed(outcome)
        ? outcome.command === 'verify' && outcome.withoutRollback.length > 0
            ? '⚠️'
            : '✅'
        : '❌';
    const lines = [`#### ${VERIFY_HEADING}`, '', `${icon} ${escapeText(verifySummary(outcome))}`, ''];
    if (outcome.command === 'error') {
        if (outcome.hint)
            lines.push(escapeText(outcome.hint), '');
        return lines;
    }
    const shown = outcome.files.slice(0, options.listLimit);
    for (const file of shown)
        lines.push(`- ${passCells(outcome, file).join(' · ')} — ${options.link(file.relativePath)}`);
    if (outcome.files.length > shown.length)
        lines.push(`- … ${outcome.files.length - shown.length} more files`);
    if (shown.length > 0)
        lines.push('');
    if (outcome.withoutRollback.length > 0) {
        lines.push(`**Rollback not tested**: no rollback section in ${outcome.withoutRollback
            .slice(0, options.listLimit)
            .map((path) => options.link(path))
            .join(', ')}${outcome.withoutRollback.length > options.listLimit ? ', …' : ''}.`, '');
    }
    const failure = outcome.failure;
    if (failure !== undefined) {
        const { error } = failure;
        if (error instanceof errors/* MigrationError */.Py) {
            lines.push(`**Failed**: ${options.link(error.file, error.line)}${error.section === 'rollback' ? ' (rollback section)' : ''}, statement ${error.statementIndex + 1}: ${escapeText(error.driverMessage)}`, '');
            if (options.sql)
                lines.push(fencedBlock(error.statement, 'sql'), '');
        }
        else {
            lines.push(`**Failed**: ${codeSpan(error.code)}`, '', fencedBlock(error.message, 'text'), '');
        }
    }
    return lines;
}
/** The CLI's lines: one per file, then the rollback warning and the summary. */
function verifyTextLines(report) {
    return {
        files: report.files.map((file) => `${passCells(report, file).join('  ')}  ${file.relativePath}`),
        ...(report.withoutRollback.length > 0
            ? { warning: `Rollback not tested: no rollback section in ${report.withoutRollback.join(', ')}.` }
            : {}),
        summary: verifySummary(report),
    };
}

;// CONCATENATED MODULE: ./src/action/outputs.ts
/** Step outputs from a run report; every value passes through redaction before it leaves. */







function outputValues(report) {
    const { outcome } = report;
    const currentVersion = outcome.command === 'upgrade' || outcome.command === 'rollback' || outcome.command === 'status'
        ? outcome.currentVersion
        : undefined;
    let appliedCount = 0;
    let pendingCount;
    switch (outcome.command) {
        case 'status':
            pendingCount = executionOrder(outcome.plan).length;
            break;
        case 'upgrade': {
            appliedCount = outcome.outcomes.filter((o) => o.status === 'applied').length;
            const ran = new Set(outcome.outcomes.filter((o) => o.status === 'applied').map((o) => o.relativePath));
            pendingCount = outcome.dryRun
                ? outcome.preview.length
                : executionOrder(outcome.plan).filter((p) => !ran.has(p.file.relativePath)).length;
            break;
        }
        case 'rollback':
            appliedCount = outcome.outcomes.filter((o) => o.status === 'rolled-back').length;
            break;
        default:
            break;
    }
    return {
        result: resultWithLint(report),
        appliedCount,
        pendingCount,
        currentVersion,
        drift: hasDrift(outcome),
    };
}
/** The `report` output: small, stable, no file contents, redacted. */
function reportJson(report, values) {
    const { context, outcome } = report;
    const pending = outcome.command === 'status' || outcome.command === 'offline-validate' || outcome.command === 'upgrade'
        ? executionOrder(outcome.plan).map((p) => ({
            file: p.file.relativePath,
            type: p.file.type,
            version: p.file.version,
            statements: p.file.upgradeStatements.length,
            reason: p.reason,
        }))
        : [];
    const ran = outcome.command === 'upgrade' || outcome.command === 'rollback'
        ? outcome.outcomes.map((o) => ({
            file: o.relativePath,
            type: o.type,
            version: o.version,
            direction: o.direction,
            status: o.status,
            statements: o.statements.length,
            durationMs: Math.round(o.durationMs),
        }))
        : [];
    const error = outcome.command === 'error'
        ? { code: outcome.code, message: outcome.message }
        : (outcome.command === 'upgrade' || outcome.command === 'rollback') && outcome.error
            ? { code: outcome.error.code, message: outcome.error.message }
            : undefined;
    const document = {
        command: context.command,
        offline: outcome.command === 'offline-validate',
        result: values.result,
        directory: context.directory,
        environment: context.environment,
        target: outcome.command === 'error' || outcome.command === 'offline-validate' ? null : outcome.target,
        dryRun: outcome.command === 'upgrade' || outcome.command === 'rollback' ? outcome.dryRun : false,
        durationMs: outcome.command === 'error' ? null : Math.round(outcome.durationMs),
        appliedCount: values.appliedCount,
        pendingCount: values.pendingCount ?? null,
        currentVersion: values.currentVersion ?? null,
        drift: values.drift,
        pending,
        ran,
        problems: problemsOf(outcome),
        ...(error === undefined ? {} : { error }),
    };
    return redact(JSON.stringify(document));
}
function setOutputs(report, values = outputValues(report)) {
    core/* setOutput */.uH(Outputs.Result, values.result);
    core/* setOutput */.uH(Outputs.AppliedCount, String(values.appliedCount));
    core/* setOutput */.uH(Outputs.PendingCount, values.pendingCount === undefined ? '' : String(values.pendingCount));
    core/* setOutput */.uH(Outputs.CurrentVersion, redact(values.currentVersion ?? ''));
    core/* setOutput */.uH(Outputs.Drift, String(values.drift));
    core/* setOutput */.uH(Outputs.Report, reportJson(report, values));
    core/* setOutput */.uH(Outputs.RiskCount, String(riskCountOf(report.lint)));
    core/* setOutput */.uH(Outputs.PlanHash, report.context.planHash ?? '');
    core/* setOutput */.uH(Outputs.Verified, report.verify === undefined ? '' : String(verifyPassed(report.verify)));
}

;// CONCATENATED MODULE: ./src/report/applied-sql.ts
/**
 * The SQL that ran, per applied (or failed) file, for the upgrade summary, fitted into a budget of
 * characters: when the summary would exceed GitHub's limit, the largest blocks are shortened first
 * (every block keeps at least as much as the budget allows the largest), each saying so.
 */

function terminatorOf(report, relativePath) {
    if (report.command !== 'upgrade')
        return ';';
    const pending = executionOrder(report.plan).find((p) => p.file.relativePath === relativePath);
    return pending?.file.parsed.delimiter ?? ';';
}
function textLength(statements, terminator) {
    return statements.reduce((sum, sql) => sum + sql.length + terminator.length + 2, 0);
}
/** Total characters of SQL the outcomes would show unshortened, each block at most `blockMax`. */
function ranSqlLength(report, blockMax = Infinity) {
    return report.outcomes.reduce((sum, o) => sum + Math.min(blockMax, textLength(o.statements, terminatorOf(report, o.relativePath))), 0);
}
/** The largest size every block may keep so that all of them fit in `budget` (water-filling). */
function capFor(lengths, budget) {
    const sorted = [...lengths].sort((a, b) => a - b);
    let remaining = budget;
    for (let i = 0; i < sorted.length; i++) {
        const share = Math.floor(remaining / (sorted.length - i));
        if (sorted[i] > share)
            return share;
        remaining -= sorted[i];
    }
    return Infinity;
}
function shorten(statements, terminator, cap) {
    const kept = [];
    let used = 0;
    for (const sql of statements) {
        const room = cap - used;
        if (sql.length + terminator.length + 2 <= room) {
            kept.push(sql);
            used += sql.length + terminator.length + 2;
            continue;
        }
        if (room > 0)
            kept.push(sql.slice(0, room));
        break;
    }
    const omitted = textLength(statements, terminator) - used;
    const note = `\n-- … shortened to fit the summary: ${omitted} more characters, see the file`;
    if (kept.length === 0)
        return [note.trimStart()];
    kept[kept.length - 1] = `${kept[kept.length - 1]}${note}`;
    return kept;
}
function ranSql(report, budget = Infinity) {
    const entries = report.outcomes
        .filter((o) => o.statements.length > 0)
        .map((o) => ({ outcome: o, terminator: terminatorOf(report, o.relativePath) }));
    const cap = capFor(entries.map((e) => textLength(e.outcome.statements, e.terminator)), budget);
    return entries.map(({ outcome, terminator }) => {
        const shortened = textLength(outcome.statements, terminator) > cap;
        return {
            relativePath: outcome.relativePath,
            statements: shortened ? shorten(outcome.statements, terminator, cap) : outcome.statements,
            terminator,
            total: outcome.statements.length,
            shortened,
        };
    });
}

;// CONCATENATED MODULE: ./src/report/plan-check.ts



function planHashLines(context) {
    if (context.planHash === undefined)
        return [];
    return [`<sub>Plan hash ${codeSpan(context.planHash)}</sub>`, ''];
}
function quoted(kind, first, items = []) {
    return [`> [!${kind}]`, `> ${first}`, ...items.map((item) => `> - ${escapeText(item)}`), ''];
}
function planCheckLines(context) {
    const check = context.planCheck;
    if (check === undefined)
        return [];
    switch (check.kind) {
        case 'matched':
            return [`✅ This deploy runs the plan reviewed in \\#${check.pullRequest}.`, ''];
        case 'differs': {
            const first = `The plan differs from the one reviewed in \\#${check.pullRequest} (reviewed ${codeSpan(check.reviewedHash.slice(0, 12))}, now ${codeSpan(check.planHash.slice(0, 12))})${check.refused ? '; nothing was applied.' : '; it ran anyway (require-reviewed-plan is false).'}`;
            return quoted(check.refused ? 'CAUTION' : 'WARNING', first, check.differences);
        }
        case 'no-review':
            return quoted(check.refused ? 'CAUTION' : 'NOTE', `${escapeText(check.reason)}${check.refused ? ' Nothing was applied (require-reviewed-plan is true).' : ''}`);
    }
}
/** Where the receipt starts in the comment; everything after it is replaced by the next deploy. */
const DEPLOYED_MARKER = '<!-- jetbase-action:deployed -->';
/** How a successful receipt's headline starts (a re-run after it is no surprise). */
const DEPLOYED_SUCCESS = '**✅ Deployed';
const RESULT_WORDS = {
    applied: '✅ applied',
    'rolled-back': '↩️ rolled back',
    failed: '❌ failed',
};
function headline(deployment) {
    const { outcome } = deployment;
    if (outcome.command !== 'upgrade')
        return '❌ The deploy did not run';
    if (outcome.error?.code === 'PLAN_NOT_REVIEWED')
        return '❌ The deploy was refused: not the reviewed plan';
    if (!outcome.ok)
        return '❌ The deploy failed';
    if (outcome.upToDate)
        return '✅ Deployed: nothing to apply, the database was up to date';
    return `✅ Deployed ${plural(outcome.outcomes.length, 'migration')}`;
}
function outcomeRows(report) {
    if (report.outcomes.length === 0)
        return [];
    return [
        '| # | File | Result | Time |',
        '| ---: | --- | --- | ---: |',
        ...report.outcomes.map((o, i) => `| ${i + 1} | ${codeSpan(o.relativePath)} | ${RESULT_WORDS[o.status]} | ${formatDuration(o.durationMs)} |`),
        '',
    ];
}
/** The receipt, at most `maxLength` characters (its table is cut first). */
function deployedSection(deployment, maxLength = 20_000) {
    const { outcome } = deployment;
    const when = deployment.at
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z')
        .replace(/Z$/, ' UTC');
    const run = deployment.runUrl === undefined ? '' : ` · [run](${deployment.runUrl})`;
    const where = deployment.environment === '' ? '' : ` to ${escapeText(deployment.environment)}`;
    const lines = [
        DEPLOYED_MARKER,
        '#### Deployed',
        '',
        `**${headline(deployment)}**${where} · ${when}${run}`,
        '',
    ];
    const table = outcome.command === 'upgrade' ? outcomeRows(outcome) : [];
    const error = outcome.command === 'error'
        ? outcome.message
        : outcome.command === 'upgrade' && outcome.error !== undefined
            ? outcome.error.message
            : undefined;
    const tail = error === undefined ? [] : [fencedBlock(error.slice(0, 4_000), 'text'), ''];
    const full = [...lines, ...table, ...tail].join('\n');
    if (full.length <= maxLength)
        return full.trimEnd();
    return [...lines, ...tail, `${plural(table.length - 3, 'file')}: see the run.`]
        .join('\n')
        .slice(0, maxLength);
}

;// CONCATENATED MODULE: ./src/report/drift.ts
/**
 * Drift explained, in the PR comment: for each applied file whose checksum no longer matches, the
 * diff of its upgrade section against the base branch, who made the change (this pull request, or
 * the base branch already differed from what was applied), and what to do; for a missing file,
 * whether this pull request deleted it. Pure rendering of what src/action/drift.ts found.
 */

const DIFF_MAX = 15_000;
function whoLine(item) {
    if (item.kind === 'missing') {
        if (item.origin === 'this-pr')
            return 'This pull request deleted it; the base branch still has it.';
        if (item.origin === 'base')
            return 'It is already missing on the base branch; this pull request did not delete it.';
        return `Whether this pull request deleted it is not known${item.note ? ` (${item.note})` : ''}.`;
    }
    switch (item.origin) {
        case 'this-pr':
            return 'This pull request changed it: the base branch still has the version that was applied.';
        case 'base':
            return 'The base branch already differs from what was applied; this pull request did not change it.';
        case 'both':
            return 'The base branch already differs from what was applied, and this pull request changed it further.';
        case 'unknown':
            return `Who changed it is not known${item.note ? ` (${item.note})` : ''}.`;
    }
}
function adviceLine(item) {
    if (item.kind === 'missing')
        return 'Restore the file: an applied migration must stay. Undo its effect with a new migration instead.';
    if (item.whitespaceOnly && item.origin !== 'base')
        return 'Only whitespace or comments changed: this may be accepted with `jetbase fix-checksums`.';
    return 'Restore the file to what was applied and put the change in a new migration; `fix-checksums` would bless an edit the database never ran.';
}
function driftLines(context) {
    const items = context.drift ?? [];
    if (items.length === 0)
        return [];
    const lines = ['#### Drift explained', ''];
    for (const item of items) {
        const name = item.file === undefined ? `version ${item.version}` : codeSpan(item.file);
        const what = item.kind === 'missing'
            ? 'is missing'
            : item.whitespaceOnly
                ? 'changed (whitespace or comments only)'
                : 'changed';
        lines.push(`- ${name} ${what}. ${whoLine(item)}`, `  ${adviceLine(item)}`);
        if (item.diff !== undefined) {
            const diff = item.diff.length > DIFF_MAX ? `${item.diff.slice(0, DIFF_MAX)}\n… (diff shortened)` : item.diff;
            const label = item.file === undefined ? `version ${item.version}` : item.file;
            lines.push('', `  <details><summary>Diff of the upgrade section of <code>${escapeHtml(label)}</code>, base branch → this pull request</summary>`, '', ...fencedBlock(diff, 'diff')
                .split('\n')
                .map((line) => `  ${line}`), '', '  </details>');
        }
        lines.push('');
    }
    return lines;
}

;// CONCATENATED MODULE: ./src/report/markdown.ts










/** GitHub's limit for an issue comment body. */
const COMMENT_MAX_LENGTH = 65_536;
/** The job summary limit is 1 MiB per step; characters ≤ bytes, so stay under in bytes with margin. */
const SUMMARY_MAX_LENGTH = 1_000_000;
/** One SQL block never shows more than this; a 2 MB seed file is linked, not pasted. */
const SQL_BLOCK_MAX = 20_000;
const LEVELS = [
    { sql: true, listLimit: Infinity },
    { sql: false, listLimit: Infinity },
    { sql: false, listLimit: 100 },
    { sql: false, listLimit: 20 },
];
function renderMarkdown(report, options = {}) {
    const max = options.maxLength ?? Infinity;
    const full = render(report, LEVELS[0], false);
    if (full.length <= max)
        return full;
    const { outcome } = report;
    if ((outcome.command === 'upgrade' || outcome.command === 'rollback') && outcome.outcomes.length > 0) {
        // The SQL that ran is worth keeping: shorten its largest blocks before dropping it.
        const sqlBudget = ranSqlLength(outcome, SQL_BLOCK_MAX) - (full.length - max) - 2_000;
        const text = sqlBudget > 0 ? render(report, { ...LEVELS[0], sqlBudget }, false) : undefined;
        if (text !== undefined && text.length <= max)
            return text;
    }
    for (const detail of LEVELS.slice(1)) {
        const text = render(report, detail, true);
        if (text.length <= max)
            return text;
    }
    // Still too long (thousands of problems with long messages): cut at a line, keep the note.
    const note = overflowNote(report.context);
    const body = render(report, LEVELS[LEVELS.length - 1], false);
    const room = Math.max(0, max - note.length - 2);
    const cut = body.lastIndexOf('\n', room);
    return `${body.slice(0, cut > 0 ? cut : room)}\n\n${note}`.slice(0, max);
}
function fileUrl(context, relativePath, line) {
    if (context.blobBase === undefined)
        return undefined;
    const repoPath = context.directory === '.' || context.directory === ''
        ? relativePath
        : `${context.directory}/${relativePath}`;
    const encoded = repoPath.split('/').map(encodeURIComponent).join('/');
    return `${context.blobBase}${encoded}${line === undefined ? '' : `#L${line}`}`;
}
function fileLink(context, relativePath, line) {
    const label = codeSpan(line === undefined ? relativePath : `${relativePath}:${line}`);
    const url = fileUrl(context, relativePath, line);
    return url === undefined ? label : `[${label}](${url})`;
}
const KIND_TITLES = {
    'invalid-filename': 'Invalid file name',
    'unreadable-file': 'Unreadable file',
    'filename-too-long': 'File name too long',
    'duplicate-version': 'Duplicate version',
    'checksum-mismatch': 'Checksum mismatch (drift)',
    'missing-file': 'Missing file',
    'missing-repeatable': 'Missing repeatable file',
    'out-of-order': 'Out of order',
    'unterminated-statement': 'Unterminated statement',
    'trailing-comment': 'Trailing comment',
};
const TYPE_NAMES = {
    VERSIONED: 'versioned',
    RUNS_ALWAYS: 'runs always',
    RUNS_ON_CHANGE: 'runs on change',
};
const markdown_ICONS = {
    success: '✅',
    drift: '❌',
    invalid: '❌',
    failure: '❌',
    locked: '⏳',
    cancelled: '⚠️',
};
function titleOf(context, result) {
    const parts = [`${markdown_ICONS[result]} Jetbase`, codeSpan(context.directory || '.')];
    if (context.environment !== '')
        parts.push(escapeText(context.environment));
    return `### ${parts.join(' · ')}`;
}
function contextLine(report) {
    const { context, outcome } = report;
    const parts = [`${codeSpan(context.command)} on ${escapeText(context.trigger)}`];
    if (outcome.command === 'offline-validate')
        parts.push('no database');
    else if (outcome.command !== 'error')
        parts.push(codeSpan(outcome.target));
    if (outcome.command === 'status') {
        const latest = outcome.plan.latest?.version;
        parts.push(outcome.tableExists
            ? `${plural(outcome.applied.length, 'history row')}, latest version ${latest ?? 'none'}`
            : 'no history table yet');
    }
    if (outcome.command !== 'error')
        parts.push(formatDuration(outcome.durationMs));
    return `<sub>${parts.join(' · ')}</sub>`;
}
// ---------------------------------------------------------------------------------------------
// Sections
function limited(items, detail) {
    if (items.length <= detail.listLimit)
        return { shown: items, hidden: 0 };
    return { shown: items.slice(0, detail.listLimit), hidden: items.length - detail.listLimit };
}
function reasonOf(pending) {
    switch (pending.reason) {
        case 'pending':
            return 'pending';
        case 'always':
            return 'runs every upgrade';
        case 'new':
            return 'new';
        case 'changed':
            return 'changed since applied';
    }
}
function versionLabel(file) {
    return file.version === null ? TYPE_NAMES[file.type] : `${TYPE_NAMES[file.type]} ${file.version}`;
}
function planSection(context, plan, detail, heading) {
    const order = executionOrder(plan);
    if (order.length === 0 && plan.skippedOutOfOrder.length === 0)
        return [];
    const lines = [
        `#### ${heading}`,
        '',
        '| # | File | Type | Statements | Why |',
        '| ---: | --- | --- | ---: | --- |',
    ];
    const { shown, hidden } = limited(order, detail);
    shown.forEach((p, i) => {
        const file = p.file;
        lines.push(`| ${i + 1} | ${fileLink(context, file.relativePath)} | ${versionLabel(file)} | ${file.upgradeStatements.length} | ${reasonOf(p)} |`);
    });
    if (hidden > 0)
        lines.push(`| | … ${plural(hidden, 'more file')} | | | |`);
    for (const file of plan.skippedOutOfOrder) {
        lines.push(`| – | ${fileLink(context, file.relativePath)} | ${versionLabel(file)} | ${file.upgradeStatements.length} | skipped: out of order |`);
    }
    lines.push('');
    if (detail.sql)
        lines.push(...sqlBlocks(shown.map((p) => p.file)));
    return lines;
}
/** A collapsible block with a file's statements, each with the file's own terminator. */
function sqlBlock(relativePath, statements, terminator, total = statements.length) {
    let text = statements.map((sql) => `${sql}${terminator}`).join('\n\n');
    if (text.length > SQL_BLOCK_MAX) {
        text = `${text.slice(0, SQL_BLOCK_MAX)}\n-- … ${text.length - SQL_BLOCK_MAX} more characters: see the file`;
    }
    return [
        `<details><summary>SQL of <code>${escapeHtml(relativePath)}</code> (${plural(total, 'statement')})</summary>`,
        '',
        fencedBlock(text, 'sql'),
        '',
        '</details>',
        '',
    ];
}
function sqlBlocks(files) {
    return files.flatMap((file) => {
        const parsed = parseSqlFile(file.text, 'preview');
        return sqlBlock(file.relativePath, parsed.upgrade.statements.map((s) => s.sql), parsed.delimiter);
    });
}
function previewSection(context, report, detail) {
    if (report.preview.length === 0)
        return [];
    const heading = report.command === 'upgrade' ? 'Would run' : 'Would roll back';
    const lines = [`#### ${heading}`, '', '| # | File | Type | Statements |', '| ---: | --- | --- | ---: |'];
    const { shown, hidden } = limited(report.preview, detail);
    shown.forEach((entry, i) => {
        lines.push(`| ${i + 1} | ${fileLink(context, entry.relativePath)} | ${versionLabel(entry)} | ${entry.statements.length} |`);
    });
    if (hidden > 0)
        lines.push(`| | … ${plural(hidden, 'more file')} | | |`);
    lines.push('');
    if (detail.sql) {
        for (const entry of shown)
            lines.push(...sqlBlock(entry.relativePath, entry.statements, entry.delimiter));
    }
    return lines;
}
const STATUS_WORDS = {
    applied: '✅ applied',
    'rolled-back': '↩️ rolled back',
    failed: '❌ failed',
};
function outcomesSection(context, report, detail) {
    const notRun = report.command === 'upgrade' && !report.ok && report.outcomes.length > 0
        ? executionOrder(report.plan).filter((p) => !report.outcomes.some((o) => o.relativePath === p.file.relativePath))
        : [];
    if (report.outcomes.length === 0)
        return [];
    const heading = report.command === 'upgrade' ? 'Applied' : 'Rolled back';
    const lines = [
        `#### ${heading}`,
        '',
        '| # | File | Type | Result | Statements | Time |',
        '| ---: | --- | --- | --- | ---: | ---: |',
    ];
    const { shown, hidden } = limited(report.outcomes, detail);
    shown.forEach((o, i) => {
        lines.push(`| ${i + 1} | ${fileLink(context, o.relativePath)} | ${versionLabel(o)} | ${STATUS_WORDS[o.status]} | ${o.statements.length} | ${formatDuration(o.durationMs)} |`);
    });
    if (hidden > 0)
        lines.push(`| | … ${plural(hidden, 'more file')} | | | | |`);
    for (const p of notRun.slice(0, detail.listLimit)) {
        lines.push(`| – | ${fileLink(context, p.file.relativePath)} | ${versionLabel(p.file)} | not run | ${p.file.upgradeStatements.length} | |`);
    }
    const total = report.outcomes.reduce((sum, o) => sum + o.durationMs, 0);
    lines.push('', `Migrations took ${formatDuration(total)}${report.lockWaitMs ? `; waited ${formatDuration(report.lockWaitMs)} for the lock` : ''}.`, '');
    if (detail.sql) {
        const ran = ranSql(report, detail.sqlBudget);
        if (ran.some((r) => r.shortened))
            lines.push("The largest SQL blocks were shortened to fit GitHub's size limit; the files have it all.", '');
        for (const r of ran)
            lines.push(...sqlBlock(r.relativePath, r.statements, r.terminator, r.total));
    }
    return lines;
}
function fixCommand(context, fix) {
    if (context.directory === 'jetbase' || !fix.startsWith('jetbase '))
        return fix;
    return `jetbase --dir ${context.directory} ${fix.slice('jetbase '.length)}`;
}
function problemsSection(context, problems, detail) {
    if (problems.length === 0)
        return [];
    const { errors, warnings } = countErrors(problems);
    const counts = [errors > 0 ? plural(errors, 'error') : '', warnings > 0 ? plural(warnings, 'warning') : '']
        .filter(Boolean)
        .join(', ');
    const lines = [`#### Problems: ${counts}`, ''];
    // Errors first, each group in the engine's order (files in version order).
    const sorted = [
        ...problems.filter((p) => p.severity === 'error'),
        ...problems.filter((p) => p.severity === 'warning'),
    ];
    const { shown, hidden } = limited(sorted, detail);
    for (const problem of shown) {
        const icon = problem.severity === 'error' ? '❌' : '⚠️';
        const where = problem.file !== undefined
            ? ` in ${fileLink(context, problem.file, problem.line)}`
            : problem.version !== undefined
                ? ` (version ${escapeText(problem.version)})`
                : '';
        lines.push(`- ${icon} **${KIND_TITLES[problem.kind]}**${where}: ${escapeText(problem.message)}`);
        if (problem.fix !== undefined)
            lines.push(`  Fix: ${codeSpan(fixCommand(context, problem.fix))}`);
    }
    if (hidden > 0)
        lines.push(`- … and ${plural(hidden, 'more problem')} (see the job summary or the step log)`);
    lines.push('');
    return lines;
}
function errorSection(message, hint) {
    const lines = ['#### Error', '', fencedBlock(message, 'text'), ''];
    if (hint)
        lines.push(escapeText(hint), '');
    return lines;
}
function offlineSection(report) {
    const lines = ['#### Checked without a database', ''];
    lines.push('- File names, duplicate versions and SQL parsing (unterminated statements).');
    if (report.baseBranch.checked) {
        lines.push(`- Order against the ${plural(report.baseBranch.files, 'migration file')} on ${codeSpan(report.baseBranch.ref)}.`);
    }
    else {
        lines.push(`- Order against the base branch: **not checked** (${escapeText(report.baseBranch.reason)}).`);
    }
    lines.push('', '**Not checked** (needs the database):');
    for (const item of report.notChecked)
        lines.push(`- ${escapeText(item)}`);
    lines.push('');
    return lines;
}
function overflowNote(context) {
    const where = context.runUrl === undefined ? 'the job summary' : `the [job summary](${context.runUrl})`;
    return `> [!NOTE]\n> This report was shortened to fit. The full report, SQL included, is in ${where}.`;
}
function render(report, detail, shortened) {
    const { context, outcome } = report;
    const result = resultWithLint(report);
    const lines = [
        titleOf(context, resultWithVerify(result, report.verify)),
        '',
        `**${verdictMarkdown(verdictOf(report))}**`,
        '',
        contextLine(report),
        '',
        ...planHashLines(context),
        ...planCheckLines(context),
    ];
    // What the SQL would do comes before the plan: it is what a reviewer must read first.
    lines.push(...risksSection(report.lint, {
        link: (file, line) => fileLink(context, file, line),
        listLimit: detail.listLimit,
        sql: detail.sql,
    }));
    switch (outcome.command) {
        case 'error':
            if (outcome.problems)
                lines.push(...problemsSection(context, outcome.problems, detail));
            else
                lines.push(...errorSection(outcome.message, outcome.hint));
            break;
        case 'status':
            lines.push(...planSection(context, outcome.plan, detail, 'Would run'));
            lines.push(...problemsSection(context, outcome.problems, detail));
            break;
        case 'offline-validate':
            lines.push(...planSection(context, outcome.plan, detail, outcome.baseBranch.checked ? `New since ${outcome.baseBranch.ref}` : 'Migration files'));
            lines.push(...problemsSection(context, outcome.problems, detail));
            lines.push(...offlineSection(outcome));
            break;
        case 'upgrade':
            lines.push(...outcomesSection(context, outcome, detail));
            lines.push(...previewSection(context, outcome, detail));
            lines.push(...problemsSection(context, outcome.plan.problems, detail));
            if (outcome.error &&
                outcome.error.code !== 'VALIDATION' &&
                outcome.error.code !== 'DUPLICATE_VERSION' &&
                !(outcome.error.code === 'PLAN_NOT_REVIEWED' && context.planCheck !== undefined)) {
                lines.push(...errorSection(outcome.error.message, outcome.error.hint));
            }
            break;
        case 'rollback':
            lines.push(...outcomesSection(context, outcome, detail));
            lines.push(...previewSection(context, outcome, detail));
            if (outcome.error)
                lines.push(...errorSection(outcome.error.message, outcome.error.hint));
            break;
    }
    if (detail.sql)
        lines.push(...driftLines(context));
    if (report.verify !== undefined) {
        const link = (relativePath, line) => fileLink(context, relativePath, line);
        lines.push(...verifySection(report.verify, { link, sql: detail.sql, listLimit: detail.listLimit }));
    }
    if (shortened)
        lines.push(overflowNote(context), '');
    // Collapse runs of empty lines between sections (never inside a fenced block: those are one entry).
    const compact = lines.filter((line, i) => line !== '' || (i > 0 && lines[i - 1] !== ''));
    return `${compact.join('\n').trimEnd()}\n`;
}

;// CONCATENATED MODULE: ./src/action/pr-comment.ts
/**
 * One PR comment per (jetbase directory, environment), updated in place. Found by a hidden marker
 * holding a hash of both, through every page of the PR's comments, and only among comments written
 * by the token's own identity: anyone can paste the marker into a comment, and adopting (or
 * deleting) theirs would let them hide or replace the report. Two jobs racing to create it both
 * re-list after creating; every one of them keeps the oldest and deletes the newer ones, so they
 * converge on a single comment.
 */



/** Who GITHUB_TOKEN writes as; GET /user is not allowed for it (403 "Resource not accessible by integration"). */
const ACTIONS_BOT_LOGIN = 'github-actions[bot]';
function commentMarker(key) {
    const hash = (0,external_node_crypto_.createHash)('sha256').update(`${key.directory}\n${key.environment}`).digest('hex').slice(0, 16);
    return `<!-- jetbase-action:${hash} -->`;
}
/** The marker plus the report; the caller renders the report to fit `bodyRoom(marker)`. */
function commentBody(marker, markdown) {
    return `${marker}\n${markdown}`;
}
function bodyRoom(marker) {
    return COMMENT_MAX_LENGTH - marker.length - 1;
}
function urlOf(comment) {
    return typeof comment.html_url === 'string' && comment.html_url !== '' ? comment.html_url : undefined;
}
async function tokenLogin(client) {
    try {
        const { data } = await client.rest.users.getAuthenticated();
        return data.login;
    }
    catch (error) {
        const status = httpStatus(error);
        if (status === 401 || status === 403 || status === 404)
            return ACTIONS_BOT_LOGIN;
        throw error;
    }
}
async function ourComments(client, target, marker, login) {
    // paginate() follows every Link rel="next": the marker may sit on any page of a long PR.
    const all = await client.paginate(client.rest.issues.listComments, {
        owner: target.owner,
        repo: target.repo,
        issue_number: target.issueNumber,
        per_page: 100,
    });
    return all
        .filter((c) => c.user?.login === login && (c.body ?? '').startsWith(marker))
        .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id);
}
async function deleteComment(client, target, id) {
    try {
        await client.rest.issues.deleteComment({ owner: target.owner, repo: target.repo, comment_id: id });
    }
    catch (error) {
        // The other job deleted it first: the goal is reached.
        if (httpStatus(error) !== 404)
            throw error;
    }
}
async function update(client, target, id, body) {
    const { data } = await client.rest.issues.updateComment({
        owner: target.owner,
        repo: target.repo,
        comment_id: id,
        body,
    });
    return { action: 'updated', id: data.id, url: urlOf(data) };
}
/** Creates or updates the comment. Permission problems come back as `skipped`; anything else throws. */
async function upsertComment(client, target, key, markdown) {
    const marker = commentMarker(key);
    const body = commentBody(marker, markdown);
    try {
        const login = await tokenLogin(client);
        const existing = await ourComments(client, target, marker, login);
        const [oldest, ...extra] = existing;
        if (oldest) {
            for (const comment of extra)
                await deleteComment(client, target, comment.id);
            return await update(client, target, oldest.id, body);
        }
        const { data: created } = await client.rest.issues.createComment({
            owner: target.owner,
            repo: target.repo,
            issue_number: target.issueNumber,
            body,
        });
        // Another job may have created one at the same moment: keep the oldest, delete the rest.
        const after = await ourComments(client, target, marker, created.user?.login ?? login);
        const keep = after[0];
        if (keep === undefined || keep.id === created.id) {
            for (const comment of after.slice(1))
                await deleteComment(client, target, comment.id);
            return { action: 'created', id: created.id, url: urlOf(created) };
        }
        for (const comment of after.slice(1))
            await deleteComment(client, target, comment.id);
        if (!after.slice(1).some((c) => c.id === created.id))
            await deleteComment(client, target, created.id);
        return await update(client, target, keep.id, body);
    }
    catch (error) {
        const status = httpStatus(error);
        if (status === 403 && /rate limit/i.test(error instanceof Error ? error.message : '')) {
            return {
                action: 'skipped',
                permission: false,
                reason: 'GitHub kept answering with a rate limit; the comment was not written.',
            };
        }
        if (status === 403 || status === 404) {
            return {
                action: 'skipped',
                permission: true,
                reason: `GitHub answered ${status}: the token cannot write PR comments here. Fork PRs get a read-only token; ` +
                    "otherwise grant 'permissions: pull-requests: write' to the job.",
            };
        }
        throw error;
    }
}

;// CONCATENATED MODULE: ./src/action/publish.ts
/**
 * Where a run's report goes besides the log: the job summary and the pull request's comment
 * (one per directory and environment, updated in place). Neither can fail the step: a summary or
 * comment that cannot be written is a warning.
 */





async function writeSummary(report) {
    try {
        await core/* summary */.z
            .addRaw(redact(renderMarkdown(report, { maxLength: SUMMARY_MAX_LENGTH })), true)
            .write();
    }
    catch (error) {
        core/* warning */.$e(redact(`Could not write the job summary: ${(0,errors/* errorMessage */.gJ)(error)}`));
    }
}
async function writeComment(report, inputs, event, client, 
/** A hidden HTML comment with data for later runs (comment-data.ts), placed right after the marker. */
hiddenData) {
    if (!inputs.comment || event.pullRequest === undefined)
        return;
    if (client === undefined) {
        core/* warning */.$e('No github-token: the PR comment was skipped.');
        return;
    }
    const key = { directory: report.context.directory, environment: report.context.environment };
    const data = hiddenData === undefined ? '' : `${hiddenData}\n`;
    const room = bodyRoom(commentMarker(key)) - data.length;
    const markdown = data + redact(renderMarkdown(report, { maxLength: room })).slice(0, room);
    try {
        const result = await upsertComment(client, { owner: event.owner, repo: event.repo, issueNumber: event.pullRequest.number }, key, markdown);
        if (result.action === 'skipped')
            core/* warning */.$e(redact(`PR comment skipped: ${result.reason}`));
        else
            core/* info */.pq(redact(`PR comment ${result.action}: ${result.url ?? `id ${result.id}`}`));
    }
    catch (error) {
        core/* warning */.$e(redact(`Could not write the PR comment: ${(0,errors/* errorMessage */.gJ)(error)}`));
    }
}

;// CONCATENATED MODULE: ./src/action/comment-data.ts
/** The data's share of a comment at most; a longer file list is dropped (the hash still decides). */
const MAX_DATA_LENGTH = 16_000;
const PREFIX = '<!-- jetbase-action-data:';
const SUFFIX = ' -->';
function encoded(data) {
    return `${PREFIX}${Buffer.from(JSON.stringify({ v: 1, ...data }), 'utf8').toString('base64')}${SUFFIX}`;
}
/** The hidden comment; the file list is dropped when it would take more than MAX_DATA_LENGTH. */
function encodeCommentData(data) {
    const full = encoded(data);
    if (full.length <= MAX_DATA_LENGTH)
        return full;
    return encoded({ plan: { ...data.plan, entries: [] }, entriesOmitted: true });
}
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function stringOrNull(value) {
    return value === null || typeof value === 'string';
}
function entryOf(value) {
    if (!isObject(value))
        return undefined;
    const { type, version, file, checksum } = value;
    if (typeof type !== 'string' ||
        !stringOrNull(version) ||
        typeof file !== 'string' ||
        typeof checksum !== 'string')
        return undefined;
    return { type, version, file, checksum };
}
function targetOf(value) {
    if (!isObject(value))
        return undefined;
    const { dialect, host, database, schema } = value;
    if (typeof dialect !== 'string' || !stringOrNull(host) || !stringOrNull(database) || !stringOrNull(schema))
        return undefined;
    return { dialect, host, database, schema };
}
function planOf(value) {
    if (!isObject(value) || typeof value.hash !== 'string' || !Array.isArray(value.entries))
        return undefined;
    const entries = value.entries.map(entryOf);
    const target = targetOf(value.target);
    if (target === undefined || entries.some((e) => e === undefined) || !stringOrNull(value.latestVersion))
        return undefined;
    return { hash: value.hash, entries: entries, target, latestVersion: value.latestVersion };
}
/** The data in a comment body, or undefined when it has none (an older comment, an offline run). */
function decodeCommentData(body) {
    const start = body.indexOf(PREFIX);
    if (start < 0)
        return undefined;
    const end = body.indexOf(SUFFIX, start + PREFIX.length);
    if (end < 0)
        return undefined;
    try {
        const parsed = JSON.parse(Buffer.from(body.slice(start + PREFIX.length, end), 'base64').toString('utf8'));
        if (!isObject(parsed) || parsed.v !== 1)
            return undefined;
        const plan = planOf(parsed.plan);
        if (plan === undefined)
            return undefined;
        return parsed.entriesOmitted === true ? { plan, entriesOmitted: true } : { plan };
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/action/receipt.ts
/**
 * The receipt: after a deploy, the merged pull request's comment for the same directory and
 * environment gains a "Deployed" section (environment, time, run link, each applied file with its
 * time, the result or the failure). The review above it is kept; a later deploy replaces the
 * section. A token that may not write there only costs a warning.
 */






/** The comment body with the receipt in place of any earlier one, within GitHub's size limit. */
function bodyWithReceipt(body, receipt) {
    const cut = body.indexOf(DEPLOYED_MARKER);
    const review = (cut < 0 ? body : body.slice(0, cut)).trimEnd();
    const room = COMMENT_MAX_LENGTH - receipt.length - 2;
    const kept = review.length <= room ? review : `${review.slice(0, review.lastIndexOf('\n', room - 60))}\n\n…`;
    return `${kept}\n\n${receipt}\n`;
}
async function writeReceipt(client, where, lookup, deployment) {
    const body = bodyWithReceipt(lookup.body, redact(deployedSection(deployment)));
    try {
        await client.rest.issues.updateComment({ ...where, comment_id: lookup.commentId, body });
        core/* info */.pq(`Receipt added to the comment on #${lookup.pullRequest}.`);
    }
    catch (error) {
        const status = httpStatus(error);
        const why = status === 403 || status === 404
            ? `GitHub answered ${status}: the token cannot write PR comments here (grant 'permissions: pull-requests: write' to the job)`
            : (0,errors/* errorMessage */.gJ)(error);
        core/* warning */.$e(redact(`The deploy receipt was not added to #${lookup.pullRequest}: ${why}.`));
    }
}

;// CONCATENATED MODULE: ./src/action/reviewed-plan.ts
/**
 * A deploy checks that it runs what was reviewed: the pull request(s) of the deployed commit are
 * found through GET /repos/{owner}/{repo}/commits/{sha}/pulls, our comment for the same directory
 * and environment is read there (only comments by the token's identity), and its plan hash is
 * compared with the plan picked under the lock, before anything runs.
 */






/** Merged pull requests of the commit, latest merge first; each is searched for our comment. */
async function findReviewedPlan(client, where, key) {
    const short = where.sha.slice(0, 12);
    if (client === undefined)
        return { kind: 'none', reason: 'there is no github-token to find the pull request that was reviewed' };
    try {
        const { data } = await client.rest.repos.listPullRequestsAssociatedWithCommit({
            owner: where.owner,
            repo: where.repo,
            commit_sha: where.sha,
        });
        const merged = data
            .filter((pr) => typeof pr.merged_at === 'string')
            .sort((a, b) => (b.merged_at ?? '').localeCompare(a.merged_at ?? ''));
        if (merged.length === 0)
            return { kind: 'none', reason: `no merged pull request contains commit ${short} (a direct push?)` };
        const marker = commentMarker(key);
        const login = await tokenLogin(client);
        for (const pr of merged) {
            const target = { owner: where.owner, repo: where.repo, issueNumber: pr.number };
            const [comment] = await ourComments(client, target, marker, login);
            if (comment !== undefined) {
                const body = comment.body ?? '';
                return {
                    kind: 'found',
                    pullRequest: pr.number,
                    commentId: comment.id,
                    body,
                    data: decodeCommentData(body),
                };
            }
        }
        const numbers = merged.map((pr) => `#${pr.number}`).join(', ');
        return {
            kind: 'none',
            reason: `pull request ${numbers} has no Jetbase comment for this directory and environment`,
        };
    }
    catch (error) {
        return {
            kind: 'none',
            reason: `the GitHub API did not answer for the pull requests of ${short} (${httpStatus(error) ?? (0,errors/* errorMessage */.gJ)(error)})`,
        };
    }
}
/** The comment's receipt says this pull request was deployed successfully before. */
function isRedeploy(body) {
    const receipt = body.indexOf(DEPLOYED_MARKER);
    return receipt >= 0 && body.slice(receipt).includes(DEPLOYED_SUCCESS);
}
/** Nothing runs that was not reviewed: reviewed files were only applied in the meantime. */
function onlyMovedOn(difference) {
    return (difference.added.length === 0 &&
        difference.changed.length === 0 &&
        difference.removed.length === 0 &&
        !difference.reordered &&
        difference.target === undefined);
}
/** The plan picked under the lock against the review: what to report, and an error when it must not run. */
function checkPlan(lookup, plan, target, required) {
    const actual = planFingerprint(plan, targetIdentity(target.config));
    const refuse = (message) => required
        ? new errors/* JetbaseError */.N8('PLAN_NOT_REVIEWED', `${message} Nothing was applied (require-reviewed-plan is true).`, {
            hint: 'Open a pull request with the migrations so the plan is reviewed, or re-run the review before deploying.',
        })
        : undefined;
    if (lookup.kind === 'none') {
        const reason = `No reviewed plan: ${lookup.reason}.`;
        return {
            check: { kind: 'no-review', reason, refused: required, planHash: actual.hash },
            refusal: refuse(reason),
        };
    }
    if (lookup.data === undefined) {
        const reason = `No reviewed plan: the comment on #${lookup.pullRequest} holds no plan hash (validated without a database?).`;
        return {
            check: {
                kind: 'no-review',
                reason,
                refused: required,
                pullRequest: lookup.pullRequest,
                planHash: actual.hash,
            },
            refusal: refuse(reason),
        };
    }
    const reviewed = lookup.data.plan;
    const difference = comparePlans(reviewed, actual, plan.history);
    if (difference === undefined)
        return {
            check: { kind: 'matched', pullRequest: lookup.pullRequest, planHash: actual.hash },
            refusal: undefined,
        };
    const differs = (differences, refused) => ({
        kind: 'differs',
        pullRequest: lookup.pullRequest,
        planHash: actual.hash,
        reviewedHash: reviewed.hash,
        differences,
        refused,
    });
    if (isRedeploy(lookup.body) && onlyMovedOn(difference)) {
        // A re-run after this pull request's own deploy: what is left to run is part of what was reviewed.
        const differences = [
            ...differenceLines(difference),
            'An earlier deploy of this pull request applied them.',
        ];
        return { check: differs(differences, false), refusal: undefined };
    }
    const lines = lookup.data.entriesOmitted
        ? [`The plan differs from the reviewed one (the review kept only its hash: its file list was too long).`]
        : differenceLines(difference);
    const message = `The plan differs from the one reviewed in #${lookup.pullRequest}: ${lines.join(' ')}`;
    return { check: differs(lines, required), refusal: refuse(message) };
}

;// CONCATENATED MODULE: ./src/action/deploy-review.ts
/**
 * The main step's part of "what was reviewed is what deploys": on a pull request the comment keeps
 * the plan (hidden data); on a deploy the reviewed plan is looked up first, checked under the lock
 * through the upgrade's approval hook, and the merged pull request gets a receipt afterwards.
 */







/** A deploy: a real upgrade on a push or a manual run (auto resolves these to upgrade on the default branch). */
function isDeploy(event, command) {
    return (command.name === 'upgrade' &&
        !command.dryRun &&
        (event.name === 'push' || event.name === 'workflow_dispatch'));
}
/** The plan made against a database (never for an offline validation or a run that stopped). */
function fingerprintOf(outcome, target) {
    if (target?.dialect === undefined)
        return undefined;
    if (outcome.command !== 'status' && outcome.command !== 'upgrade')
        return undefined;
    return planFingerprint(outcome.plan, targetIdentity(target.config));
}
/** The hidden data a pull request's comment keeps: the plan a reviewer sees there. */
function reviewData(outcome, fingerprint) {
    if (outcome.command !== 'status' || fingerprint === undefined)
        return undefined;
    // base64 hides text from redaction: a plan whose names hold a registered secret is not kept.
    const json = JSON.stringify(fingerprint);
    return redact(json) === json ? encodeCommentData({ plan: fingerprint }) : undefined;
}
class ReviewGate {
    lookup;
    required;
    checked;
    constructor(lookup, required) {
        this.lookup = lookup;
        this.required = required;
    }
    static async open(client, event, key, required) {
        const lookup = await findReviewedPlan(client, { owner: event.owner, repo: event.repo, sha: event.sha }, key);
        core/* info */.pq(redact(lookup.kind === 'found'
            ? `Reviewed plan: the Jetbase comment on #${lookup.pullRequest}.`
            : `Reviewed plan: none (${lookup.reason}).`));
        return new ReviewGate(lookup, required);
    }
    /** The upgrade's approval hook: called under the lock, before the first file. */
    approve = (plan, target) => {
        const { check, refusal } = checkPlan(this.lookup, plan, target, this.required);
        this.checked = check;
        return refusal;
    };
    get check() {
        return this.checked;
    }
    /** Warnings for the log, then the receipt on the reviewed pull request. */
    async finish(report, client, event) {
        const check = this.checked;
        if (check?.kind === 'differs' && !check.refused)
            core/* warning */.$e(redact(`The deployed plan differs from the one reviewed in #${check.pullRequest}: ${check.differences.join(' ')}`));
        if (check?.kind === 'no-review' && !check.refused)
            core/* notice */.lm(redact(check.reason));
        if (this.lookup.kind !== 'found' || client === undefined)
            return;
        const { outcome } = report;
        if (outcome.command === 'upgrade' &&
            outcome.ok &&
            outcome.upToDate &&
            this.lookup.body.includes(DEPLOYED_MARKER)) {
            core/* info */.pq(`Nothing was applied; the receipt on #${this.lookup.pullRequest} of the earlier deploy is kept.`);
            return;
        }
        await writeReceipt(client, { owner: event.owner, repo: event.repo }, this.lookup, {
            environment: report.context.environment,
            at: new Date().toISOString(),
            runUrl: report.context.runUrl,
            outcome: report.outcome,
        });
    }
}

;// CONCATENATED MODULE: ./src/report/unified-diff.ts
/**
 * A unified diff of two texts, line by line (longest common subsequence), with three lines of
 * context, as `git diff` shows it. Pure. Texts too large for the quadratic table are not diffed.
 */
/** Above this many line pairs the table would cost too much memory; the caller says so instead. */
const MAX_CELLS = 4_000_000;
const CONTEXT = 3;
function operations(a, b) {
    const n = a.length;
    const m = b.length;
    // lengths[i][j]: LCS of a[i..] and b[j..], one flat array.
    const lengths = new Uint32Array((n + 1) * (m + 1));
    for (let i = n - 1; i >= 0; i--)
        for (let j = m - 1; j >= 0; j--)
            lengths[i * (m + 1) + j] =
                a[i] === b[j]
                    ? lengths[(i + 1) * (m + 1) + j + 1] + 1
                    : Math.max(lengths[(i + 1) * (m + 1) + j], lengths[i * (m + 1) + j + 1]);
    const ops = [];
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a[i] === b[j]) {
            ops.push({ kind: ' ', line: a[i], a: i, b: j });
            i++;
            j++;
        }
        else if (j < m && (i === n || lengths[i * (m + 1) + j + 1] > lengths[(i + 1) * (m + 1) + j])) {
            ops.push({ kind: '+', line: b[j], a: i, b: j });
            j++;
        }
        else {
            ops.push({ kind: '-', line: a[i], a: i, b: j });
            i++;
        }
    }
    return ops;
}
/** `start,count` as diff -u writes it: a count of 1 is left out, an empty side names the line before it. */
function range(before, count) {
    if (count === 1)
        return String(before + 1);
    return `${count === 0 ? before : before + 1},${count}`;
}
/** The diff, or undefined when the texts are equal or too large to diff. */
function unifiedDiff(before, after, names) {
    if (before === after)
        return undefined;
    // A final newline ends the last line; it is not an empty line of its own.
    const a = before.replace(/\n$/, '').split('\n');
    const b = after.replace(/\n$/, '').split('\n');
    if ((a.length + 1) * (b.length + 1) > MAX_CELLS)
        return undefined;
    const ops = operations(a, b);
    const changed = ops.map((op, index) => (op.kind === ' ' ? -1 : index)).filter((index) => index >= 0);
    if (changed.length === 0)
        return undefined;
    const out = [`--- ${names.a}`, `+++ ${names.b}`];
    let start = 0;
    while (start < changed.length) {
        let end = start;
        while (end + 1 < changed.length && changed[end + 1] - changed[end] <= 2 * CONTEXT + 1)
            end++;
        const from = Math.max(0, changed[start] - CONTEXT);
        const to = Math.min(ops.length - 1, changed[end] + CONTEXT);
        const hunk = ops.slice(from, to + 1);
        const aLines = hunk.filter((op) => op.kind !== '+').length;
        const bLines = hunk.filter((op) => op.kind !== '-').length;
        const first = ops[from];
        // As diff(1) writes it: an empty side names the line before it.
        out.push(`@@ -${range(first.a, aLines)} +${range(first.b, bLines)} @@`);
        for (const op of hunk)
            out.push(`${op.kind}${op.line}`);
        start = end + 1;
    }
    return out.join('\n');
}

;// CONCATENATED MODULE: ./src/action/drift.ts
/**
 * Drift explained on a pull request: each applied file whose checksum no longer matches is read
 * from the base branch (git when the checkout has the base commit, else the contents API) and
 * compared, so the comment can show the diff of its upgrade section and say whether this pull
 * request made the change; a missing file is looked up on the base branch the same way.
 */








const drift_run = (0,external_node_util_.promisify)(external_node_child_process_.execFile);
async function baseText(source, file) {
    if (!source.baseSha)
        return { found: false, why: 'the event names no base commit' };
    try {
        const { stdout } = await drift_run('git', ['show', `${source.baseSha}:./${file}`], {
            cwd: source.jetbaseDir,
            timeout: 15_000,
            maxBuffer: 32 * 1024 * 1024,
        });
        return { found: true, text: stdout };
    }
    catch {
        // Not in the checkout (shallow), or not on the base branch: the API tells which.
    }
    if (source.client === undefined)
        return { found: false, why: 'the base commit is not in the checkout' };
    const prefix = source.repoDirectory === '.' ? '' : `${source.repoDirectory}/`;
    try {
        const { data } = await source.client.rest.repos.getContent({
            owner: source.owner,
            repo: source.repo,
            path: `${prefix}${file}`,
            ref: source.baseSha,
            mediaType: { format: 'raw' },
        });
        return typeof data === 'string' ? { found: true, text: data } : { found: false, why: 'not a file' };
    }
    catch (error) {
        if (httpStatus(error) === 404)
            return { found: false };
        return { found: false, why: `the GitHub API did not answer (${httpStatus(error) ?? 'no response'})` };
    }
}
/** SQL with comments dropped and whitespace runs collapsed, string literals and quoted names kept as they are. */
function normalizedSql(sql) {
    let out = '';
    let i = 0;
    const space = () => {
        if (!out.endsWith(' '))
            out += ' ';
    };
    while (i < sql.length) {
        const c = sql[i];
        if (c === "'" || c === '"' || c === '`') {
            const end = sql.indexOf(c, i + 1);
            const stop = end < 0 ? sql.length : end + 1;
            out += sql.slice(i, stop);
            i = stop;
        }
        else if (c === '-' && sql[i + 1] === '-') {
            const end = sql.indexOf('\n', i);
            i = end < 0 ? sql.length : end;
        }
        else if (c === '/' && sql[i + 1] === '*') {
            const end = sql.indexOf('*/', i + 2);
            i = end < 0 ? sql.length : end + 2;
            space();
        }
        else if (/\s/.test(c)) {
            space();
            while (i < sql.length && /\s/.test(sql[i]))
                i++;
        }
        else {
            out += c;
            i++;
        }
    }
    return out.trim();
}
function upgradeSection(text) {
    const marker = parseSqlFile(text).rollbackMarkerLine;
    return marker === undefined
        ? text
        : text
            .split('\n')
            .slice(0, marker - 1)
            .join('\n');
}
function statementsOf(text) {
    return parseSqlFile(text).upgrade.statements.map((s) => s.sql);
}
/** Pure: a changed file against the base branch's text and the stored checksum. */
function explainChange(args) {
    const { file, version, headText, base } = args;
    if (!base.found)
        return {
            kind: 'changed',
            file,
            version,
            origin: 'unknown',
            whitespaceOnly: false,
            diff: undefined,
            note: base.why ?? 'the base branch has no such file',
        };
    const baseSum = checksumOfStatements(statementsOf(base.text));
    const headSum = checksumOfStatements(statementsOf(headText));
    const origin = baseSum === args.stored ? 'this-pr' : baseSum === headSum ? 'base' : 'both';
    const normalized = (text) => statementsOf(text).map(normalizedSql).join(';\n');
    return {
        kind: 'changed',
        file,
        version,
        origin,
        // Only where the base branch holds what was applied can the change be judged against it.
        whitespaceOnly: origin === 'this-pr' && normalized(base.text) === normalized(headText),
        diff: unifiedDiff(upgradeSection(base.text), upgradeSection(headText), {
            a: `a/${file}`,
            b: `b/${file}`,
        }),
    };
}
function isDrift(problem) {
    return (problem.severity === 'error' && (problem.kind === 'checksum-mismatch' || problem.kind === 'missing-file'));
}
/** Never throws: an explanation that cannot be made leaves the plain problem list. */
async function explainDrift(report, source) {
    try {
        return await explainAll(report, source);
    }
    catch {
        return [];
    }
}
async function explainAll(report, source) {
    const drifted = report.problems.filter(isDrift);
    if (drifted.length === 0)
        return [];
    const explanations = [];
    let basePaths = null;
    for (const problem of drifted) {
        const version = problem.version ?? '';
        if (problem.kind === 'checksum-mismatch' && problem.file !== undefined) {
            const stored = report.plan.history.find((r) => r.migrationType === 'VERSIONED' && r.version === version);
            explanations.push(explainChange({
                file: problem.file,
                version,
                stored: stored?.checksum ?? null,
                headText: (0,external_node_fs_.readFileSync)(external_node_path_default().join(source.jetbaseDir, problem.file), 'utf8'),
                base: await baseText(source, problem.file),
            }));
            continue;
        }
        if (basePaths === null) {
            const listing = await baseBranchFiles(source);
            basePaths = listing.ok ? listing.paths : undefined;
        }
        const onBase = basePaths?.find((p) => {
            const name = names_parseMigrationName(p.slice(p.lastIndexOf('/') + 1));
            return name.ok && name.type === 'VERSIONED' && name.version === version;
        });
        explanations.push({
            kind: 'missing',
            file: onBase,
            version,
            origin: basePaths === undefined ? 'unknown' : onBase === undefined ? 'base' : 'this-pr',
            whitespaceOnly: false,
            diff: undefined,
            ...(basePaths === undefined ? { note: 'the base branch could not be listed' } : {}),
        });
    }
    return explanations;
}

;// CONCATENATED MODULE: ./src/action/lint.ts
/** After validation problems: those block a merge for reasons no allow comment can change. */
const LINT_RANK = 5;
function lintAnnotations(lint, repoDirectory) {
    if (lint === undefined)
        return [];
    const prefix = repoDirectory === '.' ? '' : `${repoDirectory}/`;
    return lint.report.findings
        .filter((f) => f.severity !== 'info')
        .map((f) => ({
        // Under `lint: warn` nothing fails, so nothing is shown as an error either.
        level: f.severity === 'error' && lint.enforced ? 'error' : 'warning',
        title: `Jetbase lint: ${f.rule}`,
        message: `${f.message} ${f.why} Safer: ${f.safer}`,
        file: `${prefix}${f.file}`,
        line: f.line,
        rank: LINT_RANK,
    }));
}

;// CONCATENATED MODULE: ./src/action/workspace.ts
/**
 * Where the action works: the jetbase directory inside the workspace, its path inside the git
 * repository (for links and annotations), and the inputs as configuration overrides. The main and
 * post steps both build their run from here, so the post step reconnects exactly as the main step
 * did without a URL ever being saved in the (readable) state file.
 */




const exec = (0,external_node_util_.promisify)(external_node_child_process_.execFile);
function workspaceDir(env = process.env) {
    return env.GITHUB_WORKSPACE || process.cwd();
}
function jetbaseDirOf(inputs, env = process.env) {
    return external_node_path_default().resolve(workspaceDir(env), inputs.directory);
}
function overridesOf(inputs) {
    // Booleans only when true: a false input must not hide `true` set in env.py (an input default is not a choice).
    return {
        ...(inputs.databaseUrl ? { sqlalchemy_url: inputs.databaseUrl } : {}),
        ...(inputs.postgresSchema ? { postgres_schema: inputs.postgresSchema } : {}),
        ...(inputs.snowflakePrivateKey ? { snowflake_private_key: inputs.snowflakePrivateKey } : {}),
        ...(inputs.snowflakePrivateKeyPassword
            ? { snowflake_private_key_password: inputs.snowflakePrivateKeyPassword }
            : {}),
        ...(inputs.asyncMode ? { async_mode: true } : {}),
        ...skipOverrides(inputs),
    };
}
/** The directory's path inside its git repository (`db/jetbase`), else relative to the workspace; always with `/`. */
async function repositoryPath(jetbaseDir, workspace) {
    try {
        const { stdout } = await exec('git', ['rev-parse', '--show-prefix'], {
            cwd: jetbaseDir,
            timeout: 10_000,
        });
        const prefix = stdout.trim().replace(/\/$/, '');
        return prefix === '' ? '.' : prefix;
    }
    catch {
        return workspaceRelativePath(workspace, jetbaseDir);
    }
}
/**
 * The jetbase directory relative to the workspace with `/` whatever the runner's OS: it reaches
 * annotations, links and reports. `pathApi` is the platform's path module (path.win32 in tests).
 */
function workspaceRelativePath(workspace, jetbaseDir, pathApi = (external_node_path_default())) {
    const relative = pathApi.relative(workspace, jetbaseDir).split(pathApi.sep).join('/');
    return relative === '' ? '.' : relative;
}

;// CONCATENATED MODULE: ./src/action/verify-step.ts
/**
 * The action's verify step: on a pull request with `verify-database-url`, after validation, the
 * chain is replayed on that disposable database through the run layer. Its result goes into the
 * same report (the PR comment's "Tested on a fresh database" section, the `verified` output) and a
 * failure fails the check.
 */






/** Verify runs on pull requests whose files validated (invalid files would only fail again). */
function shouldVerify(inputs, event, report) {
    if (inputs.verifyDatabaseUrl === '' || event.pullRequest === undefined)
        return false;
    const { outcome } = report;
    return !(outcome.command === 'error' && (outcome.code === 'CANCELLED' || outcome.problems !== undefined));
}
async function verifyStep(inputs, event, signal) {
    const format = progressFormatter('verify');
    return core/* group */.Os('Verify on a fresh database', async () => {
        const { outcome } = await run({
            jetbaseDir: jetbaseDirOf(inputs),
            command: { name: 'verify', url: inputs.verifyDatabaseUrl },
            env: process.env,
            overrides: overridesOf(inputs),
            envPyEnvironment: envForRepositoryCode(process.env),
            ...(event.untrustedCode === undefined ? {} : { forbidEnvPyExecution: event.untrustedCode }),
            signal,
            connectRetryMs: Math.round(inputs.connectTimeoutSeconds * 1000),
            onSecrets: maskRegisteredSecrets,
            onProgress: (progress) => {
                for (const line of format(progress))
                    if (line.kind === 'outcome' || !line.verbose)
                        core/* info */.pq(redact(line.text));
            },
        });
        const result = outcome.command === 'verify' || outcome.command === 'error' ? outcome : undefined;
        if (result === undefined)
            throw new Error(`unexpected report for verify: ${outcome.command}`);
        core/* info */.pq(redact(verifySummary(result)));
        if (result.command === 'verify' && result.withoutRollback.length > 0)
            core/* warning */.$e(redact(verifyTextLines(result).warning ?? ''), { title: 'Jetbase: rollback not tested' });
        return result;
    });
}
/** The line setFailed adds when verify failed. */
function verifyFailureText(verify) {
    if (verify === undefined || verifyPassed(verify))
        return '';
    const detail = verify.command === 'error' ? '' : verify.failure === undefined ? '' : `\n${verify.failure.error.message}`;
    return `\n${redact(verifySummary(verify))}${redact(detail)}`;
}

;// CONCATENATED MODULE: ./src/action/main.ts
/**
 * The main step, a thin shell: inputs and event → the run layer → one report, rendered once to the
 * job summary, the PR comment, annotations and outputs. The result decides the exit: a failed
 * validation, migration or lock fails the step; a PR comment that cannot be written only warns.
 */






















function log(message) {
    core/* info */.pq(redact(message));
}
function triggerOf(event) {
    const branch = event.ref.replace(/^refs\/heads\//, '');
    if (event.pullRequest)
        return `${event.name} #${event.pullRequest.number}`;
    if (event.name === 'push')
        return `push to ${branch}`;
    if (event.name === 'workflow_dispatch')
        return `workflow_dispatch on ${branch}`;
    return event.name || 'a manual run';
}
function serverUrl() {
    return (process.env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/$/, '');
}
function runContext(event, command, inputs, directory) {
    const repoUrl = event.owner && event.repo ? `${serverUrl()}/${event.owner}/${event.repo}` : undefined;
    const runId = process.env.GITHUB_RUN_ID;
    return {
        directory,
        environment: inputs.environment,
        command,
        trigger: triggerOf(event),
        ...(repoUrl && event.linkSha ? { blobBase: `${repoUrl}/blob/${event.linkSha}/` } : {}),
        ...(repoUrl && runId ? { runUrl: `${repoUrl}/actions/runs/${runId}` } : {}),
    };
}
function databaseCommand(command, inputs) {
    if (command === 'validate' || command === 'status')
        return { name: command };
    return {
        name: command,
        dryRun: inputs.dryRun,
        ...(inputs.count === undefined ? {} : { count: inputs.count }),
        ...(inputs.toVersion === undefined ? {} : { toVersion: inputs.toVersion }),
    };
}
function groupTitle(command) {
    switch (command.name) {
        case 'upgrade':
            return command.dryRun ? 'Upgrade (dry run)' : 'Upgrade';
        case 'rollback':
            return command.dryRun ? 'Rollback (dry run)' : 'Rollback';
        default:
            return 'Validation';
    }
}
function offlineNotice(report, event) {
    const { reason } = report;
    const why = reason.kind === 'no-url'
        ? event.pullRequest?.fromFork
            ? 'This pull request comes from a fork, which gets no secrets'
            : 'No database URL is configured (input database-url, JETBASE_SQLALCHEMY_URL, env.py, jetbase.toml)'
        : reason.kind === 'env-py-missing-variable' && event.pullRequest?.fromFork
            ? `${reason.detail}: this pull request comes from a fork, which gets no secrets`
            : reason.detail;
    return `${why.replace(/\.$/, '')}; validating the migration files offline. Drift, missing files and the applied state are not checked.`;
}
/** A failed migration points at its statement's line (the run layer knows it: nothing is re-read). */
function failureAnnotation(error, directory) {
    const prefix = directory === '.' ? '' : `${directory}/`;
    return {
        level: 'error',
        title: 'Jetbase: migration failed',
        message: error.message,
        file: `${prefix}${error.file}`,
        rank: MIGRATION_FAILURE_RANK,
        ...(error.line === undefined ? {} : { line: error.line }),
    };
}
function annotationsOf(report) {
    const { outcome, context } = report;
    const annotations = problemAnnotations(problemsOf(outcome), context.directory);
    if ((outcome.command === 'upgrade' || outcome.command === 'rollback') &&
        outcome.error?.code === 'MIGRATION_FAILED')
        annotations.push(failureAnnotation(outcome.error, context.directory));
    const verifyError = report.verify?.command === 'verify' ? report.verify.failure?.error : undefined;
    if (verifyError?.code === 'MIGRATION_FAILED')
        annotations.push(failureAnnotation(verifyError, context.directory));
    return annotations;
}
function shouldFail(command, report) {
    const { result } = outputValues(report);
    if (result === 'success')
        return false;
    // `status` reports problems without failing the step; a run that could not happen still fails.
    if (command === 'status')
        return result === 'failure' || result === 'locked' || result === 'cancelled';
    return true;
}
/** The action runs validate, status, upgrade and rollback only: their reports are what it renders. */
function isActionOutcome(outcome) {
    return ['upgrade', 'rollback', 'status', 'offline-validate', 'error'].includes(outcome.command);
}
async function main_execute(inputs, event, command, directory, client, signal, gate) {
    const writes = takesLock(command);
    const processId = (0,process_id/* newProcessId */.Pq)();
    const jetbaseDir = jetbaseDirOf(inputs);
    const format = progressFormatter(command.name);
    return core/* group */.Os(groupTitle(command), () => run({
        jetbaseDir,
        command,
        env: process.env,
        overrides: overridesOf(inputs),
        envPyEnvironment: envForRepositoryCode(process.env),
        ...(event.untrustedCode === undefined ? {} : { forbidEnvPyExecution: event.untrustedCode }),
        signal,
        processId,
        releaseLockOnNewConnection: true,
        lockTimeoutMs: Math.round(inputs.lockTimeoutSeconds * 1000),
        connectRetryMs: Math.round(inputs.connectTimeoutSeconds * 1000),
        ...(inputs.lint === 'off' ? {} : { lint: {} }),
        onSecrets: maskRegisteredSecrets,
        ...(gate === undefined ? {} : { approvePlan: gate.approve }),
        onProgress: (event) => {
            for (const line of format(event)) {
                if (line.kind === 'message' && line.level === 'warning')
                    core/* warning */.$e(redact(line.text));
                else
                    log(line.text);
            }
        },
        onTarget: (target) => {
            log(`Jetbase directory: ${directory}`);
            log(`Command: ${command.name}${inputs.command === 'auto' ? ` (auto, for ${triggerOf(event)})` : ''}${'dryRun' in command && command.dryRun ? ', dry run' : ''}`);
            log(`Database: ${target.dialect?.target ?? 'none configured'}`);
            if (writes && target.dialect !== undefined) {
                // Saved before the lock is requested: if this process is killed while holding it, the post
                // step releases it. The URL is not saved (state files are readable): the post step
                // re-resolves it from the same inputs and environment.
                core/* saveState */.LZ(State.LockProcessId, processId);
                core/* saveState */.LZ(State.LockTarget, redact(target.dialect.target));
            }
        },
        offline: {
            whenEnvPyLacksVariable: event.pullRequest?.fromFork === true,
            baseFiles: async () => {
                const base = await baseBranchFiles({
                    jetbaseDir,
                    repoDirectory: directory,
                    baseSha: event.baseSha,
                    baseRef: event.pullRequest?.baseRef ?? '',
                    client,
                    owner: event.owner,
                    repo: event.repo,
                });
                log(base.ok
                    ? `Base branch: ${base.paths.length} migration files (from ${base.source}).`
                    : `Base branch not checked: ${base.reason}.`);
                return base;
            },
        },
    }).then((result) => {
        if (writes && !result.lockLeftHeld)
            core/* saveState */.LZ(State.LockReleased, 'true');
        else if (result.lockLeftHeld)
            core/* warning */.$e('The migration lock is still held by this run; the post step will try again.');
        return result;
    }));
}
async function main(signal) {
    const inputs = readInputs();
    const event = readEvent();
    const resolved = resolveCommand(inputs.command, event);
    const command = databaseCommand(resolved, inputs);
    const client = inputs.githubToken ? createGitHubClient(inputs.githubToken) : undefined;
    const directory = await repositoryPath(jetbaseDirOf(inputs), workspaceDir());
    const gate = isDeploy(event, command)
        ? await ReviewGate.open(client, event, { directory, environment: inputs.environment }, inputs.requireReviewedPlan)
        : undefined;
    const result = await main_execute(inputs, event, command, directory, client, signal, gate);
    const { outcome } = result;
    const fingerprint = fingerprintOf(outcome, result.target);
    const drift = outcome.command === 'status' && event.pullRequest !== undefined
        ? await explainDrift(outcome, {
            jetbaseDir: jetbaseDirOf(inputs),
            repoDirectory: directory,
            baseSha: event.baseSha,
            baseRef: event.pullRequest.baseRef,
            client,
            owner: event.owner,
            repo: event.repo,
        })
        : [];
    if (outcome.command === 'offline-validate')
        core/* notice */.lm(offlineNotice(outcome, event));
    if (!isActionOutcome(outcome))
        throw new Error(`unexpected report for ${resolved}: ${outcome.command}`);
    const validated = {
        context: {
            ...runContext(event, resolved, inputs, directory),
            ...(fingerprint === undefined ? {} : { planHash: fingerprint.hash }),
            ...(gate?.check === undefined ? {} : { planCheck: gate.check }),
            ...(drift.length === 0 ? {} : { drift }),
        },
        outcome,
        ...(result.lint === undefined
            ? {}
            : { lint: { report: result.lint, enforced: inputs.lint === 'error' } }),
    };
    const verify = shouldVerify(inputs, event, validated) ? await verifyStep(inputs, event, signal) : undefined;
    const report = verify === undefined ? validated : { ...validated, verify };
    const fail = shouldFail(resolved, report) || (verify !== undefined && !verifyPassed(verify));
    let hiddenErrors = 0;
    await core/* group */.Os('Report', async () => {
        hiddenErrors = annotate([...annotationsOf(report), ...lintAnnotations(report.lint, directory)], {
            willFail: fail,
        });
        setOutputs(report);
        if (inputs.summary)
            await writeSummary(report);
        await writeComment(report, inputs, event, client, reviewData(outcome, fingerprint));
        await gate?.finish(report, inputs.comment ? client : undefined, event);
    });
    const verdict = redact(verdictText(verdictOf(report)));
    if (!fail) {
        log(verdict);
        return;
    }
    const detail = outcome.command === 'error' && !outcome.problems ? `\n${outcome.message}` : '';
    const more = hiddenErrors > 0
        ? `\n…and ${hiddenErrors} more error${hiddenErrors === 1 ? '' : 's'}: see the job summary.`
        : '';
    core/* setFailed */.C1(`${verdict}${detail}${more}${verifyFailureText(verify)}`);
}
async function main_run() {
    const cancellation = new Cancellation();
    cancellation.install();
    try {
        await main(cancellation.signal);
    }
    catch (error) {
        // Unexpected (a bug, or the runner's files unusable): a short message, and the stack, which
        // source maps turn into src/ files and lines.
        const failure = failedRun(error);
        core/* setFailed */.C1(failure.message);
        if (failure.code === 'UNEXPECTED' && failure.error.stack !== undefined)
            core/* info */.pq(redact(failure.error.stack));
    }
    finally {
        cancellation.dispose();
    }
}

;// CONCATENATED MODULE: ./src/action/post.ts
/**
 * The post step (`post-if: always()`): when the main step saved a lock holder id and did not record
 * that the lock is released (it was killed, or its connection died), reconnect with the same inputs
 * and environment and release the lock, but only if that id still holds it (never another run's).
 * Never fails the job: a lock it cannot release becomes a warning that says how to release it.
 */









async function post() {
    const processId = core/* getState */.Gu(State.LockProcessId);
    if (processId === '' || core/* getState */.Gu(State.LockReleased) === 'true') {
        core/* debug */.Yz('No migration lock to release.');
        return;
    }
    const where = core/* getState */.Gu(State.LockTarget) || 'the database';
    try {
        const inputs = readInputs();
        const event = readEvent();
        const target = await openTarget({
            jetbaseDir: jetbaseDirOf(inputs),
            env: process.env,
            overrides: overridesOf(inputs),
            envPyEnvironment: envForRepositoryCode(process.env),
            ...(event.untrustedCode === undefined ? {} : { forbidEnvPyExecution: event.untrustedCode }),
            onSecrets: maskRegisteredSecrets,
        });
        if (target.dialect === undefined) {
            core/* warning */.$e(redact(`The main step may have left the migration lock held on ${where}, but no database URL is configured here to release it.`));
            return;
        }
        const released = await releaseLockOf({ jetbaseDir: target.jetbaseDir, dialect: target.dialect }, processId);
        if (released)
            core/* warning */.$e(redact(`The main step stopped while holding the migration lock on ${where}; the post step released it (process ${processId}).`));
        else
            core/* info */.pq(redact(`The migration lock on ${where} is not held by this run (process ${processId}): nothing to release.`));
    }
    catch (error) {
        core/* warning */.$e(redact(`Could not release the migration lock on ${where} held by process ${processId}: ${(0,errors/* errorMessage */.gJ)(error)}. ` +
            "Once no migration is running, release it with 'jetbase unlock'."));
    }
}

;// CONCATENATED MODULE: ./src/action/entry.ts
/**
 * Both steps of the action: action.yml runs the bundle as `main` and again as `post` (the isPost
 * pattern of actions/checkout). Loaded by index.ts once source maps are on.
 */




async function start() {
    const isPost = core/* getState */.Gu(State.IsPost) === 'true';
    if (!isPost)
        core/* saveState */.LZ(State.IsPost, 'true');
    await (isPost ? post() : main_run());
}


/***/ }),

/***/ 46537:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   T: () => (/* binding */ EnvPyMissingVariableError)
/* harmony export */ });
/* harmony import */ var _engine_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(17679);
/** Errors of reading env.py that a caller may want to tell apart from the rest. */

/**
 * env.py failed because it reads an environment variable that is not set (`os.environ["NAME"]`,
 * at the top level or in `get_env_vars()`). A pull request from a fork does not get the
 * repository's secrets, so this is what its env.py typically does there: the action can fall back
 * to validating the migration files offline instead of failing.
 */
class EnvPyMissingVariableError extends _engine_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL {
    /** The name of the variable that is not set. */
    variable;
    constructor(message, variable) {
        super(message, {
            hint: `Set ${variable} in the environment, or use os.getenv("${variable}") for an optional value.`,
        });
        this.name = 'EnvPyMissingVariableError';
        this.variable = variable;
    }
}


/***/ }),

/***/ 91152:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   O: () => (/* binding */ configValuesOf),
/* harmony export */   m: () => (/* binding */ CONFIG_KEYS)
/* harmony export */ });
/** The configuration keys env.py may define, including the newer Jetbase line's async_mode and model_paths. */
const CONFIG_KEYS = [
    'sqlalchemy_url',
    'async_mode',
    'postgres_schema',
    'model_paths',
    'skip_validation',
    'skip_checksum_validation',
    'skip_file_validation',
    'snowflake_private_key',
    'snowflake_private_key_password',
];
/** The configuration keys among `values`; a key set to None counts as not set. */
function configValuesOf(values) {
    const result = {};
    for (const key of CONFIG_KEYS) {
        const value = values[key];
        if (value !== undefined && value !== null)
            result[key] = value;
    }
    return result;
}


/***/ }),

/***/ 19905:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   H_: () => (/* binding */ secretNameWords),
/* harmony export */   WD: () => (/* binding */ secretValuesOf),
/* harmony export */   eh: () => (/* binding */ isSecretName),
/* harmony export */   uU: () => (/* binding */ MIN_MASKED_VALUE_LENGTH)
/* harmony export */ });
/** Words that name a credential wherever they appear (lower case). */
const CREDENTIAL_WORDS = [
    'pass',
    'pwd',
    'token',
    'secret',
    'credential',
    'private_key',
    'privatekey',
];
const WORDS_BY_KIND = {
    'environment-variable': [...CREDENTIAL_WORDS, 'key', 'url', 'dsn'],
    'url-query-parameter': CREDENTIAL_WORDS,
};
/**
 * Values shorter than this are not masked because of their name: masking every `1` or `on` would
 * garble a message and hide nothing worth hiding.
 */
const MIN_MASKED_VALUE_LENGTH = 3;
/** The lower-case words whose presence makes a name of this kind secret. */
function secretNameWords(kind) {
    return WORDS_BY_KIND[kind];
}
function isSecretName(name, kind) {
    const lower = name.toLowerCase();
    return WORDS_BY_KIND[kind].some((word) => lower.includes(word));
}
/** The values of the secret-named variables of `env` that are long enough to mask, longest first. */
function secretValuesOf(env) {
    const values = new Set();
    for (const [name, value] of Object.entries(env)) {
        if (value !== undefined &&
            value.length >= MIN_MASKED_VALUE_LENGTH &&
            isSecretName(name, 'environment-variable'))
            values.add(value);
    }
    return [...values].sort((a, b) => b.length - a.length);
}


/***/ }),

/***/ 70190:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Nt: () => (/* binding */ withoutSecret),
/* harmony export */   QM: () => (/* binding */ lowerCaseKeys),
/* harmony export */   RF: () => (/* binding */ scrubbedError),
/* harmony export */   Ws: () => (/* binding */ MERGE_LOCK_ROW),
/* harmony export */   cW: () => (/* binding */ isLoopbackHost),
/* harmony export */   hp: () => (/* binding */ currentSchemaTableProbe),
/* harmony export */   sA: () => (/* binding */ inTransaction),
/* harmony export */   zR: () => (/* binding */ asError)
/* harmony export */ });
/** Small helpers shared by the dialect adapters. */
/** Rows come back with lower-case column names, whatever the database or the SQL spelled. */
function lowerCaseKeys(row) {
    const result = {};
    for (const [key, value] of Object.entries(row))
        result[key.toLowerCase()] = value;
    return result;
}
/**
 * The lock row's idempotent creation on Snowflake and Databricks: Jetbase issues this one MERGE text
 * on both.
 */
const MERGE_LOCK_ROW = `MERGE INTO jetbase_lock AS target
            USING (SELECT 1 AS id, FALSE AS is_locked) AS source
            ON target.id = source.id
            WHEN NOT MATCHED THEN
                INSERT (id, is_locked) VALUES (source.id, source.is_locked)`;
/**
 * Jetbase's table probe on Snowflake and Databricks; they differ only in how the table's name is
 * compared (`nameMatches`, e.g. `TABLE_NAME = 'JETBASE_LOCK'`).
 */
function currentSchemaTableProbe(nameMatches) {
    return `SELECT COUNT(*) > 0 AS table_exists
            FROM INFORMATION_SCHEMA.TABLES
            WHERE TABLE_SCHEMA = CURRENT_SCHEMA()
              AND ${nameMatches}`;
}
/**
 * BEGIN … COMMIT around fn, ROLLBACK when fn (or the COMMIT) throws. `send` runs one statement on
 * the session; `begin` is the statement that opens the transaction (MySQL's START TRANSACTION,
 * SQLite's BEGIN IMMEDIATE). A failed ROLLBACK is swallowed: the connection is gone or the database
 * already rolled back by itself, and fn's error is the one that says what happened.
 */
async function inTransaction(send, fn, begin = 'BEGIN') {
    await send(begin);
    try {
        const result = await fn();
        await send('COMMIT');
        return result;
    }
    catch (error) {
        await send('ROLLBACK').catch(() => undefined);
        throw error;
    }
}
/** A dotted-quad 127.x.y.z with every part 0-255: the 127.0.0.0/8 loopback block. */
const IPV4_LOOPBACK = /^127\.(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){2}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;
/**
 * Is this host the machine itself: 127.0.0.0/8, `::1` (bare or as `[::1]`), or `localhost` (in any
 * case, as DNS names are)? Nothing else counts, so plain HTTP to it never crosses a network.
 */
function isLoopbackHost(host) {
    return host === '::1' || host === '[::1]' || host.toLowerCase() === 'localhost' || IPV4_LOOPBACK.test(host);
}
/**
 * Removes a password (as written and percent-encoded) from a driver message. The engine redacts
 * again before printing; this keeps a connection error clean even when it is logged raw.
 */
function withoutSecret(message, secret) {
    if (!secret)
        return message;
    let clean = message;
    for (const form of new Set([secret, encodeURIComponent(secret)]))
        clean = clean.split(form).join('***');
    return clean;
}
/**
 * The driver's error when it holds no password, else a new Error with the scrubbed message (no
 * `cause`: the original would carry the password along).
 */
function scrubbedError(error, secret) {
    const message = error instanceof Error ? error.message : String(error);
    const clean = withoutSecret(message, secret);
    if (error instanceof Error && clean === message)
        return error;
    return new Error(clean);
}
/**
 * The error as an Error of this realm. Native drivers build theirs outside it (Jest's module
 * sandbox, for one), where `instanceof Error` is false; the message and a string `code` are kept.
 */
function asError(error) {
    if (error instanceof Error)
        return error;
    const { message, code } = (typeof error === 'object' && error !== null ? error : {});
    const result = new Error(typeof message === 'string' ? message : String(error));
    if (typeof code === 'string')
        result.code = code;
    return result;
}


/***/ }),

/***/ 56096:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createSqliteDialect: () => (/* binding */ createSqliteDialect),
/* harmony export */   q: () => (/* binding */ sqliteFilePath)
/* harmony export */ });
/* unused harmony export sqliteSql */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_module__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(98995);
/* harmony import */ var node_module__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_module__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(73136);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_url__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(17679);
/* harmony import */ var _engine_process_id_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(35105);
/* harmony import */ var _common_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(70190);
/**
 * SQLite through one of two drivers behind a small adapter:
 *  - `node:sqlite` (built into Node ≥ 22.5, unflagged from 22.13/23.4): the only choice where a
 *    native addon built for another Node ABI cannot load, such as the bundled action on node24.
 *  - `better-sqlite3`: a native addon for Node 20 and other Nodes without `node:sqlite`.
 * The default prefers `node:sqlite` when it loads, so the action and a CLI on a current Node run
 * the same code path, and better-sqlite3 is only loaded (never required) where it is needed.
 */







/** How long a connection waits for another process's lock on the file before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;
const NOW = "STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')";
/** Jetbase's tables, lock row and probes on SQLite: the text Python Jetbase issues. */
const sqliteSql = {
    createMigrationsTable: `CREATE TABLE IF NOT EXISTS jetbase_migrations (
            order_executed INTEGER PRIMARY KEY AUTOINCREMENT,
            version TEXT,
            description TEXT,
            filename TEXT NOT NULL,
            migration_type TEXT NOT NULL,
            applied_at TEXT DEFAULT (${NOW}),
            checksum TEXT
        )`,
    createLockTable: `CREATE TABLE IF NOT EXISTS jetbase_lock (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            is_locked BOOLEAN NOT NULL DEFAULT 0,
            locked_at TEXT DEFAULT (${NOW}),
            process_id TEXT
        )`,
    initLockRow: 'INSERT OR IGNORE INTO jetbase_lock (id, is_locked) VALUES (1, 0)',
    // Upstream's lock probe returns a name and crashes when the table is absent; both tables use
    // the boolean form here.
    tableExists: (table) => `SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = '${table}'`,
    now: NOW,
    true: '1',
    false: '0',
    insertSuppliesAppliedAt: false,
};
async function loadNodeSqlite() {
    // A specifier in a variable keeps TypeScript (types for Node 20) quiet; webpackIgnore keeps ncc
    // from turning the import into an empty module context.
    const specifier = 'node:sqlite';
    const loaded = await import(/* webpackIgnore: true */ specifier);
    const { DatabaseSync } = loaded;
    new DatabaseSync(':memory:').close();
    return (file, readOnly) => {
        const db = new DatabaseSync(file, { readOnly });
        return {
            // node:sqlite's all() returns [] for statements without a result, and run() accepts a SELECT
            // but reports the previous statement's changes for it: columns() tells a SELECT apart.
            all: (sql, params) => db.prepare(sql).all(...params),
            run: (sql, params) => {
                const statement = db.prepare(sql);
                if ((statement.columns?.().length ?? 0) > 0) {
                    statement.all(...params);
                    return 0;
                }
                return Number(statement.run(...params).changes);
            },
            exec: (sql) => db.exec(sql),
            close: () => db.close(),
        };
    };
}
/**
 * better-sqlite3's addon where its install builds or downloads it, else undefined (better-sqlite3
 * then searches with the `bindings` package, which stats a dozen paths and walks a stack trace).
 */
function builtAddon(packageMain) {
    const file = node_path__WEBPACK_IMPORTED_MODULE_2___default().join(node_path__WEBPACK_IMPORTED_MODULE_2___default().dirname(packageMain), '..', 'build', 'Release', 'better_sqlite3.node');
    return (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(file) ? file : undefined;
}
function requireBetterSqlite3(require) {
    try {
        return require('better-sqlite3');
    }
    catch (error) {
        // Not installed: import()'s one-line wording, not require's with its stack of requiring files.
        if (error.code === 'MODULE_NOT_FOUND' &&
            (0,_engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .errorMessage */ .gJ)(error).startsWith("Cannot find module 'better-sqlite3'"))
            throw new Error(`Cannot find package 'better-sqlite3' imported from ${(0,node_url__WEBPACK_IMPORTED_MODULE_3__.fileURLToPath)(import.meta.url)}`);
        throw error;
    }
}
async function loadBetterSqlite3() {
    // A CommonJS require rather than import(): through the ES module loader this package takes
    // several ms longer to load (docs/architecture.md, "Start-up"). Both bundles keep better-sqlite3
    // external (ncc's --external; the CLI's scripts/bundle-cli.mjs), so this requires the installed
    // package when called and never at load time; it is only for the CLI on Node 20.
    const require = (0,node_module__WEBPACK_IMPORTED_MODULE_1__.createRequire)(import.meta.url);
    const Database = requireBetterSqlite3(require);
    const nativeBinding = builtAddon(require.resolve('better-sqlite3'));
    // The native addon loads on first open: a build for another Node ABI fails here, not later.
    new Database(':memory:', { nativeBinding }).close();
    return (file, readOnly) => {
        const db = new Database(file, { timeout: BUSY_TIMEOUT_MS, readonly: readOnly, nativeBinding });
        return {
            // better-sqlite3 refuses all() on a statement without a result and run() on one with a
            // result ("This statement returns data"); `reader` tells which is which.
            all: (sql, params) => {
                const statement = db.prepare(sql);
                if (statement.reader)
                    return statement.all(...params);
                statement.run(...params);
                return [];
            },
            run: (sql, params) => {
                const statement = db.prepare(sql);
                if (statement.reader) {
                    statement.all(...params);
                    return 0;
                }
                return statement.run(...params).changes;
            },
            exec: (sql) => {
                db.exec(sql);
            },
            close: () => db.close(),
        };
    };
}
const loaders = {
    'node:sqlite': loadNodeSqlite,
    'better-sqlite3': loadBetterSqlite3,
};
/** The driver forced by options, else the first of node:sqlite, better-sqlite3 that loads and opens. */
async function loadDriver(forced) {
    const candidates = forced ? [forced] : ['node:sqlite', 'better-sqlite3'];
    const failures = [];
    for (const name of candidates) {
        try {
            return { name, open: await loaders[name]() };
        }
        catch (error) {
            failures.push(`${name}: ${(0,_engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .errorMessage */ .gJ)(error)}`);
        }
    }
    throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .JetbaseError */ .N8('DRIVER_MISSING', `No SQLite driver could be loaded (${failures.join('; ')}).`, {
        hint: forced
            ? `The ${forced} driver was requested; ${forced === 'node:sqlite' ? 'it needs Node 22.13 or newer' : 'install better-sqlite3 built for this Node version'}.`
            : 'Use Node 22.13 or newer (built-in node:sqlite), or install better-sqlite3 for this Node version.',
    });
}
/**
 * Where the database file is: `:memory:` and absolute paths as given, relative paths against the
 * jetbase directory (Jetbase runs from there). No path at all is in-memory, as in
 * SQLAlchemy.
 */
function sqliteFilePath(url, baseDir) {
    const database = url.database ?? '';
    if (database === '' || database === ':memory:')
        return ':memory:';
    return node_path__WEBPACK_IMPORTED_MODULE_2___default().resolve(baseDir, database);
}
/** The same database with every driver error turned into an Error of this realm (see asError). */
function withPlainErrors(db) {
    const guard = (fn) => (...args) => {
        try {
            return fn(...args);
        }
        catch (error) {
            throw (0,_common_js__WEBPACK_IMPORTED_MODULE_6__/* .asError */ .zR)(error);
        }
    };
    return { all: guard(db.all), run: guard(db.run), exec: guard(db.exec), close: guard(db.close) };
}
function bind(params) {
    return (params ?? []).map((value) => (typeof value === 'boolean' ? (value ? 1 : 0) : value));
}
class SqliteConnection {
    db;
    constructor(db) {
        this.db = db;
    }
    async execute(sql, params) {
        if (params && params.length > 0)
            return { rowsAffected: this.db.run(sql, bind(params)) };
        // Text without parameters goes through exec(): node:sqlite's prepare() silently drops all but
        // the first statement and both drivers' prepare() refuse comment-only text, while exec() runs
        // exactly what was written. total_changes() gives the rows it changed.
        const before = this.totalChanges();
        this.db.exec(sql);
        return { rowsAffected: this.totalChanges() - before };
    }
    async query(sql, params) {
        return this.db.all(sql, bind(params)).map((row) => (0,_common_js__WEBPACK_IMPORTED_MODULE_6__/* .lowerCaseKeys */ .QM)(row));
    }
    transaction(fn) {
        // IMMEDIATE takes the write lock up front (waiting up to the busy timeout). A deferred BEGIN
        // would start as a reader and fail with SQLITE_BUSY, without waiting, when two processes both
        // try to upgrade to writers; every Jetbase transaction writes, so nothing is lost.
        return (0,_common_js__WEBPACK_IMPORTED_MODULE_6__/* .inTransaction */ .sA)(async (sql) => this.db.exec(sql), fn, 'BEGIN IMMEDIATE');
    }
    async close() {
        this.db.close();
    }
    totalChanges() {
        const [row] = this.db.all('SELECT total_changes() AS n', []);
        return Number(row?.n ?? 0);
    }
}
/**
 * The holder of a SQLite database's lock runs on the machine that has the file: it is gone when
 * its OS process is (the id we write names the process and the machine; see engine/process-id.ts).
 * Its unfinished transaction was rolled back by SQLite's journal when the file was next opened.
 * Nothing is claimed: the process itself is the evidence.
 */
const sqliteLockHolder = {
    claim: async () => undefined,
    unclaim: async () => undefined,
    state: async (_conn, processId) => (0,_engine_process_id_js__WEBPACK_IMPORTED_MODULE_5__/* .localProcessState */ .YW)(processId),
};
async function createSqliteDialect(url, options) {
    const driver = await loadDriver(options.sqliteDriver);
    const file = sqliteFilePath(url, options.baseDir);
    return {
        name: 'sqlite',
        transactionalDdl: true,
        sql: sqliteSql,
        target: url.redacted,
        anyTableOrView: `SELECT name FROM sqlite_master
            WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite!_%' ESCAPE '!'
            ORDER BY name
            LIMIT 1`,
        lockHolder: sqliteLockHolder,
        sqliteDriver: driver.name,
        async connect(connectOptions) {
            const readOnly = connectOptions?.readOnly === true && file !== ':memory:';
            // A read-only command on a database that does not exist yet sees an empty one and leaves no
            // file behind: opening the path would create it.
            const target = readOnly && !(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(file) ? ':memory:' : file;
            let db;
            try {
                db = withPlainErrors(driver.open(target, readOnly && target !== ':memory:'));
            }
            catch (error) {
                throw new Error(`Cannot open SQLite database ${file}: ${(0,_common_js__WEBPACK_IMPORTED_MODULE_6__/* .asError */ .zR)(error).message}`);
            }
            try {
                // Another process holding the file waits instead of failing at once. No WAL: it would
                // add -wal/-shm files next to the user's database.
                db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
            }
            catch (error) {
                db.close();
                throw error;
            }
            return new SqliteConnection(db);
        },
    };
}


/***/ }),

/***/ 9596:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   s: () => (/* binding */ StatementFailure)
/* harmony export */ });
/**
 * The one interface every database implements. The engine owns everything Jetbase-specific
 * (statement splitting, history and lock SQL, checksums, ordering, validation); a dialect owns
 * connecting, placeholders, the exact text of Jetbase's two tables for its database, and what its
 * driver's errors say.
 *
 * How to implement a dialect (one folder under src/dialects/<name>/, one case in registry.ts):
 *  1. `sql`: the CREATE TABLE statements of jetbase_migrations and jetbase_lock, the lock row's
 *     creation, the table probes and the "now" expression, byte for byte what Python Jetbase issues
 *     on this database, so both tools can share one database. Texts two dialects share (Snowflake's
 *     and Databricks' MERGE) live once in src/dialects/common.ts.
 *  2. `connect()`: one live session. The engine pins it for lock, migrations and history writes.
 *     Every call outside `transaction()` commits on its own (autocommit). A read-only session
 *     (`readOnly`) refuses writes where the database can enforce it.
 *  3. `Connection.execute/query`: `?` placeholders appear only in engine-owned SQL; rewrite them
 *     to the driver's form. With no params the text is sent exactly as written: a user's `?` or
 *     `:name` is never taken for a placeholder. Rows come back with lower-case column names
 *     (`lowerCaseKeys`); timestamps as the database's text form (`YYYY-MM-DD HH:MM:SS[.fraction]`),
 *     never as a JS Date (that would lose microseconds and shift time zones); booleans and counts
 *     may be any of boolean/number/bigint/string.
 *  4. `transaction(fn)`: `inTransaction` of src/dialects/common.ts with the session's own way to
 *     send a statement (and the database's BEGIN, if it is not plain `BEGIN`). Where the database
 *     has no transactions, a plain call, `supportsTransactions` false and `transactionalDdl` false.
 *  5. Errors: throw an Error whose message is the driver's message, with no secret in it
 *     (`scrubbedError`, `withoutSecret`); the engine wraps and redacts again.
 *  6. `driverErrorIs`, where the driver has codes or texts of its own for "the server is starting
 *     up" or "the connection was lost": the engine retries the first connection on 'transient'
 *     and names the target on 'lost'. Node's own socket errors need nothing here.
 *  7. Pass the shared conformance suite in __tests__/dialects/ (conformance.ts).
 */
/**
 * A statement of a migration failed; `index === statements.length` means the final write.
 * `outcomeUnknown`: the connection was lost with the whole migration already sent (PostgreSQL's one
 * message, MySQL's one query), so the server goes on with it unseen by us: on PostgreSQL all of it
 * commits with its history row, or none of it; on MySQL its statements run in order until one
 * fails, DDL committing as it goes, and the history row comes only after the last.
 */
class StatementFailure extends Error {
    index;
    outcomeUnknown;
    constructor(index, cause, options = {}) {
        super(cause instanceof Error ? cause.message : String(cause), { cause });
        this.name = 'StatementFailure';
        this.index = index;
        this.outcomeUnknown = options.outcomeUnknown ?? false;
    }
}


/***/ }),

/***/ 17679:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Hd: () => (/* binding */ MigrationOutcomeUnknownError),
/* harmony export */   Ke: () => (/* binding */ HistoryWriteError),
/* harmony export */   N8: () => (/* binding */ JetbaseError),
/* harmony export */   Py: () => (/* binding */ MigrationError),
/* harmony export */   Rk: () => (/* binding */ LockHeldError),
/* harmony export */   UN: () => (/* binding */ UrlError),
/* harmony export */   cc: () => (/* binding */ CancelledError),
/* harmony export */   eb: () => (/* binding */ UsageError),
/* harmony export */   gJ: () => (/* binding */ errorMessage),
/* harmony export */   uz: () => (/* binding */ DirectoryError),
/* harmony export */   xL: () => (/* binding */ ConfigError),
/* harmony export */   yI: () => (/* binding */ ValidationError)
/* harmony export */ });
/**
 * Every error the engine raises is a JetbaseError with a stable `code`; shells map codes to exit
 * codes (usage errors 2, everything else 1) and print `message`, which is always one readable text
 * naming the input at fault and never containing a secret (messages pass through redaction).
 */
class JetbaseError extends Error {
    code;
    /** What the user can do about it, shown after the message. */
    hint;
    constructor(code, message, options) {
        super(message, options?.cause === undefined ? undefined : { cause: options.cause });
        this.name = 'JetbaseError';
        this.code = code;
        this.hint = options?.hint;
    }
}
/** A usage error: bad flags or flag combinations (exit code 2). */
class UsageError extends JetbaseError {
    constructor(message, options) {
        super('USAGE', message, options);
        this.name = 'UsageError';
    }
}
class ConfigError extends JetbaseError {
    constructor(message, options) {
        super('CONFIG', message, options);
        this.name = 'ConfigError';
    }
}
class UrlError extends JetbaseError {
    constructor(message, options) {
        super('URL', message, options);
        this.name = 'UrlError';
    }
}
class DirectoryError extends JetbaseError {
    constructor(message, options) {
        super('DIRECTORY', message, options);
        this.name = 'DirectoryError';
    }
}
class LockHeldError extends JetbaseError {
    constructor(message, options) {
        super('LOCK_HELD', message, options);
        this.name = 'LockHeldError';
    }
}
class CancelledError extends JetbaseError {
    constructor(message = 'Cancelled by a signal; the lock was released.') {
        super('CANCELLED', message);
        this.name = 'CancelledError';
    }
}
class ValidationError extends JetbaseError {
    problems;
    constructor(problems) {
        const errors = problems.filter((p) => p.severity === 'error');
        const lines = errors.map((p) => `- ${p.message}`);
        super(errors.some((p) => p.kind === 'duplicate-version') && errors.length === 1
            ? 'DUPLICATE_VERSION'
            : 'VALIDATION', `Validation failed with ${errors.length} problem${errors.length === 1 ? '' : 's'}:\n${lines.join('\n')}`);
        this.name = 'ValidationError';
        this.problems = problems;
    }
}
function sectionLabel(file, section) {
    return section === 'upgrade' ? file : `${file} (rollback section)`;
}
/**
 * A statement of a migration failed. Where DDL is transactional its transaction was rolled back;
 * elsewhere the statements in `committedStatements` stay applied (docs/format.md, "Failed
 * migrations").
 */
class MigrationError extends JetbaseError {
    file;
    section;
    statementIndex;
    line;
    statement;
    /** Statements of this file that had already run and stay committed (empty where DDL is transactional). */
    committedStatements;
    /** The database's own message. */
    driverMessage;
    constructor(args) {
        const shown = sectionLabel(args.file, args.section);
        const excerpt = args.statement.length > 300 ? `${args.statement.slice(0, 300)}…` : args.statement;
        const where = `${shown}, statement ${args.statementIndex + 1}`;
        let message = `Migration ${where} failed: ${args.driverMessage}\n  SQL: ${excerpt}`;
        if (args.line !== undefined)
            message += `\n  Where: ${args.file}, line ${args.line}`;
        if (args.committedStatements.length > 0) {
            const n = args.committedStatements.length;
            message +=
                `\n  This database commits DDL implicitly: ${n} earlier statement${n === 1 ? ' of this file was' : 's of this file were'} already committed and stay applied:` +
                    args.committedStatements
                        .map((s, i) => `\n    ${i + 1}. ${s.length > 120 ? `${s.slice(0, 120)}…` : s}`)
                        .join('') +
                    `\n  No history row was written for ${shown}. Undo those statements by hand (or make the file idempotent), fix the failing statement, and run upgrade again.`;
        }
        else {
            message += `\n  The migration's transaction was rolled back: nothing of ${shown} was applied and no history row was written.`;
        }
        super('MIGRATION_FAILED', message, { cause: args.cause });
        this.name = 'MigrationError';
        this.file = args.file;
        this.section = args.section;
        this.statementIndex = args.statementIndex;
        this.line = args.line;
        this.statement = args.statement;
        this.committedStatements = args.committedStatements;
        this.driverMessage = args.driverMessage;
    }
}
/** A migration's statements ran but its history write (or the commit with it) failed. */
class HistoryWriteError extends JetbaseError {
    file;
    section;
    constructor(args) {
        super('DATABASE', `Migration ${sectionLabel(args.file, args.section)} ran but could not be recorded in jetbase_migrations (the history write or the commit failed)${args.transactionalDdl ? '; its statements were rolled back unless the connection was lost during the commit (then check `jetbase status`)' : ''}: ${args.driverMessage}`, { cause: args.cause });
        this.name = 'HistoryWriteError';
        this.file = args.file;
        this.section = args.section;
    }
}
/**
 * The connection was lost after a migration was sent whole and before the database answered: it
 * commits all of it with its history row, or none of it (docs/architecture.md, "PostgreSQL in one
 * round trip"). Only the history can tell which.
 */
class MigrationOutcomeUnknownError extends JetbaseError {
    file;
    section;
    constructor(args) {
        const outcome = args.transactionalDdl === false
            ? 'was sent as one query and the connection was lost before the database answered: the database runs its statements in order until one fails, and its DDL commits as it goes, so any first part of it may be applied; its history row is written only if all of it ran. Run `jetbase status` to see whether it was recorded, and check the schema if it was not'
            : 'was sent as one transaction and the connection was lost before the database answered: the database applies all of it with its history row, or none of it. Run `jetbase status` to see which';
        super('DATABASE', `Migration ${sectionLabel(args.file, args.section)} ${outcome}: ${args.driverMessage}`, { cause: args.cause });
        this.name = 'MigrationOutcomeUnknownError';
        this.file = args.file;
        this.section = args.section;
    }
}
function errorMessage(error) {
    if (error instanceof Error)
        return error.message;
    return String(error);
}


/***/ }),

/***/ 50390:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Do: () => (/* binding */ latestVersioned),
/* harmony export */   F9: () => (/* binding */ tableExists),
/* harmony export */   Jn: () => (/* binding */ updateVersionChecksum),
/* harmony export */   Lu: () => (/* binding */ readHistory),
/* harmony export */   ME: () => (/* binding */ readLockRow),
/* harmony export */   OQ: () => (/* binding */ historyDelete),
/* harmony export */   cc: () => (/* binding */ deleteVersionRow),
/* harmony export */   gD: () => (/* binding */ readHistoryIfExists),
/* harmony export */   iU: () => (/* binding */ ensureLockTable),
/* harmony export */   kY: () => (/* binding */ historyWrite),
/* harmony export */   n_: () => (/* binding */ deleteRepeatableRow),
/* harmony export */   vN: () => (/* binding */ truthy),
/* harmony export */   yT: () => (/* binding */ ensureMigrationsTable)
/* harmony export */ });
function truthy(value) {
    if (typeof value === 'string')
        return value !== '' && value !== '0' && value.toLowerCase() !== 'false' && value !== 'f';
    if (typeof value === 'bigint')
        return value !== 0n;
    return Boolean(value);
}
function text(value) {
    if (value === null || value === undefined)
        return null;
    if (value instanceof Date)
        return value.toISOString().replace('T', ' ').replace('Z', '');
    return String(value);
}
async function tableExists(conn, sql, table) {
    const rows = await conn.query(sql.tableExists(table));
    const first = rows[0];
    if (!first)
        return false;
    return truthy(Object.values(first)[0]);
}
/** Creates `jetbase_migrations` when missing (its own statement, committed). */
async function ensureMigrationsTable(conn, sql) {
    await conn.execute(sql.createMigrationsTable);
}
/** Creates `jetbase_lock` and its row id = 1 when missing, in a transaction of its own (docs/format.md, "The lock table"). */
async function ensureLockTable(conn, sql) {
    await conn.transaction(async () => {
        await conn.execute(sql.createLockTable);
        await conn.execute(sql.initLockRow);
    });
}
const HISTORY_COLUMNS = 'order_executed, version, description, filename, migration_type, applied_at, checksum';
function toHistoryRow(row) {
    return {
        orderExecuted: Number(row.order_executed),
        version: text(row.version),
        description: text(row.description) ?? '',
        filename: text(row.filename) ?? '',
        migrationType: (text(row.migration_type) ?? 'VERSIONED'),
        appliedAt: text(row.applied_at),
        checksum: text(row.checksum),
    };
}
/** All rows, oldest first: `applied_at` ASC with `order_executed` as the tie-break (docs/format.md, "Reading the history"). */
async function readHistory(conn) {
    const rows = await conn.query(`SELECT ${HISTORY_COLUMNS} FROM jetbase_migrations ORDER BY applied_at ASC, order_executed ASC`);
    return rows.map(toHistoryRow);
}
/** The history, or an empty list when the table does not exist: read-only commands never create it. */
async function readHistoryIfExists(conn, sql) {
    if (!(await tableExists(conn, sql, 'jetbase_migrations')))
        return { exists: false, rows: [] };
    return { exists: true, rows: await readHistory(conn) };
}
/** The latest applied VERSIONED row: by applied_at, then order_executed. `rows` must be in readHistory order. */
function latestVersioned(rows) {
    for (let i = rows.length - 1; i >= 0; i--) {
        if (rows[i].migrationType === 'VERSIONED')
            return rows[i];
    }
    return undefined;
}
/** The history write of one migration: an INSERT, or for a repeatable that has a row, its UPDATE (docs/format.md, "The history table"). */
function historyWrite(sql, row, repeatableHasRow) {
    if (row.migrationType !== 'VERSIONED' && repeatableHasRow) {
        // A re-run keeps its row (and order_executed) and updates checksum and applied_at.
        return {
            sql: `UPDATE jetbase_migrations SET checksum = ?, applied_at = ${sql.now} WHERE filename = ? AND migration_type = ?`,
            params: [row.checksum, row.filename, row.migrationType],
        };
    }
    const params = [row.version, row.description, row.filename, row.migrationType, row.checksum];
    if (sql.insertSuppliesAppliedAt) {
        return {
            sql: `INSERT INTO jetbase_migrations (version, description, filename, migration_type, checksum, applied_at) VALUES (?, ?, ?, ?, ?, ${sql.now})`,
            params,
        };
    }
    return {
        sql: 'INSERT INTO jetbase_migrations (version, description, filename, migration_type, checksum) VALUES (?, ?, ?, ?, ?)',
        params,
    };
}
/** A rollback (and fix-files) deletes the VERSIONED row; Jetbase keeps no tombstone. */
function historyDelete(version) {
    return {
        sql: "DELETE FROM jetbase_migrations WHERE version = ? AND migration_type = 'VERSIONED'",
        params: [version],
    };
}
async function deleteVersionRow(conn, version) {
    const { sql, params } = historyDelete(version);
    return (await conn.execute(sql, params)).rowsAffected;
}
async function deleteRepeatableRow(conn, filename) {
    const result = await conn.execute("DELETE FROM jetbase_migrations WHERE filename = ? AND migration_type IN ('RUNS_ALWAYS', 'RUNS_ON_CHANGE')", [filename]);
    return result.rowsAffected;
}
async function updateVersionChecksum(conn, version, checksum) {
    await conn.execute("UPDATE jetbase_migrations SET checksum = ? WHERE version = ? AND migration_type = 'VERSIONED'", [checksum, version]);
}
async function readLockRow(conn) {
    const rows = await conn.query('SELECT is_locked, locked_at, process_id FROM jetbase_lock WHERE id = 1');
    const row = rows[0];
    if (!row)
        return undefined;
    return { isLocked: truthy(row.is_locked), lockedAt: text(row.locked_at), processId: text(row.process_id) };
}


/***/ }),

/***/ 35105:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Pq: () => (/* binding */ newProcessId),
/* harmony export */   YW: () => (/* binding */ localProcessState),
/* harmony export */   uu: () => (/* binding */ parseProcessId)
/* harmony export */ });
/* unused harmony export machineId */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(48161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_2__);
/**
 * Lock holder ids (the `process_id` column, VARCHAR(36)). Python Jetbase writes a random UUID v4;
 * we write a UUID v8 (RFC 9562 "custom") that says who holds the lock, so a waiting runner can
 * tell a holder that is gone from one that is working:
 *
 *   PPPPPPPP-MMMM-8MMM-vRRR-4a42RRRRRRRR
 *   P: the holder's OS process id (32 bits)   M: this machine's id (28 bits, see machineId)
 *   v: the RFC 9562 variant (8..b)            4a42: "JB", marks ids written by jetbase-action
 *   R: random (44 bits)
 *
 * An id of any other form (Python Jetbase, older versions of this tool) is never taken over.
 */



const OURS = /^([0-9a-f]{8})-([0-9a-f]{4})-8([0-9a-f]{3})-[89ab][0-9a-f]{3}-4a42[0-9a-f]{8}$/;
function readOrEmpty(read) {
    try {
        return read().trim();
    }
    catch {
        return '';
    }
}
let cachedMachineId;
/**
 * 7 hex digits naming this machine and PID namespace: the host name, the boot id (a reboot
 * reuses process ids) and the PID namespace (containers on one host share a boot id but not
 * their process ids). Only Linux has the last two; elsewhere the host name alone.
 */
function machineId() {
    cachedMachineId ??= (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256')
        .update([
        (0,node_os__WEBPACK_IMPORTED_MODULE_2__.hostname)(),
        readOrEmpty(() => (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)('/proc/sys/kernel/random/boot_id', 'utf8')),
        readOrEmpty(() => (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readlinkSync)('/proc/self/ns/pid')),
    ].join('\n'))
        .digest('hex')
        .slice(0, 7);
    return cachedMachineId;
}
function newProcessId(pid = process.pid) {
    const random = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(6).toString('hex');
    const variant = (8 + ((0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(1)[0] & 3)).toString(16);
    const machine = machineId();
    const pidHex = (pid >>> 0).toString(16).padStart(8, '0');
    return `${pidHex}-${machine.slice(0, 4)}-8${machine.slice(4)}-${variant}${random.slice(0, 3)}-4a42${random.slice(3, 11)}`;
}
/** The pid and machine of a holder id we wrote; undefined for any other id (never taken over). */
function parseProcessId(processId) {
    const match = processId === null ? null : OURS.exec(processId);
    if (!match)
        return undefined;
    return { pid: Number.parseInt(match[1], 16), machine: `${match[2]}${match[3]}` };
}
/**
 * Whether the OS process behind a holder id still exists, when it ran on this machine: signal 0
 * checks existence without sending anything. A zombie (killed, not yet reaped) counts as gone.
 * Another machine, or an id we did not write, is 'unknown'. A reused pid reads as 'alive': the
 * safe mistake (the runner waits).
 */
function localProcessState(processId) {
    const holder = parseProcessId(processId);
    if (holder === undefined || holder.machine !== machineId())
        return 'unknown';
    try {
        process.kill(holder.pid, 0);
    }
    catch (error) {
        // EPERM: it exists but belongs to someone else.
        return error.code === 'ESRCH' ? 'gone' : 'alive';
    }
    const stat = readOrEmpty(() => (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)(`/proc/${holder.pid}/stat`, 'utf8'));
    // `pid (comm) S …`: the state letter follows the last ')'.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' ? 'gone' : 'alive';
}


/***/ }),

/***/ 20649:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $1: () => (/* binding */ redactUrlsIn),
/* harmony export */   $p: () => (/* binding */ redactor),
/* harmony export */   eo: () => (/* binding */ secretForms)
/* harmony export */ });
/* unused harmony export Redactor */
/**
 * Secret masking for every output path (docs/format.md, "Database URLs"). A secret is masked in the forms it tends
 * to reappear in: as written, URL-encoded (in a connection URL), form-encoded, base64 (in auth
 * headers and driver dumps), JSON-escaped (in JSON log lines) and, for PEM keys, line by line.
 */
const MASK = '***';
/** Derived forms only for secrets at least this long: masking every "ab" base64 form helps no one. */
const MIN_DERIVED_LENGTH = 3;
/** Lines of a multi-line secret masked on their own when they are at least this long. */
const MIN_LINE_LENGTH = 8;
class Redactor {
    /** Every form to mask, kept sorted longest first so a longer form is never cut by a shorter one. */
    forms = [];
    registered = [];
    add(secret) {
        if (secret === null || secret === undefined || secret === '')
            return;
        if (this.registered.includes(secret))
            return;
        this.registered.push(secret);
        const forms = new Set(this.forms);
        for (const form of derivedForms(secret))
            forms.add(form);
        this.forms = [...forms].sort((a, b) => b.length - a.length);
    }
    /** `text` with every registered secret form, and any `scheme://user:password@` password, masked. */
    redact(text) {
        let result = text;
        for (const form of this.forms) {
            if (result.includes(form))
                result = result.split(form).join(MASK);
        }
        return redactUrlsIn(result);
    }
    /** The secrets as added (not their derived forms). */
    get secrets() {
        return this.registered;
    }
}
/**
 * Every form `redact()` masks for one secret (as written, encoded, per PEM line): for shells that
 * must register each form with another masker too, e.g. the Actions runner's `add-mask`.
 */
function secretForms(secret) {
    return secret === '' ? [] : derivedForms(secret);
}
function derivedForms(secret) {
    const forms = [secret];
    if (secret.length < MIN_DERIVED_LENGTH)
        return forms;
    const bytes = Buffer.from(secret, 'utf8');
    const base64 = bytes.toString('base64');
    forms.push(encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2), base64, base64.replace(/=+$/, ''), bytes.toString('base64url'), JSON.stringify(secret).slice(1, -1));
    if (/[\r\n]/.test(secret)) {
        for (const line of secret.split(/\r?\n|\r/)) {
            const trimmed = line.trim();
            if (trimmed.length >= MIN_LINE_LENGTH && !/^-----(BEGIN|END)[^-]*-----$/.test(trimmed))
                forms.push(trimmed);
        }
    }
    return forms.filter((form) => form.length > 0);
}
/**
 * Masks the password of every `scheme://user:password@` in `text`, known secret or not. The
 * password runs to the last '@' of the URL, so a raw '@' in it is masked too (over-masking a
 * query value that holds '@' is the safe mistake).
 */
function redactUrlsIn(text) {
    return text.replace(/\b([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^\s:/?#@'"<>`]*):([^\s'"<>`]*)@/g, (match, scheme, user, password) => password === MASK ? match : `${scheme}${user}:${MASK}@`);
}
/** The process-wide redactor every output path uses. */
const redactor = new Redactor();


/***/ })

};

//# sourceMappingURL=745.index.js.map