/**
 * Version keys and PEP 440 ordering for digit-only versions (docs/format.md, "Versions and their
 * order"). ASCII digits only: Jetbase's Python `\d` would also take other scripts' digits, which no
 * one can order.
 */

export const VERSION_PATTERN = /^[0-9]+([._][0-9]+)*$/;

export function isValidVersion(raw: string): boolean {
  return VERSION_PATTERN.test(raw);
}

/** The stored key: every `_` becomes `.`, nothing else changes (`V01_5` → `01.5`). */
export function versionKey(raw: string): string {
  return raw.replaceAll('_', '.');
}

/** The numeric components of a version key, trailing zeros dropped (PEP 440: `1.0` is `1`). */
export function parseVersion(key: string): bigint[] {
  const parts = key.split('.').map((p) => BigInt(p));
  while (parts.length > 0 && parts[parts.length - 1] === 0n) parts.pop();
  return parts;
}

export function compareParsedVersions(left: readonly bigint[], right: readonly bigint[]): number {
  const n = Math.min(left.length, right.length);
  for (let i = 0; i < n; i++) {
    if (left[i]! !== right[i]!) return left[i]! < right[i]! ? -1 : 1;
  }
  return left.length === right.length ? 0 : left.length < right.length ? -1 : 1;
}

/** PEP 440 compare: numeric components, leading and trailing zeros irrelevant (`1 == 1.0`, `2 < 2.0.1 < 11`). */
export function compareVersions(a: string, b: string): number {
  return compareParsedVersions(parseVersion(a), parseVersion(b));
}

/** A canonical form under PEP 440 equality, for duplicate detection (`V1` and `V1.0` are duplicates). */
export function canonicalVersion(key: string): string {
  return parseVersion(key).join('.');
}
