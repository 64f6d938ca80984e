export const id = 826;
export const ids = [826];
export const modules = {

/***/ 94826:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   postgresqlLockHolder: () => (/* binding */ postgresqlLockHolder)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _engine_history_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(50390);
/**
 * Lock holder liveness on PostgreSQL (src/engine/lock.ts): the holder's session keeps a
 * session-level advisory lock keyed to its process id. PostgreSQL drops it when the session ends
 * (the client was killed, the connection cut and noticed by the server), never while the session
 * lives, even mid-statement. A waiter that can take the advisory lock itself knows the holder is
 * gone; it lets go of it at once.
 */


/** Two int4 keys from the process id (the two-key form leaves the one-bigint space to applications). */
function advisoryKeys(processId) {
    const digest = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(`jetbase-lock:${processId}`).digest();
    return `${digest.readInt32BE(0)}, ${digest.readInt32BE(4)}`;
}
async function firstValue(conn, sql) {
    const [row] = await conn.query(sql);
    return row === undefined ? undefined : Object.values(row)[0];
}
const postgresqlLockHolder = {
    async claim(conn, processId) {
        // Keys are integers computed here: inlined, no parameter types to resolve.
        if (!(0,_engine_history_js__WEBPACK_IMPORTED_MODULE_1__/* .truthy */ .vN)(await firstValue(conn, `SELECT pg_try_advisory_lock(${advisoryKeys(processId)})`)))
            throw new Error(`Another session already holds the advisory lock of process ${processId}.`);
    },
    async unclaim(conn, processId) {
        await conn.query(`SELECT pg_advisory_unlock(${advisoryKeys(processId)})`);
    },
    async state(conn, processId) {
        const keys = advisoryKeys(processId);
        if (!(0,_engine_history_js__WEBPACK_IMPORTED_MODULE_1__/* .truthy */ .vN)(await firstValue(conn, `SELECT pg_try_advisory_lock(${keys})`)))
            return 'alive';
        await conn.query(`SELECT pg_advisory_unlock(${keys})`);
        return 'gone';
    },
};


/***/ })

};

