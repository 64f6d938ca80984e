/**
 * SQLAlchemy-style database URLs: `dialect[+driver]://user:password@host:port/database?k=v`. Any
 * `+driver` part is accepted and kept for information only; `postgres://` means `postgresql://`.
 *
 * Parsed by hand rather than with WHATWG `URL`, which rejects or rewrites several forms SQLAlchemy
 * accepts (`sqlite:////abs.db`, `sqlite:///:memory:`, a raw `@` in the password, empty ports).
 * Every error names what is wrong and shows the URL only in its redacted form.
 */
import type { DialectName } from '../engine/dialect.js';
import { UrlError } from '../engine/errors.js';
import { isSecretName } from './secret-names.js';
import type { DatabaseUrl } from './types.js';

const SUPPORTED_LIST = 'postgresql, sqlite, snowflake, mysql, databricks';

/** Scheme names (before `+driver`) and the dialect each one means. */
const DIALECT_BY_SCHEME: Readonly<Record<string, DialectName>> = {
  postgresql: 'postgresql',
  postgres: 'postgresql',
  sqlite: 'sqlite',
  mysql: 'mysql',
  mariadb: 'mysql',
  snowflake: 'snowflake',
  databricks: 'databricks',
};

const MASK = '***';

export function parseDatabaseUrl(raw: string): DatabaseUrl {
  const schemeEnd = raw.indexOf('://');
  const scheme = schemeEnd > 0 ? raw.slice(0, schemeEnd) : '';
  const schemeMatch = /^([A-Za-z][A-Za-z0-9_]*)(?:\+([A-Za-z0-9_.-]+))?$/.exec(scheme);
  if (!schemeMatch) throw unparsable(raw);
  const backend = schemeMatch[1]!.toLowerCase();
  const driver = schemeMatch[2] ?? null;
  const dialect = DIALECT_BY_SCHEME[backend];
  if (dialect === undefined) {
    const clickhouse = backend === 'clickhouse' ? ' ClickHouse is not supported by jetbase-action.' : '';
    throw new UrlError(
      `Unsupported database: ${backend}. Supported databases are: ${SUPPORTED_LIST}.${clickhouse}`,
    );
  }

  const restStart = schemeEnd + 3;
  const rest = raw.slice(restStart);

  // Userinfo ends at the LAST '@' before the path, so a raw '@' in a password still parses.
  const atIndex = userinfoSeparator(rest);
  let username: string | null = null;
  let password: string | null = null;
  /** Where the password sits in `raw`, to mask it in place. */
  let passwordSpan: [number, number] | null = null;
  if (atIndex >= 0) {
    const userinfo = rest.slice(0, atIndex);
    const colon = userinfo.indexOf(':');
    if (colon >= 0) {
      username = percentDecode(userinfo.slice(0, colon));
      password = percentDecode(userinfo.slice(colon + 1));
      passwordSpan = [restStart + colon + 1, restStart + atIndex];
    } else {
      username = percentDecode(userinfo);
    }
    if (username === '') username = null;
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
  let port: number | null = null;
  if (portText !== null && portText !== '') {
    if (!/^\d+$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      throw new UrlError(
        `Invalid port '${portText}' in database URL '${redacted}': a port is a number from 1 to 65535.`,
      );
    }
    port = Number(portText);
  }

  let database = path === null || path === '' ? null : percentDecode(path);
  // SQLAlchemy opens an in-memory database for `sqlite://` and `sqlite:///`.
  if (dialect === 'sqlite' && database === null) database = ':memory:';

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
export function urlSecrets(url: DatabaseUrl): string[] {
  const secrets = new Set<string>();
  if (url.password) secrets.add(url.password);
  for (const [key, value] of Object.entries(url.query)) {
    if (value && isSecretName(key, 'url-query-parameter')) secrets.add(value);
  }
  return [...secrets];
}

/**
 * Index of the '@' ending the userinfo in the text after `://`, or -1. The last '@' wins, except
 * one inside the query string (`?login=a@b`), recognised as coming after a `?key=`.
 */
function userinfoSeparator(rest: string): number {
  let at = rest.lastIndexOf('@');
  while (at >= 0 && insideQuery(rest, at)) at = at === 0 ? -1 : rest.lastIndexOf('@', at - 1);
  return at;
}

function insideQuery(rest: string, index: number): boolean {
  const question = rest.lastIndexOf('?', index);
  if (question < 0) return false;
  return /^[A-Za-z_][A-Za-z0-9_.-]*=/.test(rest.slice(question + 1, index));
}

function splitHostPort(authority: string, redacted: () => string): { host: string; portText: string | null } {
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close < 0) throw new UrlError(`Invalid IPv6 host in database URL '${redacted()}': missing ']'.`);
    const after = authority.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) {
      throw new UrlError(
        `Invalid host in database URL '${redacted()}': unexpected '${after}' after the IPv6 address.`,
      );
    }
    return { host: authority.slice(1, close), portText: after === '' ? null : after.slice(1) };
  }
  const colon = authority.indexOf(':');
  if (colon < 0) return { host: percentDecode(authority), portText: null };
  return { host: percentDecode(authority.slice(0, colon)), portText: authority.slice(colon + 1) };
}

/** `a=1&b=x%20y`: percent-decoded, `+` is a space (Python's parse_qsl), the last repeated key wins. */
function parseQuery(text: string | null): Record<string, string> {
  const query: Record<string, string> = {};
  if (!text) return query;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeQueryPart(eq >= 0 ? pair.slice(0, eq) : pair);
    query[key] = eq >= 0 ? decodeQueryPart(pair.slice(eq + 1)) : '';
  }
  return query;
}

function decodeQueryPart(text: string): string {
  return percentDecode(text.replace(/\+/g, ' '));
}

/** Like Python's `unquote`: malformed escapes are kept as written instead of failing. */
export function percentDecode(text: string): string {
  if (!text.includes('%')) return text;
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/** `raw` with the password and credential-like query values masked. */
function redactParsed(raw: string, passwordSpan: [number, number] | null, queryStart: number): string {
  let head = raw;
  let queryText = '';
  if (queryStart >= 0) {
    head = raw.slice(0, queryStart);
    queryText = raw.slice(queryStart);
  }
  if (passwordSpan) head = head.slice(0, passwordSpan[0]) + MASK + head.slice(passwordSpan[1]);
  if (queryText) {
    queryText = queryText
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=');
        if (eq < 0) return pair;
        return isSecretName(decodeQueryPart(pair.slice(0, eq)), 'url-query-parameter')
          ? `${pair.slice(0, eq + 1)}${MASK}`
          : pair;
      })
      .join('&');
  }
  return head + queryText;
}

/** A URL that could not be parsed, shown without anything that may be a password. */
function unparsable(raw: string): UrlError {
  return new UrlError(`Could not parse SQLAlchemy URL from string '${redactUnparsable(raw)}'`);
}

function redactUnparsable(raw: string): string {
  const oneLine = raw.replace(/[\r\n]+/g, ' ');
  const schemeEnd = oneLine.indexOf('://');
  const at = oneLine.lastIndexOf('@');
  if (at < 0) return oneLine;
  const credentialsStart = schemeEnd >= 0 ? schemeEnd + 3 : 0;
  if (at < credentialsStart) return oneLine;
  const userinfo = oneLine.slice(credentialsStart, at);
  const colon = userinfo.indexOf(':');
  // Without a scheme we cannot tell a user from a password: mask the whole userinfo.
  const kept = schemeEnd >= 0 && colon >= 0 ? `${userinfo.slice(0, colon)}:${MASK}` : MASK;
  return oneLine.slice(0, credentialsStart) + kept + oneLine.slice(at);
}
