/**
 * A deploy checks that it runs what was reviewed: the pull request(s) of the deployed commit are
 * found through GET /repos/{owner}/{repo}/commits/{sha}/pulls, our comment for the same directory
 * and environment is read there (only comments by the token's identity), and its plan hash is
 * compared with the plan picked under the lock, before anything runs.
 */
import { errorMessage, JetbaseError, type Plan } from '../engine/index.js';
import {
  comparePlans,
  differenceLines,
  planFingerprint,
  targetIdentity,
  type PlanDifference,
} from '../run/plan-hash.js';
import { DEPLOYED_MARKER, DEPLOYED_SUCCESS } from '../report/plan-check.js';
import type { Target } from '../run/types.js';
import type { PlanCheck } from '../report/run-report.js';
import { decodeCommentData, type CommentData } from './comment-data.js';
import { httpStatus, type GitHubClient } from './github-client.js';
import { commentMarker, ourComments, tokenLogin, type CommentKey } from './pr-comment.js';

export type ReviewLookup =
  | {
      readonly kind: 'found';
      readonly pullRequest: number;
      readonly commentId: number;
      readonly body: string;
      /** Undefined when the comment holds no plan (validated offline, or written by an older version). */
      readonly data: CommentData | undefined;
    }
  /** No pull request, or none with our comment: `reason` says which, plainly. */
  | { readonly kind: 'none'; readonly reason: string };

interface AssociatedPull {
  readonly number: number;
  readonly merged_at?: string | null;
}

/** Merged pull requests of the commit, latest merge first; each is searched for our comment. */
export async function findReviewedPlan(
  client: GitHubClient | undefined,
  where: { readonly owner: string; readonly repo: string; readonly sha: string },
  key: CommentKey,
): Promise<ReviewLookup> {
  const short = where.sha.slice(0, 12);
  if (client === undefined)
    return { kind: 'none', reason: 'there is no github-token to find the pull request that was reviewed' };
  try {
    const { data } = await client.rest.repos.listPullRequestsAssociatedWithCommit({
      owner: where.owner,
      repo: where.repo,
      commit_sha: where.sha,
    });
    const merged = (data as AssociatedPull[])
      .filter((pr) => typeof pr.merged_at === 'string')
      .sort((a, b) => (b.merged_at ?? '').localeCompare(a.merged_at ?? ''));
    if (merged.length === 0)
      return { kind: 'none', reason: `no merged pull request contains commit ${short} (a direct push?)` };
    const marker = commentMarker(key);
    const login = await tokenLogin(client);
    for (const pr of merged) {
      const target = { owner: where.owner, repo: where.repo, issueNumber: pr.number };
      const [comment] = await ourComments(client, target, marker, login);
      if (comment !== undefined) {
        const body = comment.body ?? '';
        return {
          kind: 'found',
          pullRequest: pr.number,
          commentId: comment.id,
          body,
          data: decodeCommentData(body),
        };
      }
    }
    const numbers = merged.map((pr) => `#${pr.number}`).join(', ');
    return {
      kind: 'none',
      reason: `pull request ${numbers} has no Jetbase comment for this directory and environment`,
    };
  } catch (error) {
    return {
      kind: 'none',
      reason: `the GitHub API did not answer for the pull requests of ${short} (${httpStatus(error) ?? errorMessage(error)})`,
    };
  }
}

/** The comment's receipt says this pull request was deployed successfully before. */
function isRedeploy(body: string): boolean {
  const receipt = body.indexOf(DEPLOYED_MARKER);
  return receipt >= 0 && body.slice(receipt).includes(DEPLOYED_SUCCESS);
}

/** Nothing runs that was not reviewed: reviewed files were only applied in the meantime. */
function onlyMovedOn(difference: PlanDifference): boolean {
  return (
    difference.added.length === 0 &&
    difference.changed.length === 0 &&
    difference.removed.length === 0 &&
    !difference.reordered &&
    difference.target === undefined
  );
}

/** The plan picked under the lock against the review: what to report, and an error when it must not run. */
export function checkPlan(
  lookup: ReviewLookup,
  plan: Plan,
  target: Target,
  required: boolean,
): { readonly check: PlanCheck; readonly refusal: JetbaseError | undefined } {
  const actual = planFingerprint(plan, targetIdentity(target.config));
  const refuse = (message: string) =>
    required
      ? new JetbaseError(
          'PLAN_NOT_REVIEWED',
          `${message} Nothing was applied (require-reviewed-plan is true).`,
          {
            hint: 'Open a pull request with the migrations so the plan is reviewed, or re-run the review before deploying.',
          },
        )
      : undefined;
  if (lookup.kind === 'none') {
    const reason = `No reviewed plan: ${lookup.reason}.`;
    return {
      check: { kind: 'no-review', reason, refused: required, planHash: actual.hash },
      refusal: refuse(reason),
    };
  }
  if (lookup.data === undefined) {
    const reason = `No reviewed plan: the comment on #${lookup.pullRequest} holds no plan hash (validated without a database?).`;
    return {
      check: {
        kind: 'no-review',
        reason,
        refused: required,
        pullRequest: lookup.pullRequest,
        planHash: actual.hash,
      },
      refusal: refuse(reason),
    };
  }
  const reviewed = lookup.data.plan;
  const difference = comparePlans(reviewed, actual, plan.history);
  if (difference === undefined)
    return {
      check: { kind: 'matched', pullRequest: lookup.pullRequest, planHash: actual.hash },
      refusal: undefined,
    };
  const differs = (differences: readonly string[], refused: boolean): PlanCheck => ({
    kind: 'differs',
    pullRequest: lookup.pullRequest,
    planHash: actual.hash,
    reviewedHash: reviewed.hash,
    differences,
    refused,
  });
  if (isRedeploy(lookup.body) && onlyMovedOn(difference)) {
    // A re-run after this pull request's own deploy: what is left to run is part of what was reviewed.
    const differences = [
      ...differenceLines(difference),
      'An earlier deploy of this pull request applied them.',
    ];
    return { check: differs(differences, false), refusal: undefined };
  }
  const lines = lookup.data.entriesOmitted
    ? [`The plan differs from the reviewed one (the review kept only its hash: its file list was too long).`]
    : differenceLines(difference);
  const message = `The plan differs from the one reviewed in #${lookup.pullRequest}: ${lines.join(' ')}`;
  return { check: differs(lines, required), refusal: refuse(message) };
}
