/**
 * One wording for a run's progress, whichever shell prints it: the CLI styles the parts, the
 * action logs the text. A line marked `verbose` is for logs (the action); the CLI's terse output
 * leaves it out.
 */
import type { MigrationOutcome } from '../engine/index.js';
import { formatDuration } from '../report/duration.js';
import type { CommandName, ProgressEvent } from './types.js';

export type ProgressLine =
  | {
      readonly kind: 'message';
      readonly level: 'info' | 'warning';
      readonly text: string;
      readonly verbose: boolean;
      /** A retry line that a terminal may overwrite with the next one. */
      readonly transient?: boolean;
    }
  | {
      readonly kind: 'outcome';
      readonly status: MigrationOutcome['status'];
      readonly mark: '✔' | '↩' | '✘';
      readonly filename: string;
      readonly duration: string;
      /** `✔ V1__x.sql  12 ms` */
      readonly text: string;
    };

const START_MESSAGES: Partial<Record<CommandName, string>> = {
  upgrade: 'Starting migrations...',
  rollback: 'Starting rollback...',
};

function message(
  text: string,
  level: 'info' | 'warning' = 'info',
  verbose = false,
): Extract<ProgressLine, { kind: 'message' }> {
  return { kind: 'message', level, text, verbose };
}

/** Turns events into lines; it remembers whether the run waited, to say how long the wait was. */
export function progressFormatter(command: CommandName): (event: ProgressEvent) => ProgressLine[] {
  let waited = false;
  return (event) => {
    switch (event.type) {
      case 'notice':
        return [message(`Note: ${event.message}`)];
      case 'waiting-for-lock':
        waited = true;
        return [
          message(
            `Waiting for the migration lock, held since ${event.lockedAt ?? 'an unknown time'} by process ${event.processId ?? 'unknown'}…`,
          ),
        ];
      case 'lock-taken-over':
        waited = true;
        return [
          message(
            `Took over the migration lock from process ${event.previousProcessId ?? 'unknown'} (held since ${event.lockedAt ?? 'an unknown time'}): its session is gone, so its unfinished migration was rolled back where the database allows it.`,
            'warning',
          ),
        ];
      case 'connect-retry':
        return [
          {
            ...message(
              `Database not reachable yet (${event.error}); retrying in ${formatDuration(event.delayMs)} (attempt ${event.attempt}).`,
            ),
            transient: true,
          },
        ];
      case 'lock-acquired': {
        const lines: ProgressLine[] = [
          waited
            ? message(`Lock acquired after ${formatDuration(event.waitedMs)}.`)
            : message(`Acquired the migration lock (process ${event.processId}).`, 'info', true),
        ];
        const start = START_MESSAGES[command];
        if (start !== undefined) lines.push(message(start));
        return lines;
      }
      case 'lock-released':
        return [message('Released the migration lock.', 'info', true)];
      case 'lock-released-on-new-connection':
        return [message('Released the migration lock on a new connection.')];
      case 'lock-release-failed':
        return [message(`Could not release the migration lock (${event.error}).`, 'warning')];
      case 'migration-started':
        return [
          message(
            `${event.direction === 'upgrade' ? 'Applying' : 'Rolling back'} ${event.filename}…`,
            'info',
            true,
          ),
        ];
      case 'migration-finished': {
        const o = event.outcome;
        const mark = o.status === 'failed' ? '✘' : o.direction === 'rollback' ? '↩' : '✔';
        const duration = formatDuration(o.durationMs);
        return [
          {
            kind: 'outcome',
            status: o.status,
            mark,
            filename: o.filename,
            duration,
            text: `${mark} ${o.filename}  ${duration}`,
          },
        ];
      }
    }
  };
}
