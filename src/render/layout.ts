/**
 * Terminal tables that fit the terminal: cells wrap at word boundaries only (an ETag, a request id or a URL is one
 * word and is never cut), every column is at least as wide as its longest word, and when even that does not fit,
 * the least useful column is dropped (and named under the table) rather than every column wrapped to a sliver.
 */
import Table from 'cli-table3';
import { stripVTControlCharacters } from 'node:util';
import type { RenderStyle } from './style.js';

/** Width assumed when the output is not a terminal and COLUMNS is not set (a pipe, a file). */
const DEFAULT_WIDTH = 120;

interface Column {
  head: string;
  /** Columns with a rank are dropped, lowest first, when the table cannot fit; columns without one never are. */
  dropRank?: number;
  align?: 'right';
}

interface Fitted {
  /** Indexes of the columns kept, in order. */
  keep: number[];
  /** Each kept column's width, padding included. */
  widths: number[];
}

const PADDING = 2;
const COMFORT = 12;
const NO_BORDER = Object.fromEntries(
  [
    'top',
    'top-mid',
    'top-left',
    'top-right',
    'bottom',
    'bottom-mid',
    'bottom-left',
    'bottom-right',
    'left',
    'left-mid',
    'mid',
    'mid-mid',
    'right',
    'right-mid',
    'middle',
  ].map((k) => [k, '']),
);

export function visibleLength(text: string): number {
  return stripVTControlCharacters(text).length;
}

function longestWord(text: string): number {
  return Math.max(
    0,
    ...stripVTControlCharacters(text)
      .split(/\s+/)
      .map((w) => w.length),
  );
}

function longestLine(text: string): number {
  return Math.max(0, ...text.split('\n').map(visibleLength));
}

/**
 * Widths from mins upward, max-min fair: the spare room is split evenly, and a column that needs less than its
 * share takes only what it needs (so short columns such as a status fit whole and long prose wraps).
 */
function share(mins: number[], naturals: number[], spare: number): number[] {
  const widths = [...mins];
  let open = widths.map((_, i) => i).filter((i) => naturals[i]! > widths[i]!);
  let left = spare;
  while (left > 0 && open.length) {
    const each = Math.max(1, Math.floor(left / open.length));
    for (const i of open) {
      const give = Math.min(each, naturals[i]! - widths[i]!, left);
      widths[i]! += give;
      left -= give;
    }
    open = open.filter((i) => naturals[i]! > widths[i]!);
  }
  return widths;
}

/** Which columns to show and how wide, for `rows` within `width` columns (`gaps`: characters between and around). */
function fitColumns(
  columns: Column[],
  rows: string[][],
  width: number,
  gaps: (n: number) => number,
  withHead = true,
): Fitted {
  const all = columns.map((c, i) => {
    const cells = [...(withHead ? [c.head] : []), ...rows.map((r) => r[i] ?? '')];
    const natural = Math.max(...cells.map(longestLine)) + PADDING;
    // Prose squeezed narrower than COMFORT reads one word a line: drop a column before that.
    return { min: Math.min(natural, Math.max(Math.max(...cells.map(longestWord)), COMFORT) + PADDING), natural };
  });
  let keep = columns.map((_, i) => i);
  for (;;) {
    const mins = keep.map((i) => all[i]!.min);
    const naturals = keep.map((i) => all[i]!.natural);
    const room = width - gaps(keep.length);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    if (sum(naturals) <= room) return { keep, widths: naturals };
    if (sum(mins) <= room) return { keep, widths: share(mins, naturals, room - sum(mins)) };
    const droppable = keep.filter((i) => columns[i]!.dropRank !== undefined);
    // Nothing left to drop: the columns take their longest word each and the line runs past the edge.
    if (!droppable.length) return { keep, widths: mins };
    const drop = droppable.reduce((a, b) => (columns[b]!.dropRank! < columns[a]!.dropRank! ? b : a));
    keep = keep.filter((i) => i !== drop);
  }
}

function hiddenNote(columns: Column[], keep: number[], s: RenderStyle): string[] {
  const hidden = columns.filter((_, i) => !keep.includes(i)).map((c) => c.head);
  return hidden.length ? [s.chalk.dim(`(hidden at this width: ${hidden.join(', ')})`)] : [];
}

function cells(columns: Column[], keep: number[], row: string[]): Table.Cell[] {
  return keep.map((i) => {
    const content = row[i] ?? '';
    return columns[i]!.align ? { content, hAlign: columns[i]!.align } : content;
  });
}

export interface TableOptions {
  columns: Column[];
  rows: string[][];
  style: RenderStyle;
  /** Bold column heads on the first line (false: a key/value table without heads). */
  head?: boolean;
  /** cli-table3 border characters to override (e.g. no lines between rows). */
  chars?: Partial<Record<string, string>>;
}

/** A bordered table that fits the terminal. */
export function fitTable(o: TableOptions): string {
  const width = o.style.width ?? DEFAULT_WIDTH;
  const { keep, widths } = fitColumns(o.columns, o.rows, width, (n) => n + 1, o.head !== false);
  const table = new Table({
    ...(o.head === false ? {} : { head: keep.map((i) => o.style.chalk.bold(o.columns[i]!.head)) }),
    style: { head: [], border: [] },
    ...(o.chars ? { chars: o.chars } : {}),
    wordWrap: true,
    wrapOnWordBoundary: true,
    colWidths: widths,
  });
  for (const row of o.rows) table.push(cells(o.columns, keep, row));
  return [table.toString(), ...hiddenNote(o.columns, keep, o.style)].join('\n');
}

/** Aligned columns without borders or heads (each line indented by `indent`), for timelines read as a list. */
export function fitGrid(o: Omit<TableOptions, 'head' | 'chars'> & { indent: number }): string[] {
  const width = (o.style.width ?? DEFAULT_WIDTH) - o.indent;
  const { keep, widths } = fitColumns(o.columns, o.rows, width, () => 0, false);
  const table = new Table({
    chars: NO_BORDER,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': PADDING },
    wordWrap: true,
    wrapOnWordBoundary: true,
    colWidths: widths,
  });
  for (const row of o.rows) table.push(cells(o.columns, keep, row));
  const pad = ' '.repeat(o.indent);
  return [
    ...table
      .toString()
      .split('\n')
      .map((l) => `${pad}${l}`.trimEnd()),
    ...hiddenNote(o.columns, keep, o.style).map((l) => `${pad}${l}`),
  ];
}

/** `text` cut to at most `max` characters at a word boundary, with an ellipsis; the full text goes to JSON and HTML. */
export function shortenAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 1);
  const cut = head.search(/\s\S*$/);
  return `${(cut > 0 ? head.slice(0, cut) : head).trimEnd()}…`;
}

/**
 * Lines never wrapped: tables (box-drawing characters: already fitted), GitHub workflow commands (`::error …`,
 * read by the runner one line each) and shell commands shown with `$ ` (wrapped, they would not paste).
 */
const KEEP_WHOLE = /[│┌└├─]|^::\w|^\$ /;

function wrapLine(line: string, width: number): string[] {
  const lead = /^\s*/.exec(line)![0];
  const plain = stripVTControlCharacters(line);
  // Continuation lines hang under the text, past a list number ("  3. ") when there is one.
  const hang = ' '.repeat(/^\s*(?:\d+\.\s+)?/.exec(plain)![0].length);
  const out: string[] = [];
  let current = lead;
  let currentWidth = visibleLength(lead);
  for (const word of line.slice(lead.length).split(/ +/)) {
    const w = visibleLength(word);
    const fresh = current === lead || current === hang;
    if (!fresh && currentWidth + 1 + w > width) {
      out.push(current);
      current = hang + word;
      currentWidth = hang.length + w;
    } else {
      current += (fresh ? '' : ' ') + word;
      currentWidth += (fresh ? 0 : 1) + w;
    }
  }
  out.push(current);
  return out;
}

/** Prose lines longer than `width` wrapped at spaces (a word longer than the line stays whole); tables untouched. */
export function wrapProse(text: string, width: number = DEFAULT_WIDTH): string {
  return text
    .split('\n')
    .flatMap((line) =>
      visibleLength(line) <= width || KEEP_WHOLE.test(stripVTControlCharacters(line)) ? [line] : wrapLine(line, width),
    )
    .join('\n');
}
