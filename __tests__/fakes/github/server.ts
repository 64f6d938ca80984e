/**
 * A loopback fake of the few GitHub REST endpoints the action uses, close enough to the real API
 * that Octokit's pagination, retry and throttling plugins behave as they do against github.com:
 * Link headers with rel="next"/"last", per_page capped at 100 (default 30), 401 without a known
 * token, 403 "Resource not accessible by integration" for GET /user with an installation token
 * and for writes with a read-only token, and a secondary rate limit answered with 403 +
 * Retry-After. Every request is recorded.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeUser {
  readonly login: string;
  readonly type: 'User' | 'Bot';
}

export interface FakeComment {
  readonly id: number;
  body: string;
  readonly user: FakeUser;
  readonly created_at: string;
  updated_at: string;
  readonly html_url: string;
}

export interface TokenInfo {
  readonly user: FakeUser;
  /** GITHUB_TOKEN cannot call GET /user (403); a PAT can. */
  readonly canGetUser: boolean;
  /** Fork PRs get a read-only token: writes answer 403. */
  readonly readOnly: boolean;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly authorization: string | undefined;
  readonly body: string;
  readonly status: number;
  readonly at: number;
}

export interface ContentsEntry {
  readonly type: 'file' | 'dir';
  readonly name: string;
  readonly path: string;
}

export interface FakeGitHubOptions {
  readonly tokens: Readonly<Record<string, TokenInfo>>;
  /** Answer the first request of this kind with a secondary rate limit (403 + Retry-After: 1). */
  readonly secondaryRateLimitOnce?: 'create-comment' | 'list-comments';
  /** GET /repos/:owner/:repo/contents/:path → entries, keyed by path (any ref). */
  readonly contents?: Readonly<Record<string, readonly ContentsEntry[]>>;
  /** Answer comments without html_url, as some proxies in front of GitHub Enterprise do. */
  readonly omitHtmlUrl?: boolean;
  /** GET /repos/:owner/:repo/contents/:path with the raw media type → the file's text, keyed by path (any ref). */
  readonly files?: Readonly<Record<string, string>>;
  /** GET /repos/:owner/:repo/commits/:sha/pulls → the pull requests of that commit, keyed by sha. */
  readonly pullsForCommit?: Readonly<Record<string, readonly FakePullRequest[]>>;
}

export interface FakePullRequest {
  readonly number: number;
  readonly state: 'open' | 'closed';
  /** ISO time, or null when not merged. */
  readonly merged_at: string | null;
  readonly base: { readonly ref: string };
}

export const ACTIONS_BOT: FakeUser = { login: 'github-actions[bot]', type: 'Bot' };

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  private readonly comments = new Map<number, FakeComment[]>();
  private nextId = 1000;
  private clock = Date.parse('2026-01-01T00:00:00Z');
  private rateLimited = false;
  private server = createServer((req, res) => void this.handle(req, res));
  url = '';

  constructor(private readonly options: FakeGitHubOptions) {}

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Adds a comment as if someone had written it earlier. */
  seedComment(issue: number, user: FakeUser, body: string): FakeComment {
    const comment = this.newComment(issue, user, body);
    this.list(issue).push(comment);
    return comment;
  }

  commentsOn(issue: number): readonly FakeComment[] {
    return this.list(issue);
  }

  private list(issue: number): FakeComment[] {
    let list = this.comments.get(issue);
    if (!list) this.comments.set(issue, (list = []));
    return list;
  }

  private newComment(issue: number, user: FakeUser, body: string): FakeComment {
    const id = this.nextId++;
    this.clock += 1000;
    const at = new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return {
      id,
      body,
      user,
      created_at: at,
      updated_at: at,
      html_url: `https://github.com/acme/shop/pull/${issue}#issuecomment-${id}`,
    };
  }

  private findComment(id: number): { issue: number; index: number; comment: FakeComment } | undefined {
    for (const [issue, list] of this.comments) {
      const index = list.findIndex((c) => c.id === id);
      if (index >= 0) return { issue, index, comment: list[index]! };
    }
    return undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const authorization = req.headers.authorization;
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      this.requests.push({
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        authorization,
        body,
        status,
        at: Date.now(),
      });
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      const drop = this.options.omitHtmlUrl === true;
      res.end(
        payload === undefined
          ? ''
          : JSON.stringify(payload, (key, value: unknown) =>
              drop && key === 'html_url' ? undefined : value,
            ),
      );
    };

    const token = /^(?:token|bearer) (.+)$/i.exec(authorization ?? '')?.[1];
    const who = token === undefined ? undefined : this.options.tokens[token];
    if (!who)
      return send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });

    if (method === 'GET' && url.pathname === '/user') {
      if (!who.canGetUser)
        return send(403, {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest/users/users#get-the-authenticated-user',
        });
      return send(200, { login: who.user.login, id: 1, type: who.user.type });
    }

    const issueComments = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
    const singleComment = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname);
    const contents = /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.*)$/.exec(url.pathname);
    const kind =
      issueComments && method === 'GET'
        ? 'list-comments'
        : issueComments && method === 'POST'
          ? 'create-comment'
          : undefined;
    if (kind !== undefined && this.options.secondaryRateLimitOnce === kind && !this.rateLimited) {
      this.rateLimited = true;
      return send(
        403,
        {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          documentation_url:
            'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        },
        { 'retry-after': '1', 'x-ratelimit-remaining': '4990' },
      );
    }

    if (issueComments && method === 'GET') {
      const issue = Number(issueComments[3]);
      const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
      const all = this.list(issue);
      const last = Math.max(1, Math.ceil(all.length / perPage));
      const link = (p: number): string => {
        const next = new URL(url.toString());
        next.searchParams.set('per_page', String(perPage));
        next.searchParams.set('page', String(p));
        return next.toString();
      };
      const rels: string[] = [];
      if (page < last) rels.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
      if (page > 1) rels.push(`<${link(1)}>; rel="first"`, `<${link(page - 1)}>; rel="prev"`);
      return send(
        200,
        all.slice((page - 1) * perPage, page * perPage),
        rels.length > 0 ? { link: rels.join(', ') } : {},
      );
    }
    if (issueComments && method === 'POST') {
      if (who.readOnly)
        return send(403, {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
        });
      const issue = Number(issueComments[3]);
      const text = (JSON.parse(body) as { body: string }).body;
      if (text.length > 65_536)
        return send(422, {
          message: 'Validation Failed',
          errors: [
            {
              resource: 'IssueComment',
              code: 'custom',
              field: 'body',
              message: 'body is too long (maximum is 65536 characters)',
            },
          ],
        });
      const comment = this.newComment(issue, who.user, text);
      this.list(issue).push(comment);
      return send(201, comment);
    }
    if (singleComment && (method === 'PATCH' || method === 'DELETE')) {
      const found = this.findComment(Number(singleComment[3]));
      if (!found) return send(404, { message: 'Not Found' });
      if (who.readOnly || found.comment.user.login !== who.user.login)
        return send(403, { message: 'Resource not accessible by integration' });
      if (method === 'DELETE') {
        this.list(found.issue).splice(found.index, 1);
        return send(204, undefined);
      }
      const text = (JSON.parse(body) as { body: string }).body;
      if (text.length > 65_536) return send(422, { message: 'Validation Failed' });
      found.comment.body = text;
      this.clock += 1000;
      found.comment.updated_at = new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, 'Z');
      return send(200, found.comment);
    }
    const commitPulls = /^\/repos\/([^/]+)\/([^/]+)\/commits\/([0-9a-f]+)\/pulls$/.exec(url.pathname);
    if (commitPulls && method === 'GET') {
      const pulls = this.options.pullsForCommit?.[commitPulls[3]!] ?? [];
      return send(
        200,
        pulls.map((p) => ({ ...p, html_url: `https://github.com/acme/shop/pull/${p.number}` })),
      );
    }
    const rawFile = contents ? this.options.files?.[decodeURIComponent(contents[3]!)] : undefined;
    if (contents && method === 'GET' && rawFile !== undefined && /raw/.test(req.headers.accept ?? '')) {
      this.requests.push({
        method,
        path: url.pathname,
        query: {},
        authorization,
        body,
        status: 200,
        at: Date.now(),
      });
      res.writeHead(200, { 'content-type': 'application/vnd.github.raw; charset=utf-8' });
      res.end(rawFile);
      return;
    }
    if (contents && method === 'GET') {
      const entries = this.options.contents?.[decodeURIComponent(contents[3]!)];
      if (!entries) return send(404, { message: 'Not Found' });
      return send(
        200,
        entries.map((e) => ({ ...e, sha: 'f'.repeat(40), size: e.type === 'file' ? 100 : 0 })),
      );
    }
    return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  }
}
