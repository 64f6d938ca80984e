#!/usr/bin/env node
/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`, e.g. `npm run bench -- --cpu-prof`):
 * self time by function and by file, and inclusive time of chosen functions, so "where does the
 * time go" can be read without a browser.
 *
 *   node bench/profile-summary.mjs .tmp/bench/profiles/upgrade-1000.cpuprofile [--top 25] [--focus name,name]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' }, focus: { type: 'string', default: '' } },
});
const top = Number(values.top);
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Self time per node from the sample deltas (µs).
const self = new Map();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

const short = (url) => {
  if (!url) return '';
  const p = url.replace(/^file:\/\//, '');
  const nm = p.lastIndexOf('node_modules/');
  return nm >= 0 ? p.slice(nm + 'node_modules/'.length) : path.relative(process.cwd(), p);
};
const fnKey = (cf) =>
  `${cf.functionName || '(anonymous)'}  ${short(cf.url)}${cf.url ? `:${cf.lineNumber + 1}` : ''}`;
const fileKey = (cf) =>
  cf.url
    ? short(cf.url).replace(/^(@?[^/]+(?:\/[^/]+)?).*node_modules.*$/, '$1')
    : cf.functionName || '(native)';
const pkgKey = (cf) => {
  if (!cf.url) return cf.functionName || '(native)';
  const s = short(cf.url);
  if (cf.url.includes('node_modules/'))
    return s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0];
  if (s.startsWith('node:')) return 'node: (core)';
  return s.split('/').slice(0, 2).join('/');
};

function aggregate(keyOf) {
  const m = new Map();
  for (const [id, t] of self) {
    const k = keyOf(byId.get(id).callFrame);
    m.set(k, (m.get(k) ?? 0) + t);
  }
  return [...m.entries()].sort((a, b) => b[1] - a[1]);
}
const ms = (us) => `${(us / 1000).toFixed(1).padStart(8)} ms`;
const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;

console.log(`${positionals[0]}: ${(total / 1000).toFixed(0)} ms sampled, ${profile.samples.length} samples`);
console.log('\nself time by package / directory');
for (const [k, t] of aggregate(pkgKey).slice(0, top)) console.log(`${ms(t)} ${pct(t)}  ${k}`);
console.log('\nself time by function');
for (const [k, t] of aggregate(fnKey).slice(0, top)) console.log(`${ms(t)} ${pct(t)}  ${k}`);
void fileKey;

if (values.focus) {
  // Inclusive time: a sample counts once for every distinct focused function on its stack.
  const names = values.focus.split(',');
  const incl = new Map(names.map((n) => [n, 0]));
  for (const [id, t] of self) {
    const seen = new Set();
    for (let n = id; n !== undefined; n = parent.get(n)) {
      const name = byId.get(n).callFrame.functionName;
      if (incl.has(name) && !seen.has(name)) {
        seen.add(name);
        incl.set(name, incl.get(name) + t);
      }
    }
  }
  console.log('\ninclusive time of focused functions');
  for (const [k, t] of incl) console.log(`${ms(t)} ${pct(t)}  ${k}`);
}
