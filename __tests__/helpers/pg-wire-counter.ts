/**
 * A loopback proxy in front of PostgreSQL that reads the frontend side of the wire protocol and
 * counts what a client sent: round trips are the messages after which a client must wait for the
 * server (a simple Query, or a Sync closing a batch of extended-protocol messages). It forwards
 * bytes unchanged; it cannot read TLS, so the server under test must refuse it (sslmode=prefer
 * falls back to plain).
 */
import net, { type AddressInfo, type Socket } from 'node:net';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

export interface WireCounts {
  /** Query ('Q') + Sync ('S') messages: each waits for ReadyForQuery. */
  roundTrips: number;
  /** Simple Query messages. */
  queries: number;
  /** Parse messages (one statement each, extended protocol). */
  parses: number;
  /** TCP connections accepted. */
  connections: number;
}

export class PgWireCounter {
  counts: WireCounts = { roundTrips: 0, queries: 0, parses: 0, connections: 0 };
  /** The texts of Query and Parse messages, in order. */
  texts: string[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly server = net.createServer((client) => this.accept(client));

  private constructor(private readonly upstream: { host: string; port: number }) {}

  /** A counter listening on a free loopback port in front of `upstreamUrl`'s host and port. */
  static async start(upstreamUrl: string): Promise<PgWireCounter> {
    const url = new URL(upstreamUrl);
    const counter = new PgWireCounter({ host: url.hostname, port: Number(url.port || 5432) });
    await new Promise<void>((resolve) => counter.server.listen(0, '127.0.0.1', resolve));
    return counter;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** `url` with its host and port replaced by this proxy's. */
  through(url: string): string {
    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(this.port);
    return proxied.toString();
  }

  reset(): void {
    this.counts = { roundTrips: 0, queries: 0, parses: 0, connections: 0 };
    this.texts = [];
  }

  /** Destroys both sides of every open connection, as a network failure would. */
  cutNow(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.cutNow();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.counts.connections += 1;
    const server = net.connect(this.upstream);
    for (const socket of [client, server]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.on('close', () => server.destroy());
    server.on('close', () => client.destroy());
    server.pipe(client);
    let pending = Buffer.alloc(0);
    let startup = true; // until the StartupMessage, messages have no type byte
    client.on('data', (chunk: Buffer) => {
      server.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        if (startup) {
          if (pending.length < 8) break;
          const length = pending.readInt32BE(0);
          if (pending.length < length) break;
          const code = pending.readInt32BE(4);
          if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) {
            startup = false;
            this.counts.roundTrips += 1;
          }
          pending = pending.subarray(length);
          continue;
        }
        if (pending.length < 5) break;
        const length = pending.readInt32BE(1);
        if (pending.length < length + 1) break;
        this.count(String.fromCharCode(pending[0]!), pending.subarray(5, length + 1));
        pending = pending.subarray(length + 1);
      }
    });
  }

  private count(type: string, body: Buffer): void {
    if (type === 'Q') {
      this.counts.queries += 1;
      this.counts.roundTrips += 1;
      this.texts.push(body.subarray(0, body.indexOf(0)).toString('utf8'));
    } else if (type === 'S') {
      this.counts.roundTrips += 1;
    } else if (type === 'P') {
      this.counts.parses += 1;
      const nameEnd = body.indexOf(0);
      this.texts.push(body.subarray(nameEnd + 1, body.indexOf(0, nameEnd + 1)).toString('utf8'));
    } else if (type === 'p') {
      // A password or SASL message: the client waits for the server's answer.
      this.counts.roundTrips += 1;
    }
  }
}
