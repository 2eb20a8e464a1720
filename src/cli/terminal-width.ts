/**
 * How wide the report may be: COLUMNS when set (a person's override, and how tests pin a width), else the
 * terminal's own width, else undefined (a pipe or a file: the renderers take their default).
 */
export function terminalWidth(
  env: Record<string, string | undefined>,
  stdout: { isTTY?: boolean; columns?: number },
): number | undefined {
  const fromEnv = Number(env.COLUMNS);
  if (Number.isInteger(fromEnv) && fromEnv >= 20 && fromEnv <= 1000) return fromEnv;
  return stdout.isTTY && stdout.columns && stdout.columns > 0 ? stdout.columns : undefined;
}
