/**
 * The post step (`post-if: always()`): when the main step saved a lock holder id and did not record
 * that the lock is released (it was killed, or its connection died), reconnect with the same inputs
 * and environment and release the lock, but only if that id still holds it (never another run's).
 * Never fails the job: a lock it cannot release becomes a warning that says how to release it.
 */
import * as core from '@actions/core';

import { errorMessage, releaseLockOf } from '../engine/index.js';
import { openTarget } from '../run/index.js';
import { envForRepositoryCode } from './child-env.js';
import { State } from './constants.js';
import { readEvent } from './event.js';
import { readInputs } from './inputs.js';
import { maskRegisteredSecrets, redact } from './secrets.js';
import { jetbaseDirOf, overridesOf } from './workspace.js';

export async function post(): Promise<void> {
  const processId = core.getState(State.LockProcessId);
  if (processId === '' || core.getState(State.LockReleased) === 'true') {
    core.debug('No migration lock to release.');
    return;
  }
  const where = core.getState(State.LockTarget) || 'the database';
  try {
    const inputs = readInputs();
    const event = readEvent();
    const target = await openTarget({
      jetbaseDir: jetbaseDirOf(inputs),
      env: process.env,
      overrides: overridesOf(inputs),
      envPyEnvironment: envForRepositoryCode(process.env),
      ...(event.untrustedCode === undefined ? {} : { forbidEnvPyExecution: event.untrustedCode }),
      onSecrets: maskRegisteredSecrets,
    });
    if (target.dialect === undefined) {
      core.warning(
        redact(
          `The main step may have left the migration lock held on ${where}, but no database URL is configured here to release it.`,
        ),
      );
      return;
    }
    const released = await releaseLockOf(
      { jetbaseDir: target.jetbaseDir, dialect: target.dialect },
      processId,
    );
    if (released)
      core.warning(
        redact(
          `The main step stopped while holding the migration lock on ${where}; the post step released it (process ${processId}).`,
        ),
      );
    else
      core.info(
        redact(
          `The migration lock on ${where} is not held by this run (process ${processId}): nothing to release.`,
        ),
      );
  } catch (error) {
    core.warning(
      redact(
        `Could not release the migration lock on ${where} held by process ${processId}: ${errorMessage(error)}. ` +
          "Once no migration is running, release it with 'jetbase unlock'.",
      ),
    );
  }
}
