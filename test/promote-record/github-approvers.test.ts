// Approvers from a recorded GitHub "List reviews for a pull request" response (three pages, Link
// headers as GitHub sends them, /repositories/{id}/… next links), served over loopback HTTP.
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EnvironmentReadError } from "../../audit/core/errors.ts";
import {
  approversFromGithubEnvironment,
  githubApprovers,
  nextLink,
} from "../../audit/promote/record/github-approvers.ts";
import { approverSchema } from "../../audit/promote/record/record-file.ts";
import { tempDir } from "./support/records.ts";

const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
const PAGES = [1, 2, 3].map((n) =>
  readFileSync(join(FIXTURES, `github-reviews-acme-shop-42.page${n}.json`), "utf8"),
);
const TOKEN = "ghs_test0nlyT0kenNotRealxxxxxxxxxxxxxxx";

let server: Server;
let url: string;
let requests: IncomingMessage[] = [];
let linkHost: string | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req);
    const parsed = new URL(req.url ?? "/", url);
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401, { "content-type": "application/json; charset=utf-8" });
      res.end(
        JSON.stringify({
          message: "Bad credentials",
          documentation_url: "https://docs.github.com/rest",
          status: "401",
        }),
      );
      return;
    }
    const first = parsed.pathname === "/repos/acme/shop/pulls/42/reviews";
    const later = parsed.pathname === "/repositories/1296269/pulls/42/reviews";
    if (!first && !later) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: "Not Found", status: "404" }));
      return;
    }
    const page = first ? 1 : Number(parsed.searchParams.get("page"));
    const link = (n: number) =>
      `<${linkHost ?? url}/repositories/1296269/pulls/42/reviews?per_page=100&page=${n}>`;
    const links = [
      ...(page > 1 ? [`${link(page - 1)}; rel="prev"`] : []),
      ...(page < 3 ? [`${link(page + 1)}; rel="next"`, `${link(3)}; rel="last"`] : []),
      ...(page > 1 ? [`${link(1)}; rel="first"`] : []),
    ];
    res.writeHead(200, {
      "content-type": "application/json; charset=utf-8",
      "x-github-api-version-selected": "2022-11-28",
      ...(links.length > 0 ? { link: links.join(", ") } : {}),
    });
    res.end(PAGES[page - 1]);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
beforeEach(() => {
  requests = [];
  linkHost = undefined;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const EXPECTED = [
  { name: "monalisa", source: "github-review", at: "2026-11-30T14:03:59Z", pullRequest: "acme/shop#42" },
  { name: "octocat", source: "github-review", at: "2026-11-30T14:30:00Z", pullRequest: "acme/shop#42" },
];

describe("githubApprovers", () => {
  it("reads every page; the latest deciding review per reviewer counts", async () => {
    const approvers = await githubApprovers({
      token: TOKEN,
      repository: "acme/shop",
      pullNumber: 42,
      apiUrl: url,
    });
    // hubot's approval was dismissed, mojombo's was followed by changes requested, defunkt's is
    // pending, and octocat's comment after approving keeps the approval.
    expect(approvers).toEqual(EXPECTED);
    for (const approver of approvers) expect(approverSchema.parse(approver)).toEqual(approver);
    expect(requests.map((r) => r.url)).toEqual([
      "/repos/acme/shop/pulls/42/reviews?per_page=100",
      "/repositories/1296269/pulls/42/reviews?per_page=100&page=2",
      "/repositories/1296269/pulls/42/reviews?per_page=100&page=3",
    ]);
    expect(requests[0]?.headers).toMatchObject({
      accept: "application/vnd.github+json",
      "x-github-api-version": "2022-11-28",
    });
  });

  it("fails on bad credentials without printing the token", async () => {
    const error = await githubApprovers({
      token: "wrong-token-value",
      repository: "acme/shop",
      pullNumber: 42,
      apiUrl: url,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentReadError);
    expect(String(error)).toMatch(/could not read the reviews of acme\/shop#42: HTTP 401: Bad credentials/);
    expect(String(error)).not.toContain("wrong-token-value");
  });

  it("does not send the token to another host named by a next link", async () => {
    linkHost = "http://localhost:1";
    await expect(
      githubApprovers({ token: TOKEN, repository: "acme/shop", pullNumber: 42, apiUrl: url }),
    ).rejects.toThrow(/next page is on another host \(http:\/\/localhost:1\); not sending the token there/);
    expect(requests).toHaveLength(1);
  });

  it("refuses a repository that is not owner/repo and a bad pull number", async () => {
    await expect(
      githubApprovers({ token: TOKEN, repository: "acme", pullNumber: 1, apiUrl: url }),
    ).rejects.toThrow(/not owner\/repo/);
    await expect(
      githubApprovers({ token: TOKEN, repository: "acme/shop", pullNumber: 0, apiUrl: url }),
    ).rejects.toThrow(/positive integer/);
  });
});

describe("approversFromGithubEnvironment", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
    await writeFile(
      join(dir, "pull_request.json"),
      JSON.stringify({ action: "synchronize", number: 42, pull_request: { number: 42 } }),
    );
    await writeFile(
      join(dir, "dispatch.json"),
      JSON.stringify({ inputs: { from: "staging", to: "production" }, ref: "refs/heads/main" }),
    );
  });
  const actions = (event: string) => ({
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_PATH: join(dir, event),
    GITHUB_REPOSITORY: "acme/shop",
    GITHUB_TOKEN: TOKEN,
    GITHUB_API_URL: url,
  });

  it("reads the pull request of the event with GITHUB_TOKEN and GITHUB_API_URL", async () => {
    expect(await approversFromGithubEnvironment(actions("pull_request.json"))).toEqual(EXPECTED);
  });

  it("is empty outside Actions, without a token, or on an event without a pull request", async () => {
    expect(await approversFromGithubEnvironment({})).toEqual([]);
    expect(
      await approversFromGithubEnvironment({ ...actions("pull_request.json"), GITHUB_TOKEN: undefined }),
    ).toEqual([]);
    expect(await approversFromGithubEnvironment(actions("dispatch.json"))).toEqual([]);
    expect(requests).toHaveLength(0);
  });
});

describe("nextLink", () => {
  it.each([
    [null, undefined],
    [
      '<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=5>; rel="last"',
      "https://api.github.com/x?page=2",
    ],
    [
      '<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=1>; rel="first"',
      undefined,
    ],
    ['<https://api.github.com/x?page=3>; rel="last next"', "https://api.github.com/x?page=3"],
    ['<https://api.github.com/x?page=3>; rel="nextish"', undefined],
  ])("%s → %s", (header, expected) => {
    expect(nextLink(header)).toBe(expected);
  });
});
