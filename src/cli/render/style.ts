/** ANSI colours only when writing to a terminal; plain text in files, pipes and CI logs. */
export interface Style {
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const wrap = (code: number, reset: number) => (text: string) => `\u001b[${code}m${text}\u001b[${reset}m`;

export function styleFor(color: boolean): Style {
  if (!color) {
    const same = (text: string) => text;
    return { green: same, yellow: same, red: same, dim: same, bold: same };
  }
  return { green: wrap(32, 39), yellow: wrap(33, 39), red: wrap(31, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}
