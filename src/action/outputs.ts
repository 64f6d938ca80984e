/** Step outputs from a run report; every value passes through redaction before it leaves. */
import * as core from '@actions/core';

import { executionOrder } from '../engine/plan.js';
import { resultWithLint, riskCountOf } from '../report/risks.js';
import { hasDrift, problemsOf, type RunReport } from '../report/run-report.js';
import { verifyPassed } from '../report/verify-section.js';
import { Outputs } from './constants.js';
import { redact } from './secrets.js';

export interface OutputValues {
  readonly result: string;
  readonly appliedCount: number;
  /** Undefined when it cannot be known (offline, or the run failed before planning). */
  readonly pendingCount: number | undefined;
  readonly currentVersion: string | null | undefined;
  readonly drift: boolean;
}

export function outputValues(report: RunReport): OutputValues {
  const { outcome } = report;
  const currentVersion =
    outcome.command === 'upgrade' || outcome.command === 'rollback' || outcome.command === 'status'
      ? outcome.currentVersion
      : undefined;
  let appliedCount = 0;
  let pendingCount: number | undefined;
  switch (outcome.command) {
    case 'status':
      pendingCount = executionOrder(outcome.plan).length;
      break;
    case 'upgrade': {
      appliedCount = outcome.outcomes.filter((o) => o.status === 'applied').length;
      const ran = new Set(outcome.outcomes.filter((o) => o.status === 'applied').map((o) => o.relativePath));
      pendingCount = outcome.dryRun
        ? outcome.preview.length
        : executionOrder(outcome.plan).filter((p) => !ran.has(p.file.relativePath)).length;
      break;
    }
    case 'rollback':
      appliedCount = outcome.outcomes.filter((o) => o.status === 'rolled-back').length;
      break;
    default:
      break;
  }
  return {
    result: resultWithLint(report),
    appliedCount,
    pendingCount,
    currentVersion,
    drift: hasDrift(outcome),
  };
}

/** The `report` output: small, stable, no file contents, redacted. */
export function reportJson(report: RunReport, values: OutputValues): string {
  const { context, outcome } = report;
  const pending =
    outcome.command === 'status' || outcome.command === 'offline-validate' || outcome.command === 'upgrade'
      ? executionOrder(outcome.plan).map((p) => ({
          file: p.file.relativePath,
          type: p.file.type,
          version: p.file.version,
          statements: p.file.upgradeStatements.length,
          reason: p.reason,
        }))
      : [];
  const ran =
    outcome.command === 'upgrade' || outcome.command === 'rollback'
      ? outcome.outcomes.map((o) => ({
          file: o.relativePath,
          type: o.type,
          version: o.version,
          direction: o.direction,
          status: o.status,
          statements: o.statements.length,
          durationMs: Math.round(o.durationMs),
        }))
      : [];
  const error =
    outcome.command === 'error'
      ? { code: outcome.code, message: outcome.message }
      : (outcome.command === 'upgrade' || outcome.command === 'rollback') && outcome.error
        ? { code: outcome.error.code, message: outcome.error.message }
        : undefined;
  const document = {
    command: context.command,
    offline: outcome.command === 'offline-validate',
    result: values.result,
    directory: context.directory,
    environment: context.environment,
    target: outcome.command === 'error' || outcome.command === 'offline-validate' ? null : outcome.target,
    dryRun: outcome.command === 'upgrade' || outcome.command === 'rollback' ? outcome.dryRun : false,
    durationMs: outcome.command === 'error' ? null : Math.round(outcome.durationMs),
    appliedCount: values.appliedCount,
    pendingCount: values.pendingCount ?? null,
    currentVersion: values.currentVersion ?? null,
    drift: values.drift,
    pending,
    ran,
    problems: problemsOf(outcome),
    ...(error === undefined ? {} : { error }),
  };
  return redact(JSON.stringify(document));
}

export function setOutputs(report: RunReport, values: OutputValues = outputValues(report)): void {
  core.setOutput(Outputs.Result, values.result);
  core.setOutput(Outputs.AppliedCount, String(values.appliedCount));
  core.setOutput(Outputs.PendingCount, values.pendingCount === undefined ? '' : String(values.pendingCount));
  core.setOutput(Outputs.CurrentVersion, redact(values.currentVersion ?? ''));
  core.setOutput(Outputs.Drift, String(values.drift));
  core.setOutput(Outputs.Report, reportJson(report, values));
  core.setOutput(Outputs.RiskCount, String(riskCountOf(report.lint)));
  core.setOutput(Outputs.PlanHash, report.context.planHash ?? '');
  core.setOutput(Outputs.Verified, report.verify === undefined ? '' : String(verifyPassed(report.verify)));
}
