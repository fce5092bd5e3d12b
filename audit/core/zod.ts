// zod, as every schema in parity uses it. Each file is parsed once per run, so zod's JIT (an object
// parser compiled with new Function on first use) costs more than it saves: about 1 ms a run.
// Import it as a namespace (`import * as z`): esbuild then leaves out the zod parts parity never
// uses, such as its 60 other locales.
import { config } from "zod";

config({ jitless: true });

export * from "zod";
