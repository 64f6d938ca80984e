/**
 * PostgreSQL's CancelRequest: a new connection that names a session by its process id and secret
 * key (from BackendKeyData) and asks the server to interrupt whatever that session is running. The
 * server answers nothing and closes the connection once it has signalled the session; a session
 * that is idle by then ignores it. node-postgres has no API for it in pure JavaScript.
 */
import net from 'node:net';

const CANCEL_REQUEST_CODE = 80877102;
/** A cancel that cannot reach the server in this time is given up: the migration then runs to its end. */
const CANCEL_TIMEOUT_MS = 5_000;

export interface CancelTarget {
  readonly host: string;
  readonly port: number;
  readonly processId: number;
  readonly secretKey: number;
}

/** Sends the request; resolves once the server closed the connection (or it failed). Never rejects. */
export function sendCancelRequest(target: CancelTarget): Promise<void> {
  return new Promise((resolve) => {
    // A host that is a directory is a Unix socket, as libpq spells it.
    const socket = target.host.startsWith('/')
      ? net.connect({ path: `${target.host}/.s.PGSQL.${target.port}` })
      : net.connect({ host: target.host, port: target.port });
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
