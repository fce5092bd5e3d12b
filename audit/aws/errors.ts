// Turns whatever the SDK threw into one line a platform engineer can act on, without dumping request
// bodies (which, for SSM, could contain parameter values).
export function describeAwsError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const meta = (error as { $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number } })
    .$metadata;
  const parts = [`${error.name}: ${error.message}`];
  if (meta?.httpStatusCode !== undefined) parts.push(`HTTP ${meta.httpStatusCode}`);
  if (meta?.attempts !== undefined && meta.attempts > 1) parts.push(`after ${meta.attempts} attempts`);
  if (meta?.requestId) parts.push(`request id ${meta.requestId}`);
  return parts.join(", ");
}

/** Errors that mean "the thing you named does not exist" rather than "we could not ask". */
export function isAwsNotFound(error: unknown): boolean {
  return error instanceof Error && /NotFound/.test(error.name);
}
