/**
 * bench/lib/proxy.mjs, the bench's counting and delay proxy: it must count what a real client sends
 * (the latency bench's round-trip figures come from it), keep bytes in order while it delays them,
 * hold each direction at least the delay asked for, and stay bounded.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import pg from 'pg';

import { CountingProxy, FrontendParser } from '../../bench/lib/proxy.mjs';

const PROXY_MODULE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bench/lib/proxy.mjs');
const PG_URL = process.env.JETBASE_TEST_PG_URL;
const itWithPg = PG_URL ? it : it.skip;

function typed(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}
function untyped(code: number, rest = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + rest.length, 0);
  head.writeInt32BE(code, 4);
  return Buffer.concat([head, rest]);
}
const cstr = (...parts: string[]) => Buffer.from(parts.map((p) => `${p}\0`).join(''), 'utf8');

/** A loopback server that echoes every byte back. */
async function echoServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function connectTo(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('FrontendParser', () => {
  it('splits the frontend stream into messages, however the bytes are chunked', () => {
    const stream = Buffer.concat([
      untyped(80877103), // SSLRequest: the server answers one byte, the client starts over
      untyped(196608, cstr('user', 'bench', '')),
      typed('p', cstr('SCRAM-SHA-256')),
      typed('Q', cstr('SELECT 1; SELECT 2')),
      typed('P', Buffer.concat([cstr('s1', 'SELECT $1'), Buffer.alloc(2)])),
      typed('S', Buffer.alloc(0)),
      typed('X', Buffer.alloc(0)),
    ]);
    for (const step of [1, 3, stream.length]) {
      const seen: [string, string][] = [];
      const parser = new FrontendParser((type, body) => seen.push([type, body.toString('latin1')]));
      for (let at = 0; at < stream.length; at += step) parser.push(stream.subarray(at, at + step));
      expect(seen.map(([type]) => type)).toEqual(['', '', 'p', 'Q', 'P', 'S', 'X']);
      expect(seen[3]![1]).toBe('SELECT 1; SELECT 2\0');
    }
  });

  it('stops at a length no message has, instead of looping or miscounting', () => {
    const seen: string[] = [];
    const parser = new FrontendParser((type) => seen.push(type));
    const bad = Buffer.from([0x51, 0xff, 0xff, 0xff, 0xfc]); // 'Q' with length -4
    parser.push(Buffer.concat([untyped(196608, cstr('user', 'x', '')), bad, typed('S', Buffer.alloc(0))]));
    expect(parser.broken).toBe(true);
    expect(seen).toEqual(['']);
  });
});

describe('CountingProxy', () => {
  itWithPg('counts a known node-postgres exchange: statements, round trips, start-up, texts', async () => {
    const url = new URL(PG_URL!.replace(/^[a-z0-9+]+:/i, 'http:'));
    const proxy = new CountingProxy({ host: url.hostname, port: Number(url.port) });
    const port = await proxy.listen();
    const client = new pg.Client({
      host: '127.0.0.1',
      port,
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      database: url.pathname.slice(1),
    });
    try {
      await client.connect();
      // The test server authenticates with SCRAM: StartupMessage, then two SASL messages.
      expect(proxy.summary()).toMatchObject({ startupRoundTrips: 3, statements: 0, roundTrips: 0 });
      await client.query('SELECT 1; SELECT 2'); // one simple Query: 1 statement, 1 round trip
      await client.query('SELECT $1::int AS x', [7]); // Parse/Bind/Describe/Execute/Sync: 1 and 1
      for (const value of [1, 2])
        await client.query({ name: 'plus', text: 'SELECT $1::int + 1', values: [value] });
    } finally {
      await client.end();
      await proxy.close();
    }
    expect(proxy.summary()).toMatchObject({
      statements: 4,
      roundTrips: 4,
      startupRoundTrips: 3,
      connections: 1,
      refused: 0,
    });
    expect(proxy.firstQueryAt).toBeDefined();
    // The named statement is parsed once and executed twice: both executions count under its text.
    expect(proxy.topTexts()).toEqual(
      expect.arrayContaining([
        ['SELECT $N::int + N', 2],
        ['SELECT N; SELECT N', 1],
        ['SELECT $N::int AS x', 1],
      ]),
    );
  });

  it('delays each direction by half the delay, the first bytes by the TCP handshake too, keeping byte order', async () => {
    const echo = await echoServer();
    const delayMs = 40;
    const proxy = new CountingProxy({ host: '127.0.0.1', port: echo.port, delayMs });
    const port = await proxy.listen();
    const socket = await connectTo(port);
    const received: Buffer[] = [];
    let receivedBytes = 0;
    const arrivals: number[] = [];
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      receivedBytes += chunk.length;
      arrivals.push(performance.now());
    });
    const until = (bytes: number) =>
      new Promise<void>((resolve) => {
        const check = () => (receivedBytes >= bytes ? resolve() : setTimeout(check, 2));
        check();
      });
    try {
      // The first bytes: TCP handshake (one delay) + up (half) + back (half). Each half may go up to 1 ms early.
      const first = performance.now();
      socket.write(Buffer.from([0]));
      await until(1);
      expect(arrivals[0]! - first).toBeGreaterThanOrEqual(2 * delayMs - 2);
      // Later round trips cost the delay; 200 writes in separate chunks come back in the order sent.
      const sent = Buffer.from(Array.from({ length: 200 }, (_, i) => i % 256));
      const start = performance.now();
      for (let i = 0; i < sent.length; i++) {
        socket.write(sent.subarray(i, i + 1));
        if (i % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      await until(1 + sent.length);
      expect(arrivals[1]! - start).toBeGreaterThanOrEqual(delayMs - 2);
      expect(Buffer.concat(received).subarray(1)).toEqual(sent);
      expect(proxy.counts.heldChunks).toBeGreaterThanOrEqual(4);
    } finally {
      socket.destroy();
      await proxy.close();
      await echo.close();
    }
  });

  it('closes connections over its cap and closes itself after its lifetime', async () => {
    const echo = await echoServer();
    const proxy = new CountingProxy({
      host: '127.0.0.1',
      port: echo.port,
      maxConnections: 1,
      lifetimeMs: 300,
    });
    const port = await proxy.listen();
    const kept = await connectTo(port);
    kept.on('error', () => undefined);
    const extra = await connectTo(port);
    await new Promise((resolve) => extra.once('close', resolve));
    expect(proxy.counts).toMatchObject({ connections: 1, refused: 1 });
    // Past its lifetime the proxy has closed its connections and stopped listening.
    await new Promise((resolve) => kept.once('close', resolve));
    expect(proxy.closed).toBe(true);
    await expect(connectTo(port)).rejects.toThrow(/ECONNREFUSED/);
    await echo.close();
  });

  it('never keeps a process alive: a listening proxy with a long lifetime lets node exit', async () => {
    const script = `const { CountingProxy } = await import(${JSON.stringify(PROXY_MODULE)});
      const proxy = new CountingProxy({ host: '127.0.0.1', port: 9, delayMs: 10, lifetimeMs: 3600000 });
      console.log(await proxy.listen());`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.once('close', (c, s) => resolve([c, s])),
    );
    clearTimeout(killer);
    expect(signal).toBeNull();
    expect(code).toBe(0);
    expect(Number(stdout.trim())).toBeGreaterThan(0);
  });
});
