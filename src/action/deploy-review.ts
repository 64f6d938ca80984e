/**
 * The main step's part of "what was reviewed is what deploys": on a pull request the comment keeps
 * the plan (hidden data); on a deploy the reviewed plan is looked up first, checked under the lock
 * through the upgrade's approval hook, and the merged pull request gets a receipt afterwards.
 */
import * as core from '@actions/core';

import type { JetbaseError, Plan } from '../engine/index.js';
import { planFingerprint, targetIdentity, type PlanFingerprint } from '../run/plan-hash.js';
import type { CommandReport, DatabaseCommand, FailedRun, Target } from '../run/types.js';
import type { PlanCheck, RunReport } from '../report/run-report.js';
import { DEPLOYED_MARKER } from '../report/plan-check.js';
import { encodeCommentData } from './comment-data.js';
import type { RunEvent } from './event.js';
import type { GitHubClient } from './github-client.js';
import type { CommentKey } from './pr-comment.js';
import { writeReceipt } from './receipt.js';
import { checkPlan, findReviewedPlan, type ReviewLookup } from './reviewed-plan.js';
import { redact } from './secrets.js';

/** A deploy: a real upgrade on a push or a manual run (auto resolves these to upgrade on the default branch). */
export function isDeploy(event: RunEvent, command: DatabaseCommand): boolean {
  return (
    command.name === 'upgrade' &&
    !command.dryRun &&
    (event.name === 'push' || event.name === 'workflow_dispatch')
  );
}

/** The plan made against a database (never for an offline validation or a run that stopped). */
export function fingerprintOf(
  outcome: CommandReport | FailedRun,
  target: Target | undefined,
): PlanFingerprint | undefined {
  if (target?.dialect === undefined) return undefined;
  if (outcome.command !== 'status' && outcome.command !== 'upgrade') return undefined;
  return planFingerprint(outcome.plan, targetIdentity(target.config));
}

/** The hidden data a pull request's comment keeps: the plan a reviewer sees there. */
export function reviewData(
  outcome: CommandReport | FailedRun,
  fingerprint: PlanFingerprint | undefined,
): string | undefined {
  if (outcome.command !== 'status' || fingerprint === undefined) return undefined;
  // base64 hides text from redaction: a plan whose names hold a registered secret is not kept.
  const json = JSON.stringify(fingerprint);
  return redact(json) === json ? encodeCommentData({ plan: fingerprint }) : undefined;
}

export class ReviewGate {
  private checked: PlanCheck | undefined;

  private constructor(
    readonly lookup: ReviewLookup,
    private readonly required: boolean,
  ) {}

  static async open(
    client: GitHubClient | undefined,
    event: RunEvent,
    key: CommentKey,
    required: boolean,
  ): Promise<ReviewGate> {
    const lookup = await findReviewedPlan(
      client,
      { owner: event.owner, repo: event.repo, sha: event.sha },
      key,
    );
    core.info(
      redact(
        lookup.kind === 'found'
          ? `Reviewed plan: the Jetbase comment on #${lookup.pullRequest}.`
          : `Reviewed plan: none (${lookup.reason}).`,
      ),
    );
    return new ReviewGate(lookup, required);
  }

  /** The upgrade's approval hook: called under the lock, before the first file. */
  readonly approve = (plan: Plan, target: Target): JetbaseError | undefined => {
    const { check, refusal } = checkPlan(this.lookup, plan, target, this.required);
    this.checked = check;
    return refusal;
  };

  get check(): PlanCheck | undefined {
    return this.checked;
  }

  /** Warnings for the log, then the receipt on the reviewed pull request. */
  async finish(report: RunReport, client: GitHubClient | undefined, event: RunEvent): Promise<void> {
    const check = this.checked;
    if (check?.kind === 'differs' && !check.refused)
      core.warning(
        redact(
          `The deployed plan differs from the one reviewed in #${check.pullRequest}: ${check.differences.join(' ')}`,
        ),
      );
    if (check?.kind === 'no-review' && !check.refused) core.notice(redact(check.reason));
    if (this.lookup.kind !== 'found' || client === undefined) return;
    const { outcome } = report;
    if (
      outcome.command === 'upgrade' &&
      outcome.ok &&
      outcome.upToDate &&
      this.lookup.body.includes(DEPLOYED_MARKER)
    ) {
      core.info(
        `Nothing was applied; the receipt on #${this.lookup.pullRequest} of the earlier deploy is kept.`,
      );
      return;
    }
    await writeReceipt(client, { owner: event.owner, repo: event.repo }, this.lookup, {
      environment: report.context.environment,
      at: new Date().toISOString(),
      runUrl: report.context.runUrl,
      outcome: report.outcome,
    });
  }
}
