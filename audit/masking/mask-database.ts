import type { MaskDatabaseOptions, MaskReport } from "./types.ts";

export async function maskDatabase(_options: MaskDatabaseOptions): Promise<MaskReport> {
  throw new Error("maskDatabase: not implemented yet");
}
