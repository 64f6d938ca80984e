/** Throw-away Jetbase projects on disk for tests. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestProject {
  readonly root: string;
  readonly jetbaseDir: string;
  write(relativeToMigrations: string, content: string): string;
  remove(relativeToMigrations: string): void;
  cleanup(): void;
}

export function makeProject(files: Record<string, string> = {}): TestProject {
  const root = mkdtempSync(path.join(tmpdir(), 'jetbase-test-'));
  const jetbaseDir = path.join(root, 'jetbase');
  mkdirSync(path.join(jetbaseDir, 'migrations'), { recursive: true });
  const project: TestProject = {
    root,
    jetbaseDir,
    write(name, content) {
      const full = path.join(jetbaseDir, 'migrations', name);
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, content);
      return full;
    },
    remove(name) {
      rmSync(path.join(jetbaseDir, 'migrations', name));
    },
    cleanup() {
      rmSync(root, { recursive: true, force: true });
    },
  };
  for (const [name, content] of Object.entries(files)) project.write(name, content);
  return project;
}

/** Python Jetbase's CLI test fixture set: V1 creates users, V2..V21 insert one row each, RA and ROC insert one. */
export function upstreamFixture(
  createUsers = 'CREATE TABLE users (\n    id INTEGER PRIMARY KEY,\n    name VARCHAR(255) NOT NULL\n);',
): Record<string, string> {
  const insert = (name: string) =>
    `INSERT INTO users (name) VALUES ('${name}');\n\n--rollback\nDELETE FROM users WHERE name = '${name}';`;
  return {
    'V1__m1.sql': createUsers,
    'V2__m2.sql': insert('mike2'),
    'V3__m3.sql': insert('mike3'),
    'V4__m4.sql': insert('mike4'),
    'V21__mi21.sql': insert('mike21'),
    'RA__ra.sql': "INSERT INTO users (name) VALUES ('always mike');",
    'ROC__roc.sql': "INSERT INTO users (name) VALUES ('on change mike');",
  };
}
