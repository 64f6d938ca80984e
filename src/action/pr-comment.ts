/**
 * One PR comment per (jetbase directory, environment), updated in place. Found by a hidden marker
 * holding a hash of both, through every page of the PR's comments, and only among comments written
 * by the token's own identity: anyone can paste the marker into a comment, and adopting (or
 * deleting) theirs would let them hide or replace the report. Two jobs racing to create it both
 * re-list after creating; every one of them keeps the oldest and deletes the newer ones, so they
 * converge on a single comment.
 */
import { createHash } from 'node:crypto';

import { COMMENT_MAX_LENGTH } from '../report/markdown.js';
import { httpStatus, type GitHubClient } from './github-client.js';

export interface CommentTarget {
  readonly owner: string;
  readonly repo: string;
  readonly issueNumber: number;
}

export interface CommentKey {
  readonly directory: string;
  readonly environment: string;
}

export type CommentResult =
  /** `url` is missing when the API answer has no html_url (some GitHub Enterprise proxies strip it). */
  | { readonly action: 'created' | 'updated'; readonly id: number; readonly url: string | undefined }
  | { readonly action: 'skipped'; readonly reason: string; readonly permission: boolean };

/** Who GITHUB_TOKEN writes as; GET /user is not allowed for it (403 "Resource not accessible by integration"). */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

export function commentMarker(key: CommentKey): string {
  const hash = createHash('sha256').update(`${key.directory}\n${key.environment}`).digest('hex').slice(0, 16);
  return `<!-- jetbase-action:${hash} -->`;
}

/** The marker plus the report; the caller renders the report to fit `bodyRoom(marker)`. */
export function commentBody(marker: string, markdown: string): string {
  return `${marker}\n${markdown}`;
}

export function bodyRoom(marker: string): number {
  return COMMENT_MAX_LENGTH - marker.length - 1;
}

export interface IssueComment {
  readonly id: number;
  readonly body?: string | null;
  readonly html_url: string;
  readonly created_at: string;
  readonly user: { readonly login: string } | null;
}

function urlOf(comment: { readonly html_url?: string | null }): string | undefined {
  return typeof comment.html_url === 'string' && comment.html_url !== '' ? comment.html_url : undefined;
}

export async function tokenLogin(client: GitHubClient): Promise<string> {
  try {
    const { data } = await client.rest.users.getAuthenticated();
    return data.login;
  } catch (error) {
    const status = httpStatus(error);
    if (status === 401 || status === 403 || status === 404) return ACTIONS_BOT_LOGIN;
    throw error;
  }
}

export async function ourComments(
  client: GitHubClient,
  target: CommentTarget,
  marker: string,
  login: string,
): Promise<IssueComment[]> {
  // paginate() follows every Link rel="next": the marker may sit on any page of a long PR.
  const all: IssueComment[] = await client.paginate(client.rest.issues.listComments, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    per_page: 100,
  });
  return all
    .filter((c) => c.user?.login === login && (c.body ?? '').startsWith(marker))
    .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id);
}

async function deleteComment(client: GitHubClient, target: CommentTarget, id: number): Promise<void> {
  try {
    await client.rest.issues.deleteComment({ owner: target.owner, repo: target.repo, comment_id: id });
  } catch (error) {
    // The other job deleted it first: the goal is reached.
    if (httpStatus(error) !== 404) throw error;
  }
}

async function update(
  client: GitHubClient,
  target: CommentTarget,
  id: number,
  body: string,
): Promise<CommentResult> {
  const { data } = await client.rest.issues.updateComment({
    owner: target.owner,
    repo: target.repo,
    comment_id: id,
    body,
  });
  return { action: 'updated', id: data.id, url: urlOf(data) };
}

/** Creates or updates the comment. Permission problems come back as `skipped`; anything else throws. */
export async function upsertComment(
  client: GitHubClient,
  target: CommentTarget,
  key: CommentKey,
  markdown: string,
): Promise<CommentResult> {
  const marker = commentMarker(key);
  const body = commentBody(marker, markdown);
  try {
    const login = await tokenLogin(client);
    const existing = await ourComments(client, target, marker, login);
    const [oldest, ...extra] = existing;
    if (oldest) {
      for (const comment of extra) await deleteComment(client, target, comment.id);
      return await update(client, target, oldest.id, body);
    }
    const { data: created } = await client.rest.issues.createComment({
      owner: target.owner,
      repo: target.repo,
      issue_number: target.issueNumber,
      body,
    });
    // Another job may have created one at the same moment: keep the oldest, delete the rest.
    const after = await ourComments(client, target, marker, created.user?.login ?? login);
    const keep = after[0];
    if (keep === undefined || keep.id === created.id) {
      for (const comment of after.slice(1)) await deleteComment(client, target, comment.id);
      return { action: 'created', id: created.id, url: urlOf(created) };
    }
    for (const comment of after.slice(1)) await deleteComment(client, target, comment.id);
    if (!after.slice(1).some((c) => c.id === created.id)) await deleteComment(client, target, created.id);
    return await update(client, target, keep.id, body);
  } catch (error) {
    const status = httpStatus(error);
    if (status === 403 && /rate limit/i.test(error instanceof Error ? error.message : '')) {
      return {
        action: 'skipped',
        permission: false,
        reason: 'GitHub kept answering with a rate limit; the comment was not written.',
      };
    }
    if (status === 403 || status === 404) {
      return {
        action: 'skipped',
        permission: true,
        reason:
          `GitHub answered ${status}: the token cannot write PR comments here. Fork PRs get a read-only token; ` +
          "otherwise grant 'permissions: pull-requests: write' to the job.",
      };
    }
    throw error;
  }
}
