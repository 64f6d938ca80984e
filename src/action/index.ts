/**
 * The bundle's entry. Source maps go on first, so that a crash prints a stack in src/ files and
 * lines instead of a line of minified code; Node reads a file's map only when the file loads after
 * that, which is why everything else is imported dynamically.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

process.setSourceMapsEnabled(true);

// The bundle is an ES module, where CommonJS's __dirname does not exist; snowflake-sdk (bundled
// as CommonJS, loaded lazily) reads it when it loads and fails with "__dirname is not defined".
(globalThis as { __dirname?: string }).__dirname ??= path.dirname(fileURLToPath(import.meta.url));

const { start } = await import('./entry.js');
await start();
// Exit explicitly: an idle keep-alive socket or limiter timer must not hold a finished step open.
process.exit(process.exitCode ?? 0);
