/**
 * The action's verify step: on a pull request with `verify-database-url`, after validation, the
 * chain is replayed on that disposable database through the run layer. Its result goes into the
 * same report (the PR comment's "Tested on a fresh database" section, the `verified` output) and a
 * failure fails the check.
 */
import * as core from '@actions/core';

import { progressFormatter, run as runPipeline } from '../run/index.js';
import type { RunReport } from '../report/run-report.js';
import {
  verifyPassed,
  verifySummary,
  verifyTextLines,
  type VerifyOutcome,
} from '../report/verify-section.js';
import { envForRepositoryCode } from './child-env.js';
import type { RunEvent } from './event.js';
import type { ActionInputs } from './inputs.js';
import { maskRegisteredSecrets, redact } from './secrets.js';
import { jetbaseDirOf, overridesOf } from './workspace.js';

/** Verify runs on pull requests whose files validated (invalid files would only fail again). */
export function shouldVerify(inputs: ActionInputs, event: RunEvent, report: RunReport): boolean {
  if (inputs.verifyDatabaseUrl === '' || event.pullRequest === undefined) return false;
  const { outcome } = report;
  return !(outcome.command === 'error' && (outcome.code === 'CANCELLED' || outcome.problems !== undefined));
}

export async function verifyStep(
  inputs: ActionInputs,
  event: RunEvent,
  signal: AbortSignal,
): Promise<VerifyOutcome> {
  const format = progressFormatter('verify');
  return core.group('Verify on a fresh database', async () => {
    const { outcome } = await runPipeline({
      jetbaseDir: jetbaseDirOf(inputs),
      command: { name: 'verify', url: inputs.verifyDatabaseUrl },
      env: process.env,
      overrides: overridesOf(inputs),
      envPyEnvironment: envForRepositoryCode(process.env),
      ...(event.untrustedCode === undefined ? {} : { forbidEnvPyExecution: event.untrustedCode }),
      signal,
      connectRetryMs: Math.round(inputs.connectTimeoutSeconds * 1000),
      onSecrets: maskRegisteredSecrets,
      onProgress: (progress) => {
        for (const line of format(progress))
          if (line.kind === 'outcome' || !line.verbose) core.info(redact(line.text));
      },
    });
    const result = outcome.command === 'verify' || outcome.command === 'error' ? outcome : undefined;
    if (result === undefined) throw new Error(`unexpected report for verify: ${outcome.command}`);
    core.info(redact(verifySummary(result)));
    if (result.command === 'verify' && result.withoutRollback.length > 0)
      core.warning(redact(verifyTextLines(result).warning ?? ''), { title: 'Jetbase: rollback not tested' });
    return result;
  });
}

/** The line setFailed adds when verify failed. */
export function verifyFailureText(verify: VerifyOutcome | undefined): string {
  if (verify === undefined || verifyPassed(verify)) return '';
  const detail =
    verify.command === 'error' ? '' : verify.failure === undefined ? '' : `\n${verify.failure.error.message}`;
  return `\n${redact(verifySummary(verify))}${redact(detail)}`;
}
