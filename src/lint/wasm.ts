/**
 * Both parsers are WebAssembly modules of several megabytes. V8 compiles them with its baseline
 * compiler and then re-compiles hot functions in the background, and a process waits for that
 * background work before it exits: about 0.4 s for a `jetbase lint` whose parsing took 20 ms.
 * Linting is short-lived, so the baseline code is all it needs.
 */
import v8 from 'node:v8';

let set = false;

export function baselineWasmOnly(): void {
  if (set) return;
  set = true;
  v8.setFlagsFromString('--liftoff-only');
}
