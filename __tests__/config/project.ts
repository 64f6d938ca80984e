/** Real temporary project trees for the config tests: `<root>/jetbase/...` plus files around it. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const created: string[] = [];

export interface Project {
  /** The temporary directory holding everything. */
  readonly base: string;
  /** The project root: the parent of `jetbase/`. */
  readonly root: string;
  readonly jetbaseDir: string;
}

/**
 * Creates `<base>/project/jetbase/migrations` and writes `files`, whose paths are relative to the
 * project root (`jetbase/env.py`, `.env`, `pyproject.toml`, or `../pyproject.toml` above it).
 */
export function makeProject(files: Readonly<Record<string, string>> = {}): Project {
  const base = mkdtempSync(path.join(os.tmpdir(), 'jetbase-config-'));
  created.push(base);
  const root = path.join(base, 'project');
  const jetbaseDir = path.join(root, 'jetbase');
  mkdirSync(path.join(jetbaseDir, 'migrations'), { recursive: true });
  for (const [relative, text] of Object.entries(files)) {
    const file = path.resolve(root, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return { base, root, jetbaseDir };
}

export function removeProjects(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The test process environment without anything that would configure Jetbase by accident. */
export function cleanEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (
      name.startsWith('JETBASE_') ||
      name === 'ASYNC' ||
      name === 'ENVIRONMENT' ||
      name.startsWith('POSTGRES_')
    )
      continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}
