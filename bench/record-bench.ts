// The promotion record log, measured on this machine: how long one append takes as the log grows
// (it reads only the last record, so it should not grow with the log) and how long a full verify
// takes (it reads, hashes and checks every record), on a directory and on S3 over the loopback
// wire-protocol server (so the S3 numbers are the SDK's and the HTTP round trips', not AWS's).
//
//   npm run bench -- record [--records 1000] [--s3-records 300]
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createS3Client } from "../audit/aws/clients.ts";
import { appendRecord } from "../audit/promote/record/append-record.ts";
import { openRecordLog, type RecordLog } from "../audit/promote/record/record-log.ts";
import { loadSigner, loadVerifier, type RecordSigner } from "../audit/promote/record/signing-key.ts";
import { verifyLog } from "../audit/promote/record/verify-log.ts";
import { useDummyAwsEnvironment } from "../test/aws-server/credentials.ts";
import { startAwsTestServer } from "../test/aws-server/server.ts";
import {
  privateKeyCopy,
  sampleBody,
  TEST_PUBLIC_KEY,
  tempDir,
} from "../test/promote-record/support/records.ts";

const { values } = parseArgs({
  options: {
    records: { type: "string", default: "1000" },
    "s3-records": { type: "string", default: "300" },
  },
});

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function measure(label: string, log: RecordLog, count: number, signer: RecordSigner) {
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    await appendRecord(log, sampleBody(), signer);
    times.push(performance.now() - started);
  }
  const first = [...times.slice(0, 50)].sort((a, b) => a - b);
  const last = [...times.slice(-50)].sort((a, b) => a - b);
  const verifier = await loadVerifier({ publicKeyFile: TEST_PUBLIC_KEY });
  const started = performance.now();
  const result = await verifyLog(log, verifier);
  const verifyMs = performance.now() - started;
  if (!result.ok) throw new Error(`${label}: the benchmark's own log does not verify`);
  process.stdout.write(
    `${label.padEnd(10)} ${count} appends: median ${quantile(first, 0.5).toFixed(2)} ms for the first 50, ` +
      `${quantile(last, 0.5).toFixed(2)} ms (p95 ${quantile(last, 0.95).toFixed(2)}) for the last 50; ` +
      `verify of all ${result.records}: ${verifyMs.toFixed(0)} ms (${(verifyMs / result.records).toFixed(2)} ms a record)\n`,
  );
}

const dir = await tempDir("parity-record-bench-");
try {
  const signer = await loadSigner({ file: await privateKeyCopy(dir) });
  await measure("directory", openRecordLog(join(dir, "log")), Number(values.records), signer);

  useDummyAwsEnvironment();
  const server = await startAwsTestServer({ s3: { buckets: { bench: {} } } });
  const client = createS3Client({ endpoint: server.url });
  try {
    await measure(
      "s3",
      openRecordLog("s3://bench/log", { s3Client: client }),
      Number(values["s3-records"]),
      signer,
    );
  } finally {
    client.destroy();
    await server.close();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
