/**
 * The "# Locally Defined Variables" section, found with the legacy line scanner's start and
 * end markers, but read as YAML: each variable line (with any deeper-indented lines under
 * it) is parsed as a one-key mapping, so quotes and comments behave as YAML says. Fix over
 * the legacy: a line indented less than the section's variables (a dedent to `iam:`) ends
 * the section, so an unterminated section no longer swallows the rest of the file.
 */
import { isMap, isScalar, parseDocument } from 'yaml';
import { firstLine } from './errors';
import { readScalar, type ScalarReading } from './scalar';

export const SECTION_START = '# Locally Defined Variables';
export const SECTION_END = '# Imported Variables';
/** The legacy only captured lines indented by 4 spaces or a tab. */
const MIN_INDENT = 4;
const TAB_WIDTH = 4;

export interface LocalVariable {
  name: string;
  reading: ScalarReading | { kind: 'invalid'; error: string };
  /** 1-based line of the `NAME: value` line. */
  line: number;
}

interface Chunk {
  line: number;
  lines: string[];
}

/** Every variable line of every section, in file order (duplicates included). */
export function readLocalVariables(text: string): LocalVariable[] {
  return findSectionChunks(text).map(parseChunk);
}

function findSectionChunks(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let inSection = false;
  let level: number | undefined;
  let current: Chunk | undefined;
  const close = () => {
    if (current) chunks.push(current);
    current = undefined;
  };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].replace(/\r$/, '');
    const stripped = raw.trim();
    if (raw.includes(SECTION_START)) {
      close();
      inSection = true;
      level = undefined;
      continue;
    }
    if (!inSection) continue;
    if (raw.includes(SECTION_END) || (stripped.startsWith('#') && (stripped.includes('Variables') || stripped === '#'))) {
      close();
      inSection = false;
      continue;
    }
    if (stripped === '') {
      current?.lines.push(raw);
      continue;
    }
    if (stripped.startsWith('#')) continue; // a plain comment (`# a note`) neither ends nor captures
    const indent = indentWidth(raw);
    if (level === undefined) {
      if (indent < MIN_INDENT) {
        close();
        inSection = false;
        continue;
      }
      level = indent;
    }
    if (indent < level) {
      close();
      inSection = false;
      continue;
    }
    const continuation = indent > level || stripped === '-' || stripped.startsWith('- ');
    if (continuation) {
      current?.lines.push(raw);
      continue;
    }
    close();
    current = { line: i + 1, lines: [raw] };
  }
  close();
  return chunks;
}

function indentWidth(line: string): number {
  let width = 0;
  for (const ch of line) {
    if (ch === ' ') width++;
    else if (ch === '\t') width += TAB_WIDTH;
    else break;
  }
  return width;
}

/** Re-indents a chunk to column 0 (tabs become spaces, which YAML requires) and parses it. */
function parseChunk(chunk: Chunk): LocalVariable {
  const [first, ...rest] = chunk.lines;
  const base = indentWidth(first);
  const text = [first.trimStart(), ...rest.map((l) => dedent(l, base))].join('\n');
  const fallbackName = first.trim().split(':')[0].trim();
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    return { name: fallbackName, line: chunk.line, reading: { kind: 'invalid', error: firstLine(doc.errors[0].message) } };
  }
  const map = doc.contents;
  if (!isMap(map) || map.items.length !== 1 || !isScalar(map.items[0].key)) {
    return { name: fallbackName, line: chunk.line, reading: { kind: 'invalid', error: 'not a `NAME: value` line' } };
  }
  const pair = map.items[0];
  return { name: String((pair.key as { value: unknown }).value), line: chunk.line, reading: readScalar(pair.value) };
}

function dedent(line: string, width: number): string {
  const expanded = line.replace(/^[ \t]+/, (ws) => ws.replace(/\t/g, ' '.repeat(TAB_WIDTH)));
  let cut = 0;
  while (cut < width && expanded[cut] === ' ') cut++;
  return expanded.slice(cut);
}
