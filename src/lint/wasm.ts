/**
 * Both parsers are WebAssembly modules of several megabytes. V8 compiles them with its baseline
 * compiler and then re-compiles hot functions in the background, and a process waits for that
 * background work before it exits: about 0.4 s for a `jetbase lint` whose parsing took 20 ms.
 * Linting is short-lived, so the baseline code is all it needs.
 */
let setting: Promise<void> | undefined;

/** Before either parser compiles; node:v8 is imported here, so a run that lints nothing never loads it. */
export function baselineWasmOnly(): Promise<void> {
  setting ??= import('node:v8').then(({ default: v8 }) => v8.setFlagsFromString('--liftoff-only'));
  return setting;
}
