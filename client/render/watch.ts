/**
 * How `status --watch` shows a migration over time. On a terminal it redraws one block in
 * place, so the bars, rates and ETAs move instead of scrolling; piped into a file or another
 * program it prints the block again only when the counters change (times alone do not count
 * as a change, or every poll would print).
 */
import type { MigrationStatus } from '../../workflows/types';
import { renderStatus } from './progress';

export interface StatusOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  /** The terminal's width: longer lines would wrap and throw off the count of lines to redraw. */
  columns?: number;
}

export type StatusView = (status: MigrationStatus) => void;

/** Prints a status block whenever its counters change, as lines (a log, a pipe). */
export function changedLinesView(log: (text: string) => void, clock: () => number = Date.now): StatusView {
  let last = '';
  return (status) => {
    const key = renderStatus(status, null);
    if (key === last) return;
    last = key;
    log(renderStatus(status, clock()));
  };
}

/** Redraws the status block in place on a terminal (cursor up over the last block, clear, draw). */
export function redrawView(out: StatusOutput, clock: () => number = Date.now): StatusView {
  let previousLines = 0;
  return (status) => {
    const width = out.columns && out.columns > 1 ? out.columns - 1 : Infinity;
    const text = renderStatus(status, clock())
      .split('\n')
      .map((line) => (line.length > width ? `${line.slice(0, width - 1)}…` : line))
      .join('\n');
    const erase = previousLines > 0 ? `\x1b[${previousLines}F\x1b[J` : '';
    out.write(`${erase}${text}\n`);
    previousLines = text.split('\n').length;
  };
}

/** In place on a TTY, lines otherwise. */
export function watchView(out: StatusOutput, log: (text: string) => void, clock: () => number = Date.now): StatusView {
  return out.isTTY ? redrawView(out, clock) : changedLinesView(log, clock);
}
