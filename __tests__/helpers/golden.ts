/**
 * Golden files: expected output stored next to the tests. Locally a missing golden file is written
 * from the actual output (and UPDATE_GOLDEN=1 rewrites them all), so adding a case is one run; under
 * CI nothing is ever written, because a golden file that writes itself there makes a test that
 * cannot fail.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** True on CI runners (GitHub Actions sets CI=true); `CI=false` or `CI=0` count as local. */
export function onCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = (env.CI ?? '').trim().toLowerCase();
  return value !== '' && value !== 'false' && value !== '0';
}

export class GoldenFileError extends Error {}

/** The text `actual` must equal; writes it first when allowed (see above). `file` is an absolute path. */
export function goldenText(file: string, actual: string, env: NodeJS.ProcessEnv = process.env): string {
  const relative = path.relative(process.cwd(), file);
  const update = env.UPDATE_GOLDEN === '1';
  if (onCi(env)) {
    if (update)
      throw new GoldenFileError(
        `UPDATE_GOLDEN=1 is refused under CI=${env.CI}: golden files are written locally and committed.`,
      );
    if (!existsSync(file))
      throw new GoldenFileError(
        `Golden file ${relative} is missing. Create it locally (without CI set) by running this test once, ` +
          `or with UPDATE_GOLDEN=1, review it and commit it.`,
      );
  } else if (update || !existsSync(file)) {
    writeFileSync(file, actual);
  }
  return readFileSync(file, 'utf8');
}
