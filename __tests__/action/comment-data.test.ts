/** The hidden data of our PR comment: a round trip, a file list too long to keep, and untrusted text. */
import { decodeCommentData, encodeCommentData, MAX_DATA_LENGTH } from '../../src/action/comment-data.js';
import type { PlanFingerprint } from '../../src/run/plan-hash.js';

const plan = (files: number): PlanFingerprint => ({
  hash: 'c'.repeat(64),
  entries: Array.from({ length: files }, (_, i) => ({
    type: 'VERSIONED',
    version: String(i + 1),
    file: `migrations/V${i + 1}__x --> <b>.sql`,
    checksum: 'd'.repeat(64),
  })),
  target: { dialect: 'postgresql', host: 'db:5432', database: 'shop', schema: null },
  latestVersion: null,
});

test('a round trip; no file name can close the HTML comment early', () => {
  const text = encodeCommentData({ plan: plan(3) });
  expect(text).toMatch(/^<!-- jetbase-action-data:[A-Za-z0-9+/=]+ -->$/);
  expect(decodeCommentData(`<!-- marker -->\n${text}\n### report`)).toEqual({ plan: plan(3) });
});

test('a file list too long for a comment is dropped; the hash, target and latest version stay', () => {
  const text = encodeCommentData({ plan: plan(2_000) });
  expect(text.length).toBeLessThanOrEqual(MAX_DATA_LENGTH);
  expect(decodeCommentData(text)).toEqual({ plan: { ...plan(0) }, entriesOmitted: true });
});

test('data that is not ours in shape is ignored', () => {
  const forge = (value: unknown) =>
    `<!-- jetbase-action-data:${Buffer.from(JSON.stringify(value)).toString('base64')} -->`;
  expect(decodeCommentData('no data here')).toBeUndefined();
  expect(decodeCommentData('<!-- jetbase-action-data:!!! -->')).toBeUndefined();
  expect(decodeCommentData(forge({ v: 2, plan: plan(1) }))).toBeUndefined();
  expect(decodeCommentData(forge({ v: 1, plan: { ...plan(1), entries: [{ file: 3 }] } }))).toBeUndefined();
});
