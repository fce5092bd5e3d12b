// The `lint:` block of parity.config.yaml: when a risk is worth an error, and how fast the target
// builds indexes, scans and rewrites (the duration model's calibration, estimate.ts).
import * as z from "../core/zod.ts";

export interface Throughput {
  /** Sequential heap read (MB/s): index builds, validations, SET NOT NULL. */
  scanMegabytesPerSecond: number;
  /** Index keys sorted and written per second (rows × key columns). */
  indexKeysPerSecond: number;
  /** Heap rewritten per second (MB/s): type changes, volatile defaults. */
  rewriteMegabytesPerSecond: number;
  /** Rows of the referencing table checked per second by a foreign key's validation query. */
  foreignKeyRowsPerSecond: number;
}

export interface LintSettings {
  /** Tables estimated below this many rows never raise a size finding: they are done in a blink. */
  smallTableRows: number;
  /** A lock that blocks traffic for longer than this (estimated) is an error… */
  errorAfterSeconds: number;
  /** …and for longer than this a warning; shorter ones are not reported. */
  warningAfterSeconds: number;
  throughput: Throughput;
}

/**
 * Measured on the 2-core build machine with `npm run bench -- lint` while it was otherwise idle
 * (PostgreSQL 15, 1 million rows, 60 MB of heap in the page cache): a heap scan read ~1,250 MB/s
 * (a CHECK validation ~870 MB/s), a btree sorted and wrote ~5.9 M keys/s after its scan, an
 * int → bigint rewrite moved ~130 MB/s of heap plus its index rebuilds, a foreign key validated
 * ~2.2 M rows/s. The defaults sit below those (a production server is busy, and its heap is not
 * all cached), so the estimate errs long; time one build on production and set lint.throughput.
 * Under heavy load (load average 20-30 on 2 cores) the same builds ran 5-9 times slower.
 */
export const DEFAULT_THROUGHPUT: Throughput = {
  scanMegabytesPerSecond: 600,
  indexKeysPerSecond: 4_000_000,
  rewriteMegabytesPerSecond: 100,
  foreignKeyRowsPerSecond: 1_500_000,
};

export const DEFAULT_LINT_SETTINGS: LintSettings = {
  smallTableRows: 10_000,
  // A fifth of a second of blocked writes is a latency spike every user of an OLTP service sees.
  errorAfterSeconds: 0.2,
  warningAfterSeconds: 0.02,
  throughput: DEFAULT_THROUGHPUT,
};

const positive = z.number().positive("must be a positive number");

export const lintConfigSchema = z.strictObject({
  smallTableRows: z.number().int("must be a whole number").min(0, "must be 0 or more").optional(),
  errorAfterSeconds: positive.optional(),
  warningAfterSeconds: positive.optional(),
  throughput: z
    .strictObject({
      scanMegabytesPerSecond: positive.optional(),
      indexKeysPerSecond: positive.optional(),
      rewriteMegabytesPerSecond: positive.optional(),
      foreignKeyRowsPerSecond: positive.optional(),
    })
    .optional(),
});

export type LintConfig = z.infer<typeof lintConfigSchema>;

export function resolveLintSettings(config: LintConfig | undefined): LintSettings {
  return {
    smallTableRows: config?.smallTableRows ?? DEFAULT_LINT_SETTINGS.smallTableRows,
    errorAfterSeconds: config?.errorAfterSeconds ?? DEFAULT_LINT_SETTINGS.errorAfterSeconds,
    warningAfterSeconds: config?.warningAfterSeconds ?? DEFAULT_LINT_SETTINGS.warningAfterSeconds,
    throughput: { ...DEFAULT_THROUGHPUT, ...config?.throughput },
  };
}
