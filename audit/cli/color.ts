// Whether to colour output, as most CLIs decide it: --color / --no-color first, then FORCE_COLOR
// (set and not "0"/"false": colour even in CI logs, which render ANSI), then NO_COLOR (any value:
// no colour, https://no-color.org), then whether the stream is a terminal.
export function colorWanted(
  flag: boolean | undefined,
  stream: { isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  if (flag !== undefined) return flag;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force.toLowerCase() !== "false";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return Boolean(stream.isTTY);
}
