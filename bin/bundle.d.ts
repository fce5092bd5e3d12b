/** The bundle's entry file when it is fresh, otherwise undefined. */
export function freshBundle(distDir: string, rootDir: string): string | undefined;
