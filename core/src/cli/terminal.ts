/** Output streams and styling for the CLI; colour only on a TTY without NO_COLOR. */
export interface Terminal {
  out(text: string): void;
  err(text: string): void;
  color: boolean;
}

/** The process's terminal, honouring NO_COLOR, FORCE_COLOR and TTY detection. */
export function processTerminal(env: NodeJS.ProcessEnv = process.env): Terminal {
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0";
  const color = env.NO_COLOR === undefined && (forced || (process.stdout.isTTY === true && env.TERM !== "dumb"));
  return { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), color };
}

const CODES = { red: [31, 39], green: [32, 39], yellow: [33, 39], dim: [2, 22], bold: [1, 22], cyan: [36, 39] } as const;
export type Style = keyof typeof CODES;

/** Wraps `text` in ANSI codes when the terminal has colour. */
export function paint(term: Terminal, style: Style, text: string): string {
  if (!term.color) return text;
  const [open, close] = CODES[style];
  return `\u001b[${open}m${text}\u001b[${close}m`;
}

export const OK = "✓";
export const FAIL = "✗";
