// The record log promote and undo append to, from the config's `promotion:` block: the log the
// record engineer's openRecordLog opens, signed by loadSigner's key. Missing config is bad input
// (exit 2) naming the key to add; nothing is read or written before that check.
import { ParityInputError } from "../../core/errors.ts";
import type { ParityConfig } from "../../parity-config/types.ts";
import type { PromotionLog } from "../../promote/promotion-log.ts";

export async function openPromotionLog(config: ParityConfig, command: string): Promise<PromotionLog> {
  const [{ resolvePromotionSettings }, { openRecordLog }, { loadSigner }, { appendRecord }] =
    await Promise.all([
      import("../../promote/record/settings.ts"),
      import("../../promote/record/record-log.ts"),
      import("../../promote/record/signing-key.ts"),
      import("../../promote/record/append-record.ts"),
    ]);
  let settings: ReturnType<typeof resolvePromotionSettings>;
  try {
    settings = resolvePromotionSettings(config);
  } catch (error) {
    if (!(error instanceof ParityInputError)) throw error;
    throw new ParityInputError(
      `${command} needs a signed record log: ${error.message} (a --dry-run needs neither)`,
    );
  }
  const log = openRecordLog(settings.log, { cwd: config.dir });
  // The key is loaded and the log read before anything happens: a promotion that could not be
  // recorded never starts.
  const signer = await loadSigner(settings.signingKey);
  await log.list();
  const { RecordLogConflictError } = await import("../../promote/record/record-log.ts");
  return {
    where: log.describe(),
    list: () => log.list(),
    async append(body) {
      // The database has changed by now: another promotion appending first must not lose this
      // record, so chain to whatever is last and try again (appendRecord re-reads the log).
      for (let attempt = 1; ; attempt++) {
        try {
          return await appendRecord(log, body, signer);
        } catch (error) {
          if (!(error instanceof RecordLogConflictError) || attempt >= 5) throw error;
        }
      }
    },
  };
}
