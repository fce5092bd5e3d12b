// How narrow a markdown table can get in GitHub's renderer: a table cell wraps at spaces and at
// <wbr>/<br>, never inside a run of other characters, so each column is at least as wide as its
// longest unbroken run. GitHub's defaults: 14 px body text (≈ 7.5 px a character on average; 8 px
// taken for safety, monospace code is ≈ 8 px), cells padded 6 px 13 px, plus a 1 px border.
const PX_PER_CHARACTER = 8;
const CELL_PADDING_PX = 27;

function cellsOf(row: string): string[] {
  // Split on pipes that are not escaped; drop the empty first and last pieces.
  return row.split(/(?<!\\)\|/).slice(1, -1);
}

function longestRun(cell: string): number {
  const text = cell
    .replace(/<(wbr|br)\s*\/?>/gi, " ")
    .replace(/<[^>]+>/g, "")
    .replace(/&(#\d+|[a-z]+);/gi, "x")
    .replace(/\\\|/g, "|");
  return Math.max(0, ...text.split(/\s+/).map((word) => [...word].length));
}

/** The narrowest each table in `markdown` can be rendered, in px, widest first. */
export function minimumTableWidths(markdown: string): number[] {
  const tables: string[][] = [];
  let current: string[] | undefined;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("|")) {
      if (!current) {
        current = [];
        tables.push(current);
      }
      current.push(line);
    } else current = undefined;
  }
  return tables
    .map((rows) => {
      const widths: number[] = [];
      for (const row of rows.filter((row) => !/^\|\s*:?-{3}/.test(row))) {
        cellsOf(row).forEach((cell, column) => {
          widths[column] = Math.max(widths[column] ?? 0, longestRun(cell));
        });
      }
      return widths.reduce((sum, run) => sum + run * PX_PER_CHARACTER + CELL_PADDING_PX, 1);
    })
    .sort((a, b) => b - a);
}
