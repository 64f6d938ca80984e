export const id = 221;
export const ids = [221];
export const modules = {

/***/ 83221:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   evaluateEnvPy: () => (/* binding */ evaluateEnvPy)
/* harmony export */ });
/* unused harmony exports PYTHON_TIMEOUT_MS, PYTHON_MAX_OUTPUT_BYTES, describePython */
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(31421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(73136);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_url__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(17679);
/* harmony import */ var _report_redact_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(20649);
/* harmony import */ var _env_py_errors_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(46537);
/* harmony import */ var _env_py_values_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(91152);
/* harmony import */ var _secret_names_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(19905);
/**
 * Evaluating env.py with Python, for the files the static reader cannot read. The Python program
 * (env-py-driver.py, shipped next to this module in lib/ and in the bundle) imports env.py the
 * way Jetbase does and prints one JSON answer; this module starts it, bounded in time and output,
 * and turns its answer into values or a one-line error with secrets masked.
 */









/** env.py that does not finish within this time is stopped (killed, so that ignoring SIGTERM does not help). */
const PYTHON_TIMEOUT_MS = 30_000;
/** Python that writes more than this to stdout or stderr is stopped: the answer is a few lines. */
const PYTHON_MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
/** Error messages are cut to this length: they end up in one log line, summary row or annotation. */
const MAX_MESSAGE_LENGTH = 300;
const ANSWER_MARKER = '@@jetbase-env-answer@@';
/** `python3`, `py -3`: the command as a user would type it, for messages. */
function describePython(python) {
    return [python.executable, ...python.args].join(' ');
}
/**
 * Evaluates env.py with `python`, in `env` (the whole environment the process gets). Python errors
 * become one-line ConfigErrors without values; reading an unset variable from os.environ becomes
 * an EnvPyMissingVariableError naming it. `limits` exist for tests; the defaults are the limits.
 */
async function evaluateEnvPy(args) {
    const envPyPath = node_path__WEBPACK_IMPORTED_MODULE_2___default().resolve(args.envPyPath);
    const request = JSON.stringify({
        envPy: envPyPath,
        keys: _env_py_values_js__WEBPACK_IMPORTED_MODULE_8__/* .CONFIG_KEYS */ .m,
        marker: ANSWER_MARKER,
        secretNameWords: (0,_secret_names_js__WEBPACK_IMPORTED_MODULE_7__/* .secretNameWords */ .H_)('environment-variable'),
        minMaskedLength: _secret_names_js__WEBPACK_IMPORTED_MODULE_7__/* .MIN_MASKED_VALUE_LENGTH */ .uU,
    });
    const { stdout, failure } = await runPython(args.python, ['-c', driverSource(), request], {
        cwd: node_path__WEBPACK_IMPORTED_MODULE_2___default().dirname(envPyPath),
        env: { ...args.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8' },
        timeoutMs: args.limits?.timeoutMs ?? PYTHON_TIMEOUT_MS,
        maxOutputBytes: args.limits?.maxOutputBytes ?? PYTHON_MAX_OUTPUT_BYTES,
    });
    const markerAt = stdout.lastIndexOf(ANSWER_MARKER);
    if (failure !== null || markerAt < 0) {
        const reason = failure ?? 'it printed no answer';
        throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigError */ .xL(`Could not evaluate env.py with ${describePython(args.python)}: ${scrubMessage(reason, args.env)}`);
    }
    const answer = JSON.parse(stdout.slice(markerAt + ANSWER_MARKER.length).split('\n')[0]);
    if (answer.error) {
        const { type, message, line, stage, missingVariable } = answer.error;
        const where = stage === 'env.py'
            ? `env.py${line === null ? '' : ` line ${line}`}`
            : `env.py ${stage}${line === null ? '' : ` (line ${line})`}`;
        const text = scrubMessage(message, args.env);
        const summary = `Error in ${where}: ${type}${text ? `: ${text}` : ''}`;
        if (typeof missingVariable === 'string' && missingVariable !== '')
            throw new _env_py_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .EnvPyMissingVariableError */ .T(summary, missingVariable);
        throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigError */ .xL(summary);
    }
    return {
        values: (0,_env_py_values_js__WEBPACK_IMPORTED_MODULE_8__/* .configValuesOf */ .O)(answer.values ?? {}),
        usedDotenvStandIn: answer.usedDotenvStandIn === true,
    };
}
let cachedDriverSource;
/** The Python program's text, read once from the file next to this module (or to the bundle). */
function driverSource() {
    if (cachedDriverSource !== undefined)
        return cachedDriverSource;
    const file = new URL(/* asset import */ __webpack_require__(89592), __webpack_require__.b);
    try {
        cachedDriverSource = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)(file, 'utf8');
    }
    catch {
        throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigError */ .xL(`jetbase-action is installed incompletely: ${(0,node_url__WEBPACK_IMPORTED_MODULE_3__.fileURLToPath)(file)} is missing, so env.py cannot be evaluated.`, {
            hint: 'Reinstall jetbase-action, or set JETBASE_SQLALCHEMY_URL (the action input database-url) instead.',
        });
    }
    return cachedDriverSource;
}
/** One line, at most MAX_MESSAGE_LENGTH characters, with URL passwords and the values of secret-named variables masked. */
function scrubMessage(message, env) {
    let text = _report_redact_js__WEBPACK_IMPORTED_MODULE_5__/* .redactor */ .$p
        .redact((0,_report_redact_js__WEBPACK_IMPORTED_MODULE_5__/* .redactUrlsIn */ .$1)(message))
        .replace(/\s*[\r\n]+\s*/g, ' ')
        .trim();
    for (const value of (0,_secret_names_js__WEBPACK_IMPORTED_MODULE_7__/* .secretValuesOf */ .WD)(env))
        text = text.split(value).join('***');
    return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text;
}
/**
 * Runs Python to the end and returns its stdout, or why it failed. Its stderr (env.py's prints
 * and tracebacks) is never shown as is: only its last line, scrubbed by the caller, explains a
 * failure that left no answer.
 */
function runPython(python, argv, options) {
    return new Promise((resolve) => {
        (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.execFile)(python.executable, [...python.args, ...argv], {
            cwd: options.cwd,
            env: options.env,
            timeout: options.timeoutMs,
            killSignal: 'SIGKILL',
            maxBuffer: options.maxOutputBytes,
            encoding: 'utf8',
            windowsHide: true,
        }, (error, stdout, stderr) => {
            if (!error)
                return resolve({ stdout, failure: null });
            const code = error.code;
            let failure;
            if (code === 'ENOENT')
                failure = 'the interpreter was not found';
            else if (code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
                failure = `it wrote more than ${formatBytes(options.maxOutputBytes)} of output`;
            else if (error.killed)
                failure = `it did not finish within ${options.timeoutMs / 1000} s`;
            else if (error.signal)
                failure = `it was stopped by ${error.signal}`;
            else
                failure = lastLine(stderr) || `it exited with code ${String(code)}`;
            resolve({ stdout, failure });
        });
    });
}
function formatBytes(bytes) {
    return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0
        ? `${bytes / (1024 * 1024)} MiB`
        : `${bytes} bytes`;
}
function lastLine(text) {
    const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
    return lines[lines.length - 1]?.trim() ?? '';
}


/***/ }),

/***/ 89592:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {

module.exports = __webpack_require__.p + "225d1033589556c69014.py";

/***/ })

};

//# sourceMappingURL=221.index.js.map