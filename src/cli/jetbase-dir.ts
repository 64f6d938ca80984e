/**
 * Which jetbase directory a command works on. Python Jetbase insists on cwd == jetbase/ (docs/format.md, "Project layout");
 * this CLI also accepts the project root (./jetbase) and an explicit --dir, so CI steps need no `cd`.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { DirectoryError } from '../engine/errors.js';
import { assertJetbaseDir, MIGRATIONS_DIR } from '../engine/discovery.js';

function hasMigrationsDir(dir: string): boolean {
  try {
    return statSync(path.join(dir, MIGRATIONS_DIR)).isDirectory();
  } catch {
    return false;
  }
}

export function resolveJetbaseDir(dirFlag: string | undefined, cwd: string): string {
  if (dirFlag !== undefined) {
    const dir = path.resolve(cwd, dirFlag);
    assertJetbaseDir(dir);
    return dir;
  }
  if (path.basename(cwd) === 'jetbase' && hasMigrationsDir(cwd)) return cwd;
  const child = path.join(cwd, 'jetbase');
  if (hasMigrationsDir(child)) return child;
  const hint =
    "Run the command from the 'jetbase' directory or its parent, pass --dir PATH, or run 'jetbase init' to create a Jetbase project.";
  if (path.basename(cwd) === 'jetbase') {
    throw new DirectoryError(
      `'migrations' directory not found in ${cwd}.\nAdd a migrations directory inside the 'jetbase' directory to proceed.`,
      { hint },
    );
  }
  throw new DirectoryError(
    `No Jetbase project found: neither ${cwd} (named 'jetbase') nor ${child} has a 'migrations' directory.`,
    { hint },
  );
}
