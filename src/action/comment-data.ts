/**
 * Machine-readable data kept in our PR comment, so a later run (the deploy after the merge) can
 * read what was reviewed: a second hidden HTML comment right after the marker, holding base64 JSON
 * (base64, so no file name can close the HTML comment early). Only comments written by the token's
 * own identity are ever read (see pr-comment.ts), and what is read is checked field by field.
 */
import type { PlanEntry, PlanFingerprint, TargetIdentity } from '../run/plan-hash.js';

export interface CommentData {
  /** The plan the comment shows, as it was reviewed. */
  readonly plan: PlanFingerprint;
  /** The plan's file list was too long to keep: only its hash, target and latest version are here. */
  readonly entriesOmitted?: boolean;
}

/** The data's share of a comment at most; a longer file list is dropped (the hash still decides). */
export const MAX_DATA_LENGTH = 16_000;

const PREFIX = '<!-- jetbase-action-data:';
const SUFFIX = ' -->';

function encoded(data: CommentData): string {
  return `${PREFIX}${Buffer.from(JSON.stringify({ v: 1, ...data }), 'utf8').toString('base64')}${SUFFIX}`;
}

/** The hidden comment; the file list is dropped when it would take more than MAX_DATA_LENGTH. */
export function encodeCommentData(data: CommentData): string {
  const full = encoded(data);
  if (full.length <= MAX_DATA_LENGTH) return full;
  return encoded({ plan: { ...data.plan, entries: [] }, entriesOmitted: true });
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOrNull(value: unknown): value is string | null {
  return value === null || typeof value === 'string';
}

function entryOf(value: unknown): PlanEntry | undefined {
  if (!isObject(value)) return undefined;
  const { type, version, file, checksum } = value;
  if (
    typeof type !== 'string' ||
    !stringOrNull(version) ||
    typeof file !== 'string' ||
    typeof checksum !== 'string'
  )
    return undefined;
  return { type, version, file, checksum };
}

function targetOf(value: unknown): TargetIdentity | undefined {
  if (!isObject(value)) return undefined;
  const { dialect, host, database, schema } = value;
  if (typeof dialect !== 'string' || !stringOrNull(host) || !stringOrNull(database) || !stringOrNull(schema))
    return undefined;
  return { dialect, host, database, schema };
}

function planOf(value: unknown): PlanFingerprint | undefined {
  if (!isObject(value) || typeof value.hash !== 'string' || !Array.isArray(value.entries)) return undefined;
  const entries = value.entries.map(entryOf);
  const target = targetOf(value.target);
  if (target === undefined || entries.some((e) => e === undefined) || !stringOrNull(value.latestVersion))
    return undefined;
  return { hash: value.hash, entries: entries as PlanEntry[], target, latestVersion: value.latestVersion };
}

/** The data in a comment body, or undefined when it has none (an older comment, an offline run). */
export function decodeCommentData(body: string): CommentData | undefined {
  const start = body.indexOf(PREFIX);
  if (start < 0) return undefined;
  const end = body.indexOf(SUFFIX, start + PREFIX.length);
  if (end < 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(
      Buffer.from(body.slice(start + PREFIX.length, end), 'base64').toString('utf8'),
    );
    if (!isObject(parsed) || parsed.v !== 1) return undefined;
    const plan = planOf(parsed.plan);
    if (plan === undefined) return undefined;
    return parsed.entriesOmitted === true ? { plan, entriesOmitted: true } : { plan };
  } catch {
    return undefined;
  }
}
