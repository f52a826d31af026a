/**
 * Every `${ssm:…}` reference of the serverless files, resolved the way Serverless would for
 * the known variables (`${self:custom.ssmBasePath}` included), for `ssm verify`.
 */
import { isMap } from 'yaml';
import { matchingBrace, firstUnresolved, resolvePlaceholders } from './placeholders';
import { parseStrict, readServiceName, yamlScalarText } from './serviceName';
import { serviceFile, sortServices } from './plan';
import { readScalar } from './scalar';
import { isTemplateService, templateSkipReason } from './templates';
import type { ServiceSource } from './types';

export interface SsmReference {
  /** The resolved parameter name. */
  name: string;
  /** True when the reference carries a default (`, ''`), so a missing parameter does not break the deploy. */
  optional: boolean;
  folder: string;
  file: string;
  line: number;
  /** The reference as written. */
  text: string;
}

export interface UnresolvedReference {
  folder: string;
  file: string;
  line: number;
  text: string;
  reason: string;
}

export interface ReferenceScan {
  /** References to names under `/amplify/`, in file order. */
  references: SsmReference[];
  unresolved: UnresolvedReference[];
  /** Template services whose references were not checked (they are not deployed), with why. */
  skippedServices: Array<{ folder: string; file: string; service: string; reason: string }>;
}

const SSM_OPEN = '${ssm:';
const SSM_BASE_PATH = '${self:custom.ssmBasePath}';

export function extractSsmReferences(input: {
  services: ServiceSource[];
  stage: string;
  depName: string;
  /** Also check template services (`example-service`); by default they are skipped and named. */
  includeTemplateServices?: boolean;
}): ReferenceScan {
  const references: SsmReference[] = [];
  const unresolved: UnresolvedReference[] = [];
  const skippedServices: ReferenceScan['skippedServices'] = [];
  for (const source of sortServices(input.services)) {
    const file = serviceFile(source.folder);
    const raw = readServiceName(source.text).name;
    const service = raw === undefined ? undefined : resolvePlaceholders(raw, { stage: input.stage, depName: input.depName });
    if (service !== undefined && isTemplateService(service) && !input.includeTemplateServices) {
      // A template is never deployed, so what it reads need not exist (python-base still reads the pre-2025-10 `/shared/` paths).
      skippedServices.push({ folder: source.folder, file, service, reason: templateSkipReason(service) });
      continue;
    }
    const context = { stage: input.stage, depName: input.depName, service };
    const basePath = readSsmBasePath(source.text);
    const lines = source.text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (line.trim().startsWith('#')) continue; // commented-out configuration is not deployed
      for (const text of ssmReferencesIn(line)) {
        const { path, optional } = splitDefault(text.slice(SSM_OPEN.length, -1));
        let name = path;
        if (name.includes(SSM_BASE_PATH) && basePath !== undefined) name = name.split(SSM_BASE_PATH).join(basePath);
        name = resolvePlaceholders(name, context);
        const left = firstUnresolved(name);
        const where = { folder: source.folder, file, line: i + 1, text };
        if (left) unresolved.push({ ...where, reason: `unresolvable reference ${left}` });
        else if (name.startsWith('/amplify/')) references.push({ ...where, name, optional });
      }
    }
  }
  return { references, unresolved, skippedServices };
}

/** Each outermost `${ssm:…}` in a line, braces balanced. */
function ssmReferencesIn(line: string): string[] {
  const found: string[] = [];
  let from = 0;
  for (;;) {
    const start = line.indexOf(SSM_OPEN, from);
    if (start < 0) return found;
    const end = matchingBrace(line, start + 1);
    if (end < 0) return found;
    found.push(line.slice(start, end + 1));
    from = end + 1;
  }
}

/** `path, 'default'`: the comma that is not inside a nested `${…}` starts the default. */
function splitDefault(inner: string): { path: string; optional: boolean } {
  let depth = 0;
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === '{') depth++;
    else if (inner[i] === '}') depth--;
    else if (inner[i] === ',' && depth === 0) return { path: inner.slice(0, i).trim(), optional: true };
  }
  return { path: inner.trim(), optional: false };
}

/** `custom.ssmBasePath`, from the YAML when it parses, else from its line. */
function readSsmBasePath(text: string): string | undefined {
  const strict = parseStrict(text);
  if (strict.ok) {
    const custom = strict.doc.get('custom', true);
    if (isMap(custom)) {
      const reading = readScalar(custom.get('ssmBasePath', true));
      return reading.kind === 'value' ? reading.value : undefined;
    }
    return undefined;
  }
  const match = /^[ \t]+ssmBasePath:(.*)$/m.exec(text);
  return match ? yamlScalarText(match[1].replace(/\r$/, '')) : undefined;
}
