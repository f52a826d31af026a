/**
 * Shared parameters from the stage var file: the four hard-coded values, DEP_NAME from the
 * command line, then the allow-listed keys present in the file. Fixes over the legacy:
 * empty and null values are skipped with a warning instead of failing against SSM (or
 * being stored as `None`), lists are skipped instead of stored as a Python repr, and an
 * unreadable var file is an input error instead of a silent fall back.
 */
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { firstLine, SsmInputError } from './errors';
import { SHARED_ALLOW_LIST, SHARED_DESCRIPTION, SHARED_SERVICE, hardCodedSharedValues, sharedParameterName, varFilePath } from './names';
import { firstUnresolved } from './placeholders';
import { readScalar } from './scalar';
import type { PlannedParameter, SkippedParameter, VarFileSource } from './types';

export interface SharedPlan {
  parameters: PlannedParameter[];
  skipped: SkippedParameter[];
}

export function planSharedParameters(input: { stage: string; depName: string; varFile?: VarFileSource }): SharedPlan {
  const { stage, depName, varFile } = input;
  const shared = (name: string, value: string): PlannedParameter => ({
    name: sharedParameterName(stage, name),
    value,
    description: SHARED_DESCRIPTION,
    service: SHARED_SERVICE,
  });
  if (!varFile) {
    return {
      parameters: [shared('DEP_NAME', depName)],
      skipped: [
        {
          service: SHARED_SERVICE,
          file: varFilePath(stage),
          severity: 'warning',
          reason: 'var file not found: only DEP_NAME is written',
        },
      ],
    };
  }

  const lineCounter = new LineCounter();
  const doc = parseDocument(varFile.text, { lineCounter, prettyErrors: false });
  const problem = doc.errors[0];
  if (problem) throw new SsmInputError(varFile.file, `invalid YAML: ${firstLine(problem.message)}`, lineCounter.linePos(problem.pos[0]).line);
  const map = doc.contents;
  if (!isMap(map)) throw new SsmInputError(varFile.file, 'the var file must be a mapping of KEY: value');

  const parameters = hardCodedSharedValues(stage, depName).map(([name, value]) => shared(name, value));
  parameters.push(shared('DEP_NAME', depName));
  const skipped: SkippedParameter[] = [];
  for (const key of SHARED_ALLOW_LIST) {
    const pair = map.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
    if (!pair) continue;
    const keyNode = pair.key as { range?: [number, number, number] };
    const line = keyNode.range ? lineCounter.linePos(keyNode.range[0]).line : undefined;
    const skip = (reason: string) =>
      skipped.push({ name: sharedParameterName(stage, key), service: SHARED_SERVICE, file: varFile.file, line, reason, severity: 'warning' });
    const reading = readScalar(pair.value);
    if (reading.kind === 'empty') skip('empty value: SSM rejects empty parameters, so it is not written');
    else if (reading.kind === 'not-scalar') skip('not a single value (a list or mapping)');
    else if (reading.kind === 'tag') skip(`CloudFormation tag ${reading.text} cannot be resolved here`);
    else {
      const unresolved = firstUnresolved(reading.value);
      if (unresolved) skip(`unresolvable reference ${unresolved}`);
      else parameters.push(shared(key, reading.value));
    }
  }
  return { parameters, skipped };
}
