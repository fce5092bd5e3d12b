// The reporters, by the name `--reporter NAME` uses. Each is pure: (result) => string.
import { githubReporter } from "./github.ts";
import { jsonReporter } from "./json.ts";
import { junitReporter } from "./junit.ts";
import { markdownReporter } from "./markdown.ts";
import type { Reporter } from "./shared.ts";
import { textReporter } from "./text.ts";

export const reporters = {
  text: textReporter,
  json: jsonReporter,
  junit: junitReporter,
  markdown: markdownReporter,
  github: githubReporter,
} as const satisfies Record<string, Reporter>;

export type ReporterName = keyof typeof reporters;

export const REPORTER_NAMES = Object.keys(reporters) as ReporterName[];

export function isReporterName(name: string): name is ReporterName {
  return Object.hasOwn(reporters, name);
}

export { toJsonReport } from "./json.ts";
// The report's zod schema (json-schema.ts) is for tests and scripts: importing it here would
// build it on every run.
export type { JsonReport } from "./json-schema.ts";
export type { Reporter, ReporterOptions } from "./shared.ts";
export { githubReporter, jsonReporter, junitReporter, markdownReporter, textReporter };
