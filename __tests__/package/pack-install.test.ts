/**
 * The npm package as a user gets it: `npm pack` of this checkout, installed into an empty project,
 * then `npx jetbase init`, `new` and `upgrade` on SQLite from there.
 *
 * The project installs under Node 24 (the node@24 dev dependency) with `--omit=optional`: Node 24
 * has the built-in node:sqlite, so better-sqlite3 (optional, a native addon) is neither needed nor
 * compiled, and `--prefer-offline` takes the packages from the npm cache that `npm ci` filled. The
 * same install run by Node 20 then shows the error a Node 20 user gets without better-sqlite3.
 *
 * lib/ must be built (scripts/test.sh builds it first); the pack skips the `prepare` build so that
 * lib/ is not rewritten while other test files run the CLI from it.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const NODE24_BIN = path.join(ROOT, 'node_modules', 'node', 'bin');
const NODE24 = path.join(NODE24_BIN, process.platform === 'win32' ? 'node.exe' : 'node');

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;

/** Files allowed at the top of the package (npm adds README, LICENSE and package.json itself). */
const TOP_LEVEL_FILES = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'SECURITY.md'];

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment for npm and the installed CLI: Node 24 first on PATH, and none of the npm_*
 * variables that `npm test` hands its scripts (npm_config_prefix names this repository, so an
 * `npm install` that saw it would install here instead of into the empty project), nor the
 * repository's node_modules/.bin, so `npx jetbase` finds only what the empty project installed.
 */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
  const pathKey = Object.keys(env).find((key) => key.toUpperCase() === 'PATH') ?? 'PATH';
  const entries = (env[pathKey] ?? '')
    .split(path.delimiter)
    .filter((dir) => !dir.endsWith(`node_modules${path.sep}.bin`));
  env[pathKey] = [NODE24_BIN, ...entries].join(path.delimiter);
  env.npm_config_update_notifier = 'false';
  return env;
}

function run(command: string, args: string[], cwd: string, timeoutMs = 120_000): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function ok(command: string, args: string[], cwd: string, timeoutMs?: number): Promise<Result> {
  const result = await run(command, args, cwd, timeoutMs);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${String(result.code)}:\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

/** The package a bare import specifier names (`pg`, `@databricks/sql`, `mysql2/promise` → `mysql2`). */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

/** Specifiers of the static and dynamic imports (and createRequire requires) in compiled ES module code. */
function importsIn(code: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*(?:\/\*.*?\*\/\s*)?['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) {
      found.push(match[1] as string);
    }
  }
  return found;
}

const hasNodeSqlite = (() => {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 13);
})();

let work: string;
let project: string;
let packed: string[];

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'lib', 'bundle', 'index.js'))) {
    throw new Error('lib/ is not built: run `npm run build` first (scripts/test.sh does).');
  }
  if (!existsSync(NODE24))
    throw new Error(`${NODE24} is missing: the node@24 dev dependency installs it (npm ci).`);
  work = mkdtempSync(path.join(tmpdir(), 'jetbase-pack-'));
  const pack = await ok('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT);
  const [report] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  if (!report) throw new Error(`npm pack printed no report: ${pack.stdout}`);
  packed = report.files.map((file) => file.path).sort();

  project = path.join(work, 'project');
  mkdirSync(project);
  writeFileSync(path.join(project, 'package.json'), '{ "name": "empty-project", "private": true }\n');
  await ok(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--omit=optional',
      '--no-audit',
      '--no-fund',
      path.join(work, report.filename),
    ],
    project,
    240_000,
  );
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('holds the CLI, the built lib/ and the docs, and nothing else', () => {
    expect(packed).toEqual(
      expect.arrayContaining([
        ...TOP_LEVEL_FILES,
        'bin/jetbase.js',
        'lib/bundle/index.js',
        'lib/cli/index.js',
      ]),
    );
    const unexpected = packed.filter((file) => !TOP_LEVEL_FILES.includes(file) && !/^(bin|lib)\//.test(file));
    expect(unexpected).toEqual([]);
    // The action is the bundle in dist/ (not in the package); source maps point at src/, which is not shipped.
    expect(packed.filter((file) => file.startsWith('lib/action/') || file.endsWith('.map'))).toEqual([]);
  });

  it('ships every built module and run-time asset of lib/ (but the action)', () => {
    const built = filesUnder(path.join(ROOT, 'lib'))
      .filter((file) => !file.startsWith('action/') && !file.endsWith('.map'))
      .map((file) => `lib/${file}`);
    expect(packed.filter((file) => file.startsWith('lib/'))).toEqual(built.sort());
    // Files in src/ that are not TypeScript (e.g. Python helpers) must be copied to lib/ by the build.
    const assets = filesUnder(path.join(ROOT, 'src'))
      .filter((file) => !file.endsWith('.ts') && !file.startsWith('action/'))
      .map((file) => `lib/${file}`);
    expect(packed).toEqual(expect.arrayContaining(assets));
  });

  it('declares every package its code imports as a dependency', () => {
    const runtime = new Set([
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.optionalDependencies ?? {}),
    ]);
    const builtins = new Set(builtinModules);
    const imported = new Set(
      packed
        .filter((file) => file.endsWith('.js'))
        .flatMap((file) => importsIn(readFileSync(path.join(ROOT, file), 'utf8')))
        .filter((specifier) => !/^[./]/.test(specifier))
        .filter((specifier) => !specifier.startsWith('node:') && !builtins.has(specifier))
        .map(packageOf),
    );
    expect([...imported].sort()).toEqual(expect.arrayContaining(['pg', 'smol-toml', 'better-sqlite3']));
    expect([...imported].filter((name) => !runtime.has(name))).toEqual([]);
    // What only the bundled action uses stays out of the install.
    expect(Object.keys(manifest.dependencies ?? {}).filter((name) => name.startsWith('@actions/'))).toEqual(
      [],
    );
  });

  it('ships every module its code imports by a relative path', () => {
    const imports = packed
      .filter((file) => file.endsWith('.js'))
      .flatMap((file) =>
        importsIn(readFileSync(path.join(ROOT, file), 'utf8'))
          .filter((specifier) => specifier.startsWith('.'))
          .map((specifier) => ({ file, target: path.posix.join(path.posix.dirname(file), specifier) })),
      );
    expect(imports).toContainEqual({ file: 'bin/jetbase.js', target: 'lib/bundle/index.js' });
    expect(imports.filter(({ target }) => !packed.includes(target))).toEqual([]);
  });

  it('installs from the tarball without compiling anything (Node 24, --omit=optional)', () => {
    const modules = path.join(project, 'node_modules');
    expect(existsSync(path.join(modules, manifest.name, 'bin', 'jetbase.js'))).toBe(true);
    expect(existsSync(path.join(modules, 'better-sqlite3'))).toBe(false);
    expect(existsSync(path.join(modules, '@actions', 'core'))).toBe(false);
  });

  it('finds every database driver it declares from where it is installed', async () => {
    const drivers = Object.keys(manifest.dependencies ?? {}).map((name) =>
      name === 'mysql2' ? 'mysql2/promise' : name,
    );
    const result = await ok(
      NODE24,
      [
        '--input-type=module',
        '-e',
        `for (const name of ${JSON.stringify(drivers)}) { await import(name); console.log('loaded ' + name); }`,
      ],
      path.join(project, 'node_modules', manifest.name),
    );
    expect(result.stdout.trim().split('\n')).toEqual(drivers.map((name) => `loaded ${name}`));
    expect(drivers).toEqual(
      expect.arrayContaining(['pg', 'mysql2/promise', 'snowflake-sdk', '@databricks/sql']),
    );
  });

  it('`npx jetbase --version` prints the package version', async () => {
    const result = await ok('npx', ['--no-install', 'jetbase', '--version'], project);
    expect(result.stdout.trim()).toBe(manifest.version);
  });

  it('runs init, new and upgrade on SQLite from the empty project', async () => {
    await ok('npx', ['--no-install', 'jetbase', 'init'], project);
    const jetbaseDir = path.join(project, 'jetbase');
    expect(existsSync(path.join(jetbaseDir, 'env.py'))).toBe(true);
    writeFileSync(path.join(jetbaseDir, 'env.py'), 'sqlalchemy_url = "sqlite:///app.db"\n');

    await ok('npx', ['--no-install', 'jetbase', 'new', 'create users'], project);
    const [file, ...others] = readdirSync(path.join(jetbaseDir, 'migrations')).filter((name) =>
      name.endsWith('.sql'),
    );
    expect(others).toEqual([]);
    expect(file).toMatch(/^V\d{8}\.\d{6}__create_users\.sql$/);
    writeFileSync(
      path.join(jetbaseDir, 'migrations', file as string),
      'CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n' +
        "INSERT INTO users (name) VALUES ('ada');\n" +
        '-- rollback\nDROP TABLE users;\n',
    );

    const upgrade = await ok('npx', ['--no-install', 'jetbase', 'upgrade'], project);
    expect(upgrade.stdout).toContain(file);

    // Read the database with node:sqlite directly, not through the CLI under test.
    const probe = spawnSync(
      NODE24,
      [
        '-e',
        `const { DatabaseSync } = require('node:sqlite');
         const db = new DatabaseSync(process.argv[1], { readOnly: true });
         console.log(JSON.stringify({
           history: db.prepare('SELECT filename, migration_type FROM jetbase_migrations').all(),
           users: db.prepare('SELECT name FROM users').all(),
         }));`,
        path.join(jetbaseDir, 'app.db'),
      ],
      { encoding: 'utf8' },
    );
    expect(probe.stderr.replace(/.*ExperimentalWarning.*\n|.*--trace-warnings.*\n/g, '')).toBe('');
    expect(JSON.parse(probe.stdout)).toEqual({
      history: [{ filename: file, migration_type: 'VERSIONED' }],
      users: [{ name: 'ada' }],
    });

    const again = await ok('npx', ['--no-install', 'jetbase', 'upgrade'], project);
    expect(again.stdout).not.toContain(file);
  });

  (hasNodeSqlite ? it.skip : it)(
    'on Node 20 without better-sqlite3, says to use Node 22.13+ or install better-sqlite3',
    async () => {
      const jetbaseDir = path.join(project, 'jetbase');
      mkdirSync(path.join(jetbaseDir, 'migrations'), { recursive: true });
      writeFileSync(path.join(jetbaseDir, 'env.py'), 'sqlalchemy_url = "sqlite:///node20.db"\n');
      const bin = path.join(project, 'node_modules', manifest.name, 'bin', 'jetbase.js');
      const result = await run(process.execPath, [bin, 'status'], project);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^Error: No SQLite driver could be loaded/m);
      expect(result.stderr).toMatch(/Node 22\.13 or newer.*better-sqlite3/);
      expect(existsSync(path.join(jetbaseDir, 'node20.db'))).toBe(false);
    },
  );
});
