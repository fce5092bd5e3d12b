// Approvers from a GitHub pull request's reviews, for the promotion record. GitHub REST
// "List reviews for a pull request": GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews, in
// chronological order, paged (per_page ≤ 100, a `Link: <…>; rel="next"` header while more remain).
// Each review has `user.login`, `state` (APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING)
// and `submitted_at`. As GitHub itself counts them, a reviewer's latest APPROVED, CHANGES_REQUESTED
// or DISMISSED review decides; COMMENTED leaves their standing as it was; PENDING is not submitted.
// The token is sent only to the API's own origin (a `next` link elsewhere is refused) and never printed.
import { readFile } from "node:fs/promises";
import { EnvironmentReadError, ParityInputError } from "../../core/errors.ts";
import type { Approver } from "./record-file.ts";

export const DEFAULT_GITHUB_API_URL = "https://api.github.com";
/** A runaway Link chain (or a hostile server) stops here: 50 pages of 100 reviews. */
const MAX_PAGES = 50;

export interface GithubApproversOptions {
  token: string;
  /** owner/repo */
  repository: string;
  pullNumber: number;
  /** Default https://api.github.com (GITHUB_API_URL in Actions, for GitHub Enterprise Server). */
  apiUrl?: string;
  fetch?: typeof fetch;
}

interface Review {
  user?: { login?: unknown } | null;
  state?: unknown;
  submitted_at?: unknown;
}

const DECIDING = new Set(["APPROVED", "CHANGES_REQUESTED", "DISMISSED"]);

export async function githubApprovers(options: GithubApproversOptions): Promise<Approver[]> {
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(options.repository)) {
    throw new ParityInputError(`GitHub repository "${options.repository}" is not owner/repo`);
  }
  if (!Number.isInteger(options.pullNumber) || options.pullNumber < 1) {
    throw new ParityInputError(`GitHub pull request number ${options.pullNumber} is not a positive integer`);
  }
  const doFetch = options.fetch ?? fetch;
  const base = new URL((options.apiUrl ?? DEFAULT_GITHUB_API_URL).replace(/\/+$/, "/"));
  const pullRequest = `${options.repository}#${options.pullNumber}`;
  const source = `the reviews of ${pullRequest}`;
  let url: URL | undefined = new URL(
    `repos/${options.repository}/pulls/${options.pullNumber}/reviews?per_page=100`,
    withSlash(base),
  );
  const reviews: Review[] = [];
  for (let page = 1; url !== undefined; page += 1) {
    if (page > MAX_PAGES) throw new EnvironmentReadError("github", source, `more than ${MAX_PAGES} pages`);
    if (url.origin !== base.origin) {
      throw new EnvironmentReadError(
        "github",
        source,
        `the next page is on another host (${url.origin}); not sending the token there`,
      );
    }
    let response: Response;
    try {
      response = await doFetch(url, {
        headers: {
          accept: "application/vnd.github+json",
          authorization: `Bearer ${options.token}`,
          "x-github-api-version": "2022-11-28",
          "user-agent": "parity-audit",
        },
      });
    } catch (error) {
      throw new EnvironmentReadError(
        "github",
        source,
        error instanceof Error ? error.message : String(error),
      );
    }
    if (!response.ok) {
      const message = await response
        .json()
        .then((body: unknown) => {
          const message = (body as { message?: unknown } | null)?.message;
          return typeof message === "string" ? `: ${message}` : "";
        })
        .catch(() => "");
      throw new EnvironmentReadError("github", source, `HTTP ${response.status}${message}`);
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!Array.isArray(body))
      throw new EnvironmentReadError("github", source, "the response is not a list of reviews");
    reviews.push(...(body as Review[]));
    const next = nextLink(response.headers.get("link"));
    url = next === undefined ? undefined : new URL(next);
  }
  return approversFromReviews(reviews, pullRequest);
}

/** The pure part: who stands approved after these reviews (in GitHub's chronological order). */
export function approversFromReviews(reviews: readonly Review[], pullRequest: string): Approver[] {
  const standing = new Map<string, { state: string; at: string | undefined }>();
  for (const review of reviews) {
    const login = review.user?.login;
    const state = review.state;
    if (typeof login !== "string" || typeof state !== "string" || !DECIDING.has(state)) continue;
    standing.set(login, { state, at: isoTime(review.submitted_at) });
  }
  const approvers: Approver[] = [];
  for (const [name, { state, at }] of standing) {
    if (state !== "APPROVED") continue;
    approvers.push({ name, source: "github-review", ...(at !== undefined ? { at } : {}), pullRequest });
  }
  return approvers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * In GitHub Actions on a pull_request (or pull_request_review) event: the pull request's approvers,
 * read with GITHUB_TOKEN. Anywhere else, or on an event without a pull request (workflow_dispatch,
 * a tag push), or without a token: none.
 */
export async function approversFromGithubEnvironment(
  env: Readonly<Record<string, string | undefined>> = process.env,
  options: { fetch?: typeof fetch } = {},
): Promise<Approver[]> {
  const { GITHUB_EVENT_PATH: eventPath, GITHUB_REPOSITORY: repository, GITHUB_TOKEN: token } = env;
  if (env.GITHUB_ACTIONS !== "true" || !eventPath || !repository || !token) return [];
  let event: { pull_request?: { number?: unknown } };
  try {
    event = JSON.parse(await readFile(eventPath, "utf8")) as typeof event;
  } catch (error) {
    throw new EnvironmentReadError(
      "github",
      `the event file ${eventPath}`,
      error instanceof Error ? error.message : String(error),
    );
  }
  const pullNumber = event?.pull_request?.number;
  if (typeof pullNumber !== "number") return [];
  return githubApprovers({
    token,
    repository,
    pullNumber,
    ...(env.GITHUB_API_URL ? { apiUrl: env.GITHUB_API_URL } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/** RFC 8288 Link header: the URL whose rel is "next". */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(",")) {
    const match = /^\s*<([^>]+)>\s*;(.*)$/.exec(part);
    if (match && /(?:^|;)\s*rel="?([^";]*\s)?next(\s[^";]*)?"?\s*(?:;|$)/.test(match[2] as string))
      return match[1];
  }
  return undefined;
}

function withSlash(url: URL): URL {
  return url.pathname.endsWith("/") ? url : new URL(`${url.href}/`);
}

/** GitHub writes `2026-12-01T17:55:00Z`; anything the record's ISO datetime would refuse is left out. */
function isoTime(value: unknown): string | undefined {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value))
    return undefined;
  return Number.isNaN(Date.parse(value)) ? undefined : value;
}
