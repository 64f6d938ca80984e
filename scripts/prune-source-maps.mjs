// Keeps the source maps of the bundle's own code and drops the rest (the drivers' chunks would add
// ~15 MB to dist/ for stack frames inside pg or snowflake-sdk). A file whose map is dropped loses
// its `//# sourceMappingURL` line too. Usage: node scripts/prune-source-maps.mjs DIR
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/prune-source-maps.mjs DIR');
  process.exit(2);
}
const OWN_SOURCE = /(^|\/)src\/(action|run|engine|report|config)\//;
let kept = 0;
let dropped = 0;
for (const name of readdirSync(dir)) {
  if (!name.endsWith('.js.map')) continue;
  const mapFile = path.join(dir, name);
  const { sources = [] } = JSON.parse(readFileSync(mapFile, 'utf8'));
  if (sources.some((source) => OWN_SOURCE.test(source))) {
    kept += 1;
    continue;
  }
  rmSync(mapFile);
  const jsFile = mapFile.slice(0, -'.map'.length);
  const js = readFileSync(jsFile, 'utf8');
  writeFileSync(jsFile, js.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n'));
  dropped += 1;
}

// A chunk also carries the `//# sourceMappingURL=` comments of the packages bundled into it, and the
// last one counts: a chunk ending with a package's `index.js.map` was read through the entry's map
// (wrong files and lines in a stack), and one naming a map that is not here made Node look for it at
// every start. Only a chunk's own comment, for a map that is kept, stays.
const STRAY = /\/\/# sourceMappingURL=[\w.-]+\.map[ \t]*$/gm;
let stray = 0;
for (const name of readdirSync(dir)) {
  if (!name.endsWith('.js')) continue;
  const jsFile = path.join(dir, name);
  const js = readFileSync(jsFile, 'utf8');
  const own = `//# sourceMappingURL=${name}.map`;
  const ownAt = existsSync(`${jsFile}.map`) ? js.lastIndexOf(own) : -1;
  const pruned = js.replace(STRAY, (comment, offset) => {
    if (offset === ownAt) return comment;
    stray += 1;
    return '';
  });
  if (pruned !== js) writeFileSync(jsFile, pruned);
}
console.log(`source maps: kept ${kept}, dropped ${dropped}; stray comments removed: ${stray}`);
