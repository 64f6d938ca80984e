/**
 * Where a run's report goes besides the log: the job summary and the pull request's comment
 * (one per directory and environment, updated in place). Neither can fail the step: a summary or
 * comment that cannot be written is a warning.
 */
import * as core from '@actions/core';

import { errorMessage } from '../engine/index.js';
import { renderMarkdown, SUMMARY_MAX_LENGTH } from '../report/markdown.js';
import type { RunReport } from '../report/run-report.js';
import type { RunEvent } from './event.js';
import type { GitHubClient } from './github-client.js';
import type { ActionInputs } from './inputs.js';
import { bodyRoom, commentMarker, upsertComment } from './pr-comment.js';
import { redact } from './secrets.js';

export async function writeSummary(report: RunReport): Promise<void> {
  try {
    await core.summary
      .addRaw(redact(renderMarkdown(report, { maxLength: SUMMARY_MAX_LENGTH })), true)
      .write();
  } catch (error) {
    core.warning(redact(`Could not write the job summary: ${errorMessage(error)}`));
  }
}

export async function writeComment(
  report: RunReport,
  inputs: ActionInputs,
  event: RunEvent,
  client: GitHubClient | undefined,
  /** A hidden HTML comment with data for later runs (comment-data.ts), placed right after the marker. */
  hiddenData?: string,
): Promise<void> {
  if (!inputs.comment || event.pullRequest === undefined) return;
  if (client === undefined) {
    core.warning('No github-token: the PR comment was skipped.');
    return;
  }
  const key = { directory: report.context.directory, environment: report.context.environment };
  const data = hiddenData === undefined ? '' : `${hiddenData}\n`;
  const room = bodyRoom(commentMarker(key)) - data.length;
  const markdown = data + redact(renderMarkdown(report, { maxLength: room })).slice(0, room);
  try {
    const result = await upsertComment(
      client,
      { owner: event.owner, repo: event.repo, issueNumber: event.pullRequest.number },
      key,
      markdown,
    );
    if (result.action === 'skipped') core.warning(redact(`PR comment skipped: ${result.reason}`));
    else core.info(redact(`PR comment ${result.action}: ${result.url ?? `id ${result.id}`}`));
  } catch (error) {
    core.warning(redact(`Could not write the PR comment: ${errorMessage(error)}`));
  }
}
