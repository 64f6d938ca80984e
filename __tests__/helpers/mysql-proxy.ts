/**
 * A loopback TCP proxy in front of MySQL/MariaDB that counts the COM_QUERY packets clients send:
 * what a round trip is on that protocol (one command, its replies). It reads the client's bytes as
 * the protocol frames them (3-byte length, sequence id, payload); a command is a packet with
 * sequence id 0, COM_QUERY one whose payload starts with 0x03 (then the text, on MariaDB; MySQL 8
 * puts query attributes before it).
 */
import net, { type AddressInfo, type Socket } from 'node:net';

const COM_QUERY = 0x03;

export class MysqlQueryCounter {
  /** The text of every COM_QUERY so far, in order, all connections. */
  readonly queries: string[] = [];
  /** When set, each COM_QUERY's text goes to the server as this returns it (a server that differs). */
  rewrite: ((sql: string) => string) | undefined;
  /** When set, the connection that sends a COM_QUERY this matches is cut once the query has passed. */
  cutAfter: ((sql: string) => boolean) | undefined;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  static async start(upstream: { host: string; port: number }): Promise<MysqlQueryCounter> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const counter = new MysqlQueryCounter(server, (server.address() as AddressInfo).port);
    server.on('connection', (client) => counter.accept(client, upstream));
    return counter;
  }

  get count(): number {
    return this.queries.length;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket, upstream: { host: string; port: number }): void {
    const server = net.connect(upstream);
    for (const socket of [client, server]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        server.destroy();
      });
    }
    let pending = Buffer.alloc(0);
    // Whole packets are passed on, so that a query can be rewritten.
    client.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4) {
        const length = pending.readUIntLE(0, 3);
        if (pending.length < 4 + length) break;
        let packet: Buffer = pending.subarray(0, 4 + length);
        pending = pending.subarray(4 + length);
        if (packet[3] === 0 && packet[4] === COM_QUERY) {
          const sql = packet.subarray(5).toString('utf8');
          this.queries.push(sql);
          if (this.rewrite) packet = queryPacket(this.rewrite(sql));
        }
        server.write(packet);
        if (
          packet[3] === 0 &&
          packet[4] === COM_QUERY &&
          this.cutAfter?.(packet.subarray(5).toString('utf8'))
        ) {
          this.cutAfter = undefined;
          // The query reaches the server whole; its answers never reach the client.
          server.end();
          client.destroy();
          return;
        }
      }
    });
    server.on('data', (chunk: Buffer) => client.write(chunk));
  }
}

/** A COM_QUERY packet (sequence id 0) of `sql`, which must fit one packet. */
function queryPacket(sql: string): Buffer {
  const payload = Buffer.concat([Buffer.from([COM_QUERY]), Buffer.from(sql, 'utf8')]);
  const header = Buffer.alloc(4);
  header.writeUIntLE(payload.length, 0, 3);
  return Buffer.concat([header, payload]);
}

/** The database URL with its host and port replaced (the rest, credentials included, kept). */
export function viaPort(raw: string, port: number): string {
  const scheme = raw.slice(0, raw.indexOf(':'));
  const url = new URL(raw.replace(/^[a-z0-9+]+:/i, 'http:'));
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return `${scheme}:${url.toString().slice('http:'.length)}`;
}
