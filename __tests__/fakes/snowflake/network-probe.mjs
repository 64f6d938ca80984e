// A child process for __tests__/dialects/snowflake.test.ts: records every network destination this
// process tries (TCP connects, UDP sends, DNS look-ups) from before anything loads, then loads the
// built dialect (lib/), connects to the Snowflake URL it is given, runs a query and reports.
//
// Usage: node network-probe.mjs <lib dir> <snowflake URL>  (key-pair key in JETBASE_TEST_KEY)
import dgram from 'node:dgram';
import dns from 'node:dns';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const destinations = [];

function describeConnectArgs(args) {
  // net passes its normalised [options, callback] array as the first argument internally.
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (typeof first === 'object' && first !== null) {
    return first.path ? { path: first.path } : { host: first.host ?? 'localhost', port: first.port };
  }
  if (typeof first === 'string' && Number.isNaN(Number(first))) return { path: first };
  return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: Number(first) };
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function connect(...args) {
  destinations.push({ via: 'tcp', ...describeConnectArgs(args) });
  return originalConnect.apply(this, args);
};
const originalSend = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function send(...args) {
  destinations.push({ via: 'udp', host: args.find((arg) => typeof arg === 'string') ?? 'unknown' });
  return originalSend.apply(this, args);
};
for (const [owner, name] of [
  [dns, 'lookup'],
  [dns, 'resolve'],
  [dns, 'resolve4'],
  [dns, 'resolve6'],
  [dns.promises, 'lookup'],
  [dns.promises, 'resolve'],
]) {
  const original = owner[name];
  owner[name] = function recordingLookup(hostname, ...rest) {
    destinations.push({ via: 'dns', host: hostname });
    return original.call(this, hostname, ...rest);
  };
}

const [libDir, url] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const sdkLoaded = () =>
  Object.keys(require.cache).some((file) => file.includes(`${path.sep}snowflake-sdk${path.sep}`));

const lib = (file) => pathToFileURL(path.join(libDir, file)).href;
const { parseDatabaseUrl } = await import(lib('config/url.js'));
const { createDialect } = await import(lib('dialects/registry.js'));
const sdkLoadedByRegistry = sdkLoaded();

const dialect = await createDialect(parseDatabaseUrl(url), {
  baseDir: process.cwd(),
  snowflakePrivateKey: process.env.JETBASE_TEST_KEY ?? null,
});
const sdkLoadedByDialect = sdkLoaded();
const connection = await dialect.connect();
const rows = await connection.query('SELECT 1 AS one');
await connection.close();
// Give anything the SDK starts in the background (telemetry, detection) time to try the network.
await new Promise((resolve) => setTimeout(resolve, 500));

process.stdout.write(
  JSON.stringify({
    destinations,
    sdkLoadedByRegistry,
    sdkLoadedByDialect,
    rows,
    platformDetection: process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION ?? null,
  }),
);
