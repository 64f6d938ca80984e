#!/usr/bin/env node
// Set before any driver module loads: nothing leaves the machine unasked.
process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION ??= 'true';
process.env.DATABRICKS_TELEMETRY_DISABLED ??= '1';

// A dynamic import, so the lines above run before the CLI's (and the drivers') modules are evaluated.
// lib/bundle/ is lib/cli/index.js and what it imports in one file (scripts/bundle-cli.mjs): a start
// compiles one module instead of ~70.
const { main } = await import('../lib/bundle/index.js');
process.exitCode = await main(process.argv.slice(2));
