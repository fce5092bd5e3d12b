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
  // The key is loaded before anything happens: a promotion that could not be recorded never starts.
  const signer = await loadSigner(settings.signingKey);
  return {
    where: log.describe(),
    list: () => log.list(),
    append: (body) => appendRecord(log, body, signer),
  };
}
