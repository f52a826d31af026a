/**
 * Service-name determination. The strict path parses the whole file with the same
 * CloudFormation tags the legacy SafeLoader understood (with the same node kinds), so the
 * same files fall back: a file it rejects (a scalar `!ImportValue`, `!Select`, tabs) is
 * still handled by the lenient path, which reads the top-level `service:` line. Unlike the
 * legacy regex, the lenient path reads that value as a YAML scalar, so quotes and trailing
 * comments never end up in the name.
 */
import { isMap, parseDocument, type Document, type ScalarTag, type CollectionTag } from 'yaml';
import { firstLine } from './errors';
import { readScalar } from './scalar';
import type { ServiceNameSource } from './types';

const keep = (value: unknown) => value;
const scalar = (tag: string): ScalarTag => ({ tag, resolve: keep as ScalarTag['resolve'] });
const collection = (tag: string, kind: 'map' | 'seq'): CollectionTag =>
  ({ tag, collection: kind, resolve: keep }) as unknown as CollectionTag;

/** `!Ref`, `!GetAtt` (scalar or sequence), `!Sub` (scalar), `!Join` (sequence), `!ImportValue` (mapping). */
export const LEGACY_CLOUDFORMATION_TAGS = [
  scalar('!Ref'),
  scalar('!GetAtt'),
  collection('!GetAtt', 'seq'),
  scalar('!Sub'),
  collection('!Join', 'seq'),
  collection('!ImportValue', 'map'),
];

export type StrictParse = { ok: true; doc: Document } | { ok: false; error: string };

/** Any error or warning (an unknown tag, a tag on the wrong node kind) rejects the file. */
export function parseStrict(text: string): StrictParse {
  const doc = parseDocument(text, { customTags: LEGACY_CLOUDFORMATION_TAGS, prettyErrors: false });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) return { ok: false, error: firstLine(problem.message) };
  if (!isMap(doc.contents)) return { ok: false, error: 'the top level is not a mapping' };
  return { ok: true, doc };
}

export interface RawServiceName {
  /** The unresolved name text, or undefined when none was found. */
  name?: string;
  source: ServiceNameSource;
  yamlError?: string;
  line?: number;
}

export function readServiceName(text: string): RawServiceName {
  const strict = parseStrict(text);
  if (strict.ok) {
    const reading = readScalar(strict.doc.get('service', true));
    return { name: reading.kind === 'value' ? reading.value : undefined, source: 'yaml' };
  }
  const lenient = lenientServiceLine(text);
  return { name: lenient?.value, line: lenient?.line, source: 'lenient', yamlError: strict.error };
}

/** The first top-level `service:` line, its value read as a YAML scalar. */
function lenientServiceLine(text: string): { value?: string; line: number } | undefined {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^service:(.*)$/.exec(lines[i].replace(/\r$/, ''));
    if (match) return { value: yamlScalarText(match[1]), line: i + 1 };
  }
  return undefined;
}

/** A scalar written on one line, read as YAML reads it; the trimmed raw text if YAML refuses it. */
export function yamlScalarText(raw: string): string | undefined {
  const doc = parseDocument(raw.trim(), { prettyErrors: false });
  if (doc.errors.length > 0) return raw.trim() || undefined;
  const reading = readScalar(doc.contents);
  if (reading.kind === 'value') return reading.value;
  if (reading.kind === 'tag') return reading.text;
  return undefined;
}
