// Bundles the CLI (lib/cli/index.js and what it imports) into lib/bundle/: one ES module for the
// code every command loads, plus a chunk per dynamically imported part (a dialect, the linter), so
// a start compiles one file instead of ~70 (docs/architecture.md, "Start-up"). Run after tsc by
// `npm run build`. Usage: node scripts/bundle-cli.mjs
//
// The packages the CLI depends on stay outside the bundle, loaded from node_modules when a command
// needs them. ncc would hoist every external import, even a dynamic one, into static imports at the
// top of the bundle (loading every driver at start), so a staged copy of lib/ marks each import of
// a package `webpackIgnore` first: ncc then leaves it as written. The two static driver imports
// (`import pg from 'pg'`) become the equivalent top-level `await import()`, which runs when the
// dialect's chunk loads, as the static import did.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LIB = path.join(ROOT, 'lib');
const OUT = path.join(LIB, 'bundle');
const STAGE = path.join(ROOT, '.tmp', 'bundle-cli');
const NCC = path.join(ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

/** A package import (not relative, not a Node built-in). */
const isPackage = (specifier) => !/^(\.|\/|node:)/.test(specifier);

function fail(message) {
  console.error(`bundle-cli: ${message}`);
  process.exit(1);
}

/** `import(...)` of a package → the same import marked webpackIgnore; static ones → top-level await. */
function unbundlePackages(code, file) {
  let out = code.replace(/\bimport\((\s*)(['"])([^'"]+)\2(\s*)\)/g, (whole, pre, quote, specifier, post) =>
    isPackage(specifier)
      ? `import(${pre}/* webpackIgnore: true */ ${quote}${specifier}${quote}${post})`
      : whole,
  );
  out = out.replace(
    /^import ([A-Za-z_$][\w$]*) from (['"])([^'"]+)\2;$/gm,
    (whole, name, quote, specifier) =>
      isPackage(specifier)
        ? `const { default: ${name} } = await import(/* webpackIgnore: true */ ${quote}${specifier}${quote});`
        : whole,
  );
  // Any other static form (named, namespace, re-export) of a package: say so rather than bundle it.
  for (const match of out.matchAll(/^(?:import|export)\s[^;]*?\bfrom\s*(['"])([^'"]+)\1/gm)) {
    if (isPackage(match[2])) fail(`${file}: unsupported import of a package: ${match[0]}`);
  }
  return out;
}

rmSync(STAGE, { recursive: true, force: true });
mkdirSync(STAGE, { recursive: true });
cpSync(LIB, path.join(STAGE, 'lib'), {
  recursive: true,
  filter: (source) => {
    const relative = path.relative(LIB, source).split(path.sep).join('/');
    return !/^(action|bundle)(\/|$)/.test(relative) && !relative.endsWith('.map');
  },
});
// toolVersion() reads ../../package.json from lib/cli/: ncc copies it next to the bundle. Only the
// fields the CLI reads (and the module type), so the copy cannot be taken for the package's manifest.
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
writeFileSync(
  path.join(STAGE, 'package.json'),
  `${JSON.stringify({ version: manifest.version, type: manifest.type }, null, 2)}\n`,
);
for (const entry of readdirSync(path.join(STAGE, 'lib'), { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
  const file = path.join(entry.parentPath, entry.name);
  const code = readFileSync(file, 'utf8');
  // The staged copy has no source maps: drop the comments that point at them.
  const rewritten = unbundlePackages(code, path.relative(STAGE, file)).replace(
    /\n\/\/# sourceMappingURL=\S+\s*$/,
    '\n',
  );
  if (rewritten !== code) writeFileSync(file, rewritten);
}

rmSync(OUT, { recursive: true, force: true });
const ncc = spawnSync(
  process.execPath,
  [
    NCC,
    'build',
    path.join(STAGE, 'lib', 'cli', 'index.js'),
    '--out',
    OUT,
    '--external',
    'better-sqlite3',
    '--target',
    'es2022',
    '--no-cache',
    '--quiet',
    // Whitespace and comments out, local names shortened (function and class names kept): half the
    // bytes to compile at every start.
    '--minify',
  ],
  { stdio: 'inherit' },
);
if (ncc.status !== 0) fail(`ncc exited ${String(ncc.status ?? ncc.signal)}`);

// What ncc would have hoisted shows as a static import of a package at the top of a file.
for (const name of readdirSync(OUT)) {
  if (!name.endsWith('.js')) continue;
  const code = readFileSync(path.join(OUT, name), 'utf8');
  for (const match of code.matchAll(/^import\s[^;]*?\bfrom\s*"([^"]+)";/gm)) {
    if (isPackage(match[1]) && match[1] !== 'module')
      fail(`lib/bundle/${name} imports ${match[1]} at load time`);
  }
}
rmSync(STAGE, { recursive: true, force: true });
