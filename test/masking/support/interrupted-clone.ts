// A `parity clone` that kills itself with `signal` as the step starting with `step` begins (or, for
// the mask step, shortly into it): what CI cancel, Ctrl-C or the OOM killer do to a real run.
//   node --import tsx interrupted-clone.ts FROM TO RULES STEP SIGNAL [replace]
import { cloneCommand } from "../../../audit/masking/clone-database.ts";

const [from = "", to = "", rules = "", step = "", signal = "SIGKILL", replace = ""] = process.argv.slice(2);
await cloneCommand({
  from,
  to,
  rules,
  replace: replace === "replace",
  batchSize: 100,
  onStep: (started) => {
    if (!started.startsWith(step)) return;
    if (step === "mask") setTimeout(() => process.kill(process.pid, signal), 300);
    else process.kill(process.pid, signal);
  },
});
process.stdout.write("finished\n");
