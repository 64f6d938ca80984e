/**
 * A loopback TCP proxy in front of PostgreSQL that reads the frontend side of the wire protocol
 * (https://www.postgresql.org/docs/current/protocol-message-formats.html) and counts what a client
 * sends, and optionally delays every byte to play a database that is far away.
 *
 * Counted (all connections since the last reset()):
 * - statements: simple `Query` + extended-protocol `Execute` messages (a multi-statement simple
 *   query counts once);
 * - roundTrips: `Query` + `Sync` messages: each waits for the server's ReadyForQuery;
 * - startupRoundTrips: the connection start-up exchange, each message of which waits for an answer:
 *   SSLRequest / GSSENCRequest, StartupMessage, and every password / SASL message (`p`);
 * - connections (TCP; each costs one more round trip on a real network, the TCP handshake);
 * - firstQueryAt: performance.now() at the first Query or Parse, the clock runProcess() uses.
 *
 * Delay (`delayMs`): MS/2 on each direction, bytes kept in order, so every request/answer round trip
 * costs MS more; the first bytes of each connection wait MS longer, the TCP handshake a real
 * network costs before a client may send. Bounded: at most `maxConnections` open at once (more are
 * closed at once and counted as refused), and after `lifetimeMs` the proxy closes itself. Nothing it
 * holds keeps a process alive (server, sockets and timers are unref'd).
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

const emptyCounts = () => ({
  statements: 0,
  roundTrips: 0,
  startupRoundTrips: 0,
  connections: 0,
  refused: 0,
  cancels: 0,
  // Connections whose stream stopped parsing (a length no valid message has): their counts are short.
  unparsed: 0,
  bytesUp: 0,
  bytesDown: 0,
  // With a delay: how long chunks were held in all (the handshake's extra wait left out) and how many.
  heldMs: 0,
  heldChunks: 0,
});

/** Folds what varies between migrations, so the same statement shape counts as one text. */
function fold(text) {
  return text
    .replace(/'(?:[^']|'')*'/g, "'…'")
    .replace(/\d+/g, 'N')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120);
}

/**
 * Splits one direction's byte stream into frontend messages. Startup messages have no type byte
 * (length, then a code); once a StartupMessage has passed every message is a type byte + length.
 */
export class FrontendParser {
  #buffer = Buffer.alloc(0);
  #started = false;
  // A length no valid message has: stop reading (the bytes still pass; only the counting stops).
  #broken = false;

  /** @param {(type: string, body: Buffer) => void} onMessage type '' for untyped start-up messages */
  constructor(onMessage) {
    this.onMessage = onMessage;
  }

  /** True once a length no valid message has was seen: the rest of the stream is not counted. */
  get broken() {
    return this.#broken;
  }

  push(chunk) {
    if (this.#broken) return;
    this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk;
    let at = 0;
    for (;;) {
      const left = this.#buffer.length - at;
      if (!this.#started) {
        if (left < 8) break;
        const length = this.#buffer.readInt32BE(at);
        if (length < 8) {
          this.#broken = true;
          break;
        }
        if (left < length) break;
        const body = this.#buffer.subarray(at + 4, at + length);
        const code = body.readInt32BE(0);
        // After SSLRequest/GSSENCRequest the server answers one byte and the client sends another start-up message.
        if (code !== SSL_REQUEST && code !== GSSENC_REQUEST && code !== CANCEL_REQUEST) this.#started = true;
        this.onMessage('', body);
        at += length;
      } else {
        if (left < 5) break;
        const length = this.#buffer.readInt32BE(at + 1);
        if (length < 4) {
          this.#broken = true;
          break;
        }
        if (left < 1 + length) break;
        this.onMessage(String.fromCharCode(this.#buffer[at]), this.#buffer.subarray(at + 5, at + 1 + length));
        at += 1 + length;
      }
    }
    this.#buffer = at === this.#buffer.length ? Buffer.alloc(0) : Buffer.from(this.#buffer.subarray(at));
  }
}

const cString = (buffer, from) => {
  const end = buffer.indexOf(0, from);
  return [buffer.toString('utf8', from, end), end + 1];
};

export class CountingProxy {
  /**
   * @param {{ host: string, port: number, delayMs?: number, maxConnections?: number, lifetimeMs?: number }} options
   */
  constructor({ host, port, delayMs = 0, maxConnections = 64, lifetimeMs = 2 * 60 * 60_000 }) {
    this.upstream = { host, port };
    this.delayMs = delayMs;
    this.maxConnections = maxConnections;
    this.lifetimeMs = lifetimeMs;
    this.sockets = new Set();
    this.open = 0;
    this.closed = false;
    // Half-open allowed: each direction ends on its own, after what is queued on it has been written.
    this.server = net.createServer({ allowHalfOpen: true }, (client) => this.#accept(client));
    this.server.on('error', () => undefined);
    this.reset();
  }

  /** Listens on a free port of 127.0.0.1 (only); resolves to the port. */
  async listen(port = 0) {
    await new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', resolve);
    });
    this.server.unref();
    this.lifetime = setTimeout(() => void this.close(), this.lifetimeMs);
    this.lifetime.unref();
    this.port = this.server.address().port;
    return this.port;
  }

  reset() {
    this.counts = emptyCounts();
    this.firstQueryAt = undefined;
    this.texts = new Map();
  }

  summary() {
    return { ...this.counts };
  }

  /** The statement texts seen most often (Query texts, and the Parse text of each Execute). */
  topTexts(limit = 12) {
    return [...this.texts.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit);
  }

  /** Destroys both sides of every open connection, as a network failure would; keeps listening. */
  cutNow() {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  async close() {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.lifetime);
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (this.server.listening) await new Promise((resolve) => this.server.close(() => resolve()));
  }

  #text(text) {
    const key = fold(text);
    this.texts.set(key, (this.texts.get(key) ?? 0) + 1);
  }

  #accept(client) {
    if (this.closed || this.open >= this.maxConnections) {
      this.counts.refused += 1;
      client.destroy();
      return;
    }
    this.open += 1;
    this.counts.connections += 1;
    const server = net.connect({ ...this.upstream, allowHalfOpen: true });
    const prepared = new Map();
    const portals = new Map();
    const parser = new FrontendParser((type, body) => {
      const c = this.counts;
      switch (type) {
        case '': {
          const code = body.readInt32BE(0);
          if (code === CANCEL_REQUEST) c.cancels += 1;
          else c.startupRoundTrips += 1;
          break;
        }
        case 'p':
          c.startupRoundTrips += 1;
          break;
        case 'Q':
          this.firstQueryAt ??= performance.now();
          c.statements += 1;
          c.roundTrips += 1;
          this.#text(cString(body, 0)[0]);
          break;
        case 'P': {
          this.firstQueryAt ??= performance.now();
          const [name, next] = cString(body, 0);
          prepared.set(name, cString(body, next)[0]);
          break;
        }
        case 'B': {
          const [portal, next] = cString(body, 0);
          portals.set(portal, prepared.get(cString(body, next)[0]) ?? '(unknown prepared statement)');
          break;
        }
        case 'E':
          c.statements += 1;
          this.#text(portals.get(cString(body, 0)[0]) ?? '(unknown portal)');
          break;
        case 'S':
          c.roundTrips += 1;
          break;
        default:
      }
    });
    const pair = [client, server];
    for (const socket of pair) {
      this.sockets.add(socket);
      socket.unref();
      socket.setNoDelay(true);
      socket.on('error', () => undefined);
      socket.once('close', (hadError) => {
        this.sockets.delete(socket);
        if (socket === client) this.open -= 1;
        // A reset or failed connect: the other side goes too (a clean end travels through #pipe).
        if (hadError) for (const other of pair) if (other !== socket) other.destroy();
      });
    }
    this.#pipe(client, server, true, (chunk) => {
      this.counts.bytesUp += chunk.length;
      const wasBroken = parser.broken;
      parser.push(chunk);
      if (parser.broken && !wasBroken) this.counts.unparsed += 1;
    });
    this.#pipe(server, client, false, (chunk) => (this.counts.bytesDown += chunk.length));
  }

  /** Forwards from → to, each chunk after delayMs/2 (with `handshake`, the first one after 1.5 × delayMs), in order. */
  #pipe(from, to, handshake, onChunk) {
    const half = this.delayMs / 2;
    const queue = [];
    let timer;
    let ended = false;
    let first = handshake;
    // Timers run on libuv's cached millisecond clock, so they fire up to a millisecond or so early or
    // late: aim by the mean error seen so far (an integrator) and send what is due within 1 ms, so
    // holds average out at the delay asked for (the bench prints the mean), never more than 1 ms short.
    let lateness = 0;
    const flush = () => {
      timer = undefined;
      const now = performance.now();
      while (queue.length && queue[0].due <= now + 1) {
        const { chunk, arrived, extra, due } = queue.shift();
        lateness = Math.min(3, Math.max(-3, lateness + 0.1 * (now - due)));
        this.counts.heldMs += now - arrived - extra;
        this.counts.heldChunks += 1;
        to.write(chunk);
      }
      if (queue.length) schedule();
      else if (ended) to.end();
    };
    const schedule = () => {
      timer = setTimeout(flush, Math.max(0, queue[0].due - performance.now() - lateness));
      timer.unref();
    };
    from.on('data', (chunk) => {
      onChunk(chunk);
      if (this.delayMs <= 0) {
        to.write(chunk);
        return;
      }
      const arrived = performance.now();
      const extra = first ? this.delayMs : 0;
      first = false;
      // Due times only grow (the first chunk's extra wait holds back the ones after it), so order is kept.
      queue.push({ due: Math.max(arrived + half + extra, queue.at(-1)?.due ?? 0), chunk, arrived, extra });
      if (!timer) schedule();
    });
    from.once('end', () => {
      ended = true;
      if (!timer) to.end();
    });
  }
}
