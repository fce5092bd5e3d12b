// Kept apart from ssm.ts so validating a path never loads the AWS SDK.
import { ParityInputError } from "../../../../core/errors.ts";

/** `/shop/prod` and `/shop/prod/` name the same hierarchy; keys are what follows its trailing slash. */
export function normalizePath(path: string, environment: string): string {
  if (!path.startsWith("/")) {
    throw new ParityInputError(`Invalid SSM path for ${environment}`, [
      `${environment}.config.ssm.path: "${path}" must start with "/"`,
    ]);
  }
  return path.endsWith("/") ? path : `${path}/`;
}
