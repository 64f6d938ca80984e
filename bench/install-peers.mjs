#!/usr/bin/env node
// Installs the peer tools of bench/package.json into bench/node_modules on first use.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const bench = import.meta.dirname;
const wanted = ['dbmate', 'node-pg-migrate', 'postgrator', 'postgrator-cli'];
if (!wanted.every((name) => existsSync(path.join(bench, 'node_modules', name, 'package.json')))) {
  console.error('bench: installing the peer tools into bench/node_modules (first run only)');
  execFileSync('npm', ['install', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', bench], {
    stdio: 'inherit',
  });
}
