/**
 * The id-map CSV (`old_id,new_id`), as the legacy `get_users_from_csv` reads it, but
 * strict where the legacy was silently lossy: every invalid
 * row is an error naming the file, the line and the value, instead of a skipped row or a
 * silently overwritten duplicate. Compatible with legacy files: exact, case-sensitive
 * column names in any order, values never trimmed. Stricter than the legacy: a column
 * besides old_id and new_id is refused unless the operator asks to ignore it (a file with
 * an extra column is more often the wrong file than a legacy one), bytes that are not
 * UTF-8 are refused instead of becoming U+FFFD inside ids, and ids must follow idRules.ts.
 * Accepted beyond the legacy: a UTF-8 BOM and CRLF line endings.
 */
import { parse } from 'csv-parse/sync';
import { describeIdRule } from './idRules';
import type { IdPair } from './types';
import { findIdPairProblems, type IdPairProblem } from './validate';
import { firstInvalidUtf8 } from './utf8';

export const OLD_ID_COLUMN = 'old_id';
export const NEW_ID_COLUMN = 'new_id';

export class IdMapError extends Error {
  constructor(
    readonly file: string,
    /** 1-based line of the offending row (0 when the problem is the file as a whole). */
    readonly line: number,
    detail: string,
  ) {
    super(line > 0 ? `${file} line ${line}: ${detail}` : `${file}: ${detail}`);
    this.name = 'IdMapError';
  }
}

export interface ParseIdMapOptions {
  /** Name used in error messages (the operator's path). */
  file: string;
  /** Accept a new_id equal to another row's old_id (chains, swaps). */
  allowChains?: boolean;
  /** Read old_id and new_id and ignore other columns (each ignored column is reported through onWarning). */
  ignoreExtraColumns?: boolean;
  /**
   * The flag that promises every id stays (`--no-id-change`): a row changing an id is then
   * refused at its line, naming the flag, instead of silently changing ids.
   */
  sameIdsOnly?: string;
  /** Receives one line per accepted oddity (ignored columns). */
  onWarning?: (message: string) => void;
}

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

const show = (value: string): string => JSON.stringify(value);
/** Errors stay one line: a 3,000-byte id is shown by its start. */
const showShort = (value: string, max = 60): string => (value.length > max ? `${show(value.slice(0, max))}…` : show(value));

/**
 * The file's bytes as text, refusing bytes that are not UTF-8: decoding them leniently
 * would turn `bob` into `u-\ufffd\ufffdbob`, an id that exists nowhere. The error names the
 * line and the byte, so the operator can find it in an editor.
 */
export function decodeIdMapCsv(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes) ?? 0;
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at; i++) {
      if (bytes[i] === 0x0a) {
        line += 1;
        lineStart = i + 1;
      }
    }
    const hex = bytes[at]?.toString(16).padStart(2, '0') ?? '??';
    throw new IdMapError(file, line, `not UTF-8: byte 0x${hex} at byte ${at - lineStart + 1} of the line; save the file as UTF-8`);
  }
}

export function parseIdMapCsv(text: string, options: ParseIdMapOptions): IdPair[] {
  const { file } = options;
  const records = readRecords(text, file);
  if (records.length === 0) throw new IdMapError(file, 0, `empty file: expected the header "${OLD_ID_COLUMN},${NEW_ID_COLUMN}"`);

  const [header, ...rows] = records;
  const oldAt = header.record.indexOf(OLD_ID_COLUMN);
  const newAt = header.record.indexOf(NEW_ID_COLUMN);
  const columnCount = header.record.length;
  if (oldAt < 0 || newAt < 0 || new Set(header.record).size !== columnCount) {
    throw new IdMapError(
      file,
      header.info.lines,
      `wrong header ${show(header.record.join(','))}: expected exactly one column named "${OLD_ID_COLUMN}" and one named "${NEW_ID_COLUMN}" (case-sensitive, no spaces)`,
    );
  }
  const extra = header.record.filter((name) => name !== OLD_ID_COLUMN && name !== NEW_ID_COLUMN);
  if (extra.length > 0) {
    const named = extra.map(show).join(', ');
    if (!options.ignoreExtraColumns) {
      throw new IdMapError(
        file,
        header.info.lines,
        `extra column(s) ${named} besides "${OLD_ID_COLUMN}" and "${NEW_ID_COLUMN}": remove them, or pass --ignore-extra-columns to read only those two`,
      );
    }
    options.onWarning?.(`${file} line ${header.info.lines}: ignoring column(s) ${named} (--ignore-extra-columns)`);
  }
  if (rows.length === 0) throw new IdMapError(file, header.info.lines, 'the header has no rows after it: the id map is empty');

  const lines = rows.map((row) => startLine(row));
  rows.forEach((row, i) => {
    if (row.record.length !== columnCount) {
      const kind = row.record.length < columnCount ? 'missing columns' : 'extra columns';
      throw new IdMapError(
        file,
        lines[i],
        `${kind}: ${row.record.length} value(s) ${show(row.record.join(','))} where the header has ${columnCount}`,
      );
    }
  });

  const pairs = rows.map((row) => ({ oldId: row.record[oldAt], newId: row.record[newAt] }));
  if (options.sameIdsOnly) {
    const at = pairs.findIndex((p) => p.oldId !== p.newId);
    if (at >= 0) {
      throw new IdMapError(
        file,
        lines[at],
        `changes ${show(pairs[at].oldId)} to ${show(pairs[at].newId)}, but ${options.sameIdsOnly} keeps every id: the two conflict (drop ${options.sameIdsOnly} to apply this file)`,
      );
    }
  }

  const [problem] = findIdPairProblems(pairs, { allowChains: options.allowChains });
  if (problem) throw new IdMapError(file, lines[problem.index], describeProblem(problem, pairs, lines));
  return pairs;
}

function readRecords(text: string, file: string): ParsedRecord[] {
  try {
    return parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as ParsedRecord[];
  } catch (error) {
    const err = error as { message?: string; lines?: number };
    throw new IdMapError(file, typeof err.lines === 'number' ? err.lines : 0, `not valid CSV: ${err.message ?? String(error)}`);
  }
}

/** csv-parse reports the line a record ends on; a quoted value may span several lines. */
function startLine(row: ParsedRecord): number {
  const innerNewlines = row.record.reduce((n, value) => n + (value.match(/\n/g)?.length ?? 0), 0);
  return row.info.lines - innerNewlines;
}

function describeProblem(problem: IdPairProblem, pairs: readonly IdPair[], lines: readonly number[]): string {
  switch (problem.kind) {
    case 'emptyValue': {
      const pair = pairs[problem.index];
      return `empty ${problem.column} in row ${show(`${pair.oldId},${pair.newId}`)}`;
    }
    case 'surroundingWhitespace':
      return `${problem.column} ${show(problem.value)} has leading or trailing whitespace (ids are never trimmed; fix the file)`;
    case 'badId':
      return `${problem.column} ${showShort(problem.value)} ${describeIdRule(problem.rule)}`;
    case 'duplicateOldId':
      return `duplicate old_id ${show(problem.value)}: also on line ${lines[problem.firstIndex]}`;
    case 'duplicateNewId':
      return `duplicate new_id ${show(problem.value)}: also on line ${lines[problem.firstIndex]}`;
    case 'chain':
      return (
        `new_id ${show(problem.value)} is the old_id of line ${lines[problem.otherIndex]} ` +
        `(${show(pairs[problem.otherIndex].oldId)} → ${show(pairs[problem.otherIndex].newId)}): a chained or swapped mapping; ` +
        'pass the allow-chains option if this is intended'
      );
  }
}

/** The CSV the generators write and `parseIdMapCsv` reads back: header, then one row per pair, LF endings. */
export function serializeIdMapCsv(pairs: readonly IdPair[]): string {
  const lines = [`${OLD_ID_COLUMN},${NEW_ID_COLUMN}`, ...pairs.map((p) => `${quote(p.oldId)},${quote(p.newId)}`)];
  return lines.join('\n') + '\n';
}

function quote(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
