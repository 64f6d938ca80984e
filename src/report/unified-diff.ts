/**
 * A unified diff of two texts, line by line (longest common subsequence), with three lines of
 * context, as `git diff` shows it. Pure. Texts too large for the quadratic table are not diffed.
 */

/** Above this many line pairs the table would cost too much memory; the caller says so instead. */
const MAX_CELLS = 4_000_000;
const CONTEXT = 3;

/** One line of the diff; `a` and `b` are the 0-based positions in each text before it. */
type Op = { readonly kind: ' ' | '-' | '+'; readonly line: string; readonly a: number; readonly b: number };

function operations(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // lengths[i][j]: LCS of a[i..] and b[j..], one flat array.
  const lengths = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lengths[i * (m + 1) + j] =
        a[i] === b[j]
          ? lengths[(i + 1) * (m + 1) + j + 1]! + 1
          : Math.max(lengths[(i + 1) * (m + 1) + j]!, lengths[i * (m + 1) + j + 1]!);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i]!, a: i, b: j });
      i++;
      j++;
    } else if (j < m && (i === n || lengths[i * (m + 1) + j + 1]! > lengths[(i + 1) * (m + 1) + j]!)) {
      ops.push({ kind: '+', line: b[j]!, a: i, b: j });
      j++;
    } else {
      ops.push({ kind: '-', line: a[i]!, a: i, b: j });
      i++;
    }
  }
  return ops;
}

/** `start,count` as diff -u writes it: a count of 1 is left out, an empty side names the line before it. */
function range(before: number, count: number): string {
  if (count === 1) return String(before + 1);
  return `${count === 0 ? before : before + 1},${count}`;
}

/** The diff, or undefined when the texts are equal or too large to diff. */
export function unifiedDiff(
  before: string,
  after: string,
  names: { a: string; b: string },
): string | undefined {
  if (before === after) return undefined;
  // A final newline ends the last line; it is not an empty line of its own.
  const a = before.replace(/\n$/, '').split('\n');
  const b = after.replace(/\n$/, '').split('\n');
  if ((a.length + 1) * (b.length + 1) > MAX_CELLS) return undefined;
  const ops = operations(a, b);
  const changed = ops.map((op, index) => (op.kind === ' ' ? -1 : index)).filter((index) => index >= 0);
  if (changed.length === 0) return undefined;
  const out = [`--- ${names.a}`, `+++ ${names.b}`];
  let start = 0;
  while (start < changed.length) {
    let end = start;
    while (end + 1 < changed.length && changed[end + 1]! - changed[end]! <= 2 * CONTEXT + 1) end++;
    const from = Math.max(0, changed[start]! - CONTEXT);
    const to = Math.min(ops.length - 1, changed[end]! + CONTEXT);
    const hunk = ops.slice(from, to + 1);
    const aLines = hunk.filter((op) => op.kind !== '+').length;
    const bLines = hunk.filter((op) => op.kind !== '-').length;
    const first = ops[from]!;
    // As diff(1) writes it: an empty side names the line before it.
    out.push(`@@ -${range(first.a, aLines)} +${range(first.b, bLines)} @@`);
    for (const op of hunk) out.push(`${op.kind}${op.line}`);
    start = end + 1;
  }
  return out.join('\n');
}
