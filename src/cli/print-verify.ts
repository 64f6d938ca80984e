/** `jetbase verify`'s human output: one line per file with its three passes, then the verdict. */
import { verifyTextLines } from '../report/verify-section.js';
import type { VerifyReport } from '../verify/types.js';
import type { Output } from './output.js';

export function printVerify(output: Output, report: VerifyReport): void {
  const { files, warning, summary } = verifyTextLines(report);
  if (files.length > 0) output.print(`\nOn ${report.target}:`);
  for (const line of files) output.print(line);
  if (warning !== undefined) output.log(output.errStyle.warn(`Warning: ${warning}`));
  output.print(summary);
}
