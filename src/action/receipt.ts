/**
 * The receipt: after a deploy, the merged pull request's comment for the same directory and
 * environment gains a "Deployed" section (environment, time, run link, each applied file with its
 * time, the result or the failure). The review above it is kept; a later deploy replaces the
 * section. A token that may not write there only costs a warning.
 */
import * as core from '@actions/core';

import { errorMessage } from '../engine/index.js';
import { COMMENT_MAX_LENGTH } from '../report/markdown.js';
import { DEPLOYED_MARKER, deployedSection, type Deployment } from '../report/plan-check.js';
import { httpStatus, type GitHubClient } from './github-client.js';
import type { ReviewLookup } from './reviewed-plan.js';
import { redact } from './secrets.js';

/** The comment body with the receipt in place of any earlier one, within GitHub's size limit. */
export function bodyWithReceipt(body: string, receipt: string): string {
  const cut = body.indexOf(DEPLOYED_MARKER);
  const review = (cut < 0 ? body : body.slice(0, cut)).trimEnd();
  const room = COMMENT_MAX_LENGTH - receipt.length - 2;
  const kept =
    review.length <= room ? review : `${review.slice(0, review.lastIndexOf('\n', room - 60))}\n\n…`;
  return `${kept}\n\n${receipt}\n`;
}

export async function writeReceipt(
  client: GitHubClient,
  where: { readonly owner: string; readonly repo: string },
  lookup: Extract<ReviewLookup, { kind: 'found' }>,
  deployment: Deployment,
): Promise<void> {
  const body = bodyWithReceipt(lookup.body, redact(deployedSection(deployment)));
  try {
    await client.rest.issues.updateComment({ ...where, comment_id: lookup.commentId, body });
    core.info(`Receipt added to the comment on #${lookup.pullRequest}.`);
  } catch (error) {
    const status = httpStatus(error);
    const why =
      status === 403 || status === 404
        ? `GitHub answered ${status}: the token cannot write PR comments here (grant 'permissions: pull-requests: write' to the job)`
        : errorMessage(error);
    core.warning(redact(`The deploy receipt was not added to #${lookup.pullRequest}: ${why}.`));
  }
}
