/** Small helpers shared by the dialect adapters. */

import type { SqlRow } from '../engine/dialect.js';

/** The contract wants lower-case column names whatever the database or the SQL spelled. */
export function lowerCaseKeys(row: object): SqlRow {
  const result: SqlRow = {};
  for (const [key, value] of Object.entries(row)) result[key.toLowerCase()] = value;
  return result;
}

/**
 * Removes a password (as written and percent-encoded) from a driver message. The engine redacts
 * again before printing; this keeps a connection error clean even when it is logged raw.
 */
export function withoutSecret(message: string, secret: string | null): string {
  if (!secret) return message;
  let clean = message;
  for (const form of new Set([secret, encodeURIComponent(secret)])) clean = clean.split(form).join('***');
  return clean;
}

/**
 * The driver's error when it holds no password, else a new Error with the scrubbed message (no
 * `cause`: the original would carry the password along).
 */
export function scrubbedError(error: unknown, secret: string | null): Error {
  const message = error instanceof Error ? error.message : String(error);
  const clean = withoutSecret(message, secret);
  if (error instanceof Error && clean === message) return error;
  return new Error(clean);
}

/**
 * The error as an Error of this realm. Native drivers build theirs outside it (Jest's module
 * sandbox, for one), where `instanceof Error` is false; the message and a string `code` are kept.
 */
export function asError(error: unknown): Error {
  if (error instanceof Error) return error;
  const { message, code } = (typeof error === 'object' && error !== null ? error : {}) as {
    message?: unknown;
    code?: unknown;
  };
  const result = new Error(typeof message === 'string' ? message : String(error)) as Error & {
    code?: string;
  };
  if (typeof code === 'string') result.code = code;
  return result;
}
