/**
 * SIGINT/SIGTERM while a command may hold the lock: the first signal asks the engine to stop at a
 * safe point (it then releases the lock); a second one exits at once, leaving the lock row set.
 */
import type { Output } from './output.js';

type CancelSignal = 'SIGINT' | 'SIGTERM';

/** The shell convention: 128 + signal number. */
const EXIT_CODES: Readonly<Record<CancelSignal, number>> = { SIGINT: 130, SIGTERM: 143 };

export class CancellationGuard {
  private readonly controller = new AbortController();
  private received: CancelSignal | null = null;
  private readonly handlers: Record<CancelSignal, () => void>;

  constructor(
    private readonly output: Output,
    private readonly exitNow: (code: number) => void = (code) => process.exit(code),
  ) {
    this.handlers = { SIGINT: () => this.onSignal('SIGINT'), SIGTERM: () => this.onSignal('SIGTERM') };
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** 130 / 143 after a signal, else undefined. */
  get exitCode(): number | undefined {
    return this.received === null ? undefined : EXIT_CODES[this.received];
  }

  install(): void {
    process.on('SIGINT', this.handlers.SIGINT);
    process.on('SIGTERM', this.handlers.SIGTERM);
  }

  dispose(): void {
    process.off('SIGINT', this.handlers.SIGINT);
    process.off('SIGTERM', this.handlers.SIGTERM);
  }

  private onSignal(name: CancelSignal): void {
    if (this.received === null) {
      this.received = name;
      this.output.log('Cancelling: finishing the current step and releasing the lock…');
      this.controller.abort();
      return;
    }
    this.output.log(
      `Received ${name} again: exiting now. The migration lock may stay held; once no migration is running, release it with 'jetbase unlock'.`,
    );
    this.exitNow(EXIT_CODES[name]);
  }
}
