/**
 * SIGINT/SIGTERM (what the runner sends when a run is cancelled: SIGINT, then SIGTERM about 7.5 s
 * later, then a kill) abort the engine, which stops at its next safe point, rolls the current
 * migration back where the database allows it and releases the lock. Later signals only log: the
 * engine is already stopping, and exiting now would leave the lock to the post step.
 */
import * as core from '@actions/core';

type CancelSignal = 'SIGINT' | 'SIGTERM';

export class Cancellation {
  private readonly controller = new AbortController();
  private readonly onSignal = (name: CancelSignal): void => {
    if (this.controller.signal.aborted) {
      core.info(`Received ${name} again: still stopping at the next safe point.`);
      return;
    }
    core.info(`Received ${name}: stopping at the next safe point and releasing the migration lock…`);
    this.controller.abort();
  };
  private readonly onSigint = (): void => this.onSignal('SIGINT');
  private readonly onSigterm = (): void => this.onSignal('SIGTERM');

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  install(): void {
    process.on('SIGINT', this.onSigint);
    process.on('SIGTERM', this.onSigterm);
  }

  dispose(): void {
    process.off('SIGINT', this.onSigint);
    process.off('SIGTERM', this.onSigterm);
  }
}
