// parity's own version, from package.json (bundled into dist/ with the CLI, so it is the version
// that was built, not whatever package.json sits next to it later).
import packageJson from "../../package.json" with { type: "json" };

export const VERSION: string = packageJson.version;
