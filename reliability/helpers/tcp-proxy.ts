/**
 * A loopback TCP proxy between a runner and a database that can cut every connection at once:
 * on demand, or once a number of bytes has passed (both directions counted). Its port can be
 * reserved before it listens, to play a database that is still starting.
 */
import net, { type AddressInfo, type Socket } from 'node:net';

export class TcpProxy {
  /** Bytes forwarded so far, both directions, all connections. */
  bytes = 0;
  /** Connections accepted so far. */
  connections = 0;
  private readonly sockets = new Set<Socket>();
  private cutAt: number | undefined;
  private readonly server: net.Server;

  private constructor(
    readonly port: number,
    private readonly upstream: { host: string; port: number },
  ) {
    this.server = net.createServer((client) => this.accept(client));
  }

  /** A proxy on a free loopback port, not listening yet. */
  static async reserve(upstream: { host: string; port: number }): Promise<TcpProxy> {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return new TcpProxy(port, upstream);
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  /** Cuts every connection once `bytes` more bytes have passed; later connections pass untouched. */
  cutAfter(bytes: number): void {
    this.cutAt = this.bytes + bytes;
  }

  /** Destroys both sides of every open connection, as a network failure would. */
  cutNow(): void {
    this.cutAt = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  async close(): Promise<void> {
    this.cutNow();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.connections += 1;
    const server = net.connect(this.upstream);
    for (const socket of [client, server]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        server.destroy();
      });
    }
    const forward = (from: Socket, to: Socket) =>
      from.on('data', (chunk: Buffer) => {
        this.bytes += chunk.length;
        if (this.cutAt !== undefined && this.bytes >= this.cutAt) {
          this.cutNow();
          return;
        }
        to.write(chunk);
      });
    forward(client, server);
    forward(server, client);
  }
}
