/** The whole Parameter Store plan: shared parameters, then each service's local variables. */
import { localDescription, isValidNameSegment, serviceParameterName } from './names';
import { readLocalVariables, type LocalVariable } from './localSection';
import { firstUnresolved, resolvePlaceholders } from './placeholders';
import { readServiceName } from './serviceName';
import { planSharedParameters } from './sharedVars';
import { isTemplateService, templateSkipReason } from './templates';
import type { ParameterPlan, PlannedParameter, ServiceSource, ServiceSummary, SkippedParameter, VarFileSource } from './types';

export interface PlanInput {
  stage: string;
  depName: string;
  services: ServiceSource[];
  varFile?: VarFileSource;
  /** Also plan template services (`example-service`); by default they are skipped and named. */
  includeTemplateServices?: boolean;
}

export function serviceFile(folder: string): string {
  return `${folder}/serverless.yml`;
}

/** Sorted by folder name, so the plan never depends on directory-listing order. */
export function sortServices(services: ServiceSource[]): ServiceSource[] {
  return [...services].sort((a, b) => (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0));
}

export function buildParameterPlan(input: PlanInput): ParameterPlan {
  const { stage, depName } = input;
  const shared = planSharedParameters({ stage, depName, varFile: input.varFile });
  const parameters: PlannedParameter[] = [...shared.parameters];
  const skipped: SkippedParameter[] = [...shared.skipped];
  const services: ServiceSummary[] = [];
  const owner = new Map<string, string>(parameters.map((p) => [p.name, 'the var file']));

  for (const source of sortServices(input.services)) {
    const planned = planService(source, stage, depName);
    const template = planned.summary.service;
    if (template !== undefined && isTemplateService(template) && !input.includeTemplateServices) {
      // One entry for the whole service (no parameter name): none of its variables is read further.
      const reason = templateSkipReason(template);
      skipped.push({ service: template, file: serviceFile(source.folder), severity: 'warning', reason });
      services.push({ ...planned.summary, parameterCount: 0, skippedReason: reason });
      continue;
    }
    skipped.push(...planned.skipped);
    let count = 0;
    for (const parameter of planned.parameters) {
      const other = owner.get(parameter.name);
      if (other !== undefined) {
        skipped.push({
          name: parameter.name,
          service: parameter.service,
          file: serviceFile(source.folder),
          severity: 'error',
          reason: `also defined by ${other}`,
        });
        continue;
      }
      owner.set(parameter.name, serviceFile(source.folder));
      parameters.push(parameter);
      count++;
    }
    services.push({ ...planned.summary, parameterCount: count });
  }
  return { stage, depName, parameters, skipped, services };
}

interface ServicePlan {
  summary: Omit<ServiceSummary, 'parameterCount'>;
  parameters: PlannedParameter[];
  skipped: SkippedParameter[];
}

export function planService(source: ServiceSource, stage: string, depName: string): ServicePlan {
  const file = serviceFile(source.folder);
  const raw = readServiceName(source.text);
  const summary: ServicePlan['summary'] = { folder: source.folder, file, nameSource: raw.source, ...(raw.yamlError ? { yamlError: raw.yamlError } : {}) };
  const fail = (reason: string): ServicePlan => ({
    summary,
    parameters: [],
    skipped: [{ service: source.folder, file, line: raw.line, severity: 'error', reason }],
  });
  if (raw.name === undefined || raw.name === '') return fail('could not determine the service name (no top-level `service:` key)');
  const service = resolvePlaceholders(raw.name, { stage, depName });
  const unresolved = firstUnresolved(service);
  if (unresolved) return fail(`service name "${raw.name}" contains the unresolvable reference ${unresolved}`);
  if (!isValidNameSegment(service)) return fail(`service name "${service}" is not a valid parameter path segment`);
  summary.service = service;

  // Duplicates: the last definition wins, at the position of the first (as the legacy's dict did).
  const chosen = new Map<string, LocalVariable>();
  const skipped: SkippedParameter[] = [];
  const skip = (variable: LocalVariable, reason: string, severity: SkippedParameter['severity'] = 'warning') =>
    skipped.push({
      name: isValidNameSegment(variable.name) ? serviceParameterName(stage, service, variable.name) : variable.name,
      service,
      file,
      line: variable.line,
      severity,
      reason,
    });
  for (const variable of readLocalVariables(source.text)) {
    const earlier = chosen.get(variable.name);
    if (earlier) {
      skip(earlier, `duplicate: redefined on line ${variable.line}, the later value wins`);
    }
    chosen.set(variable.name, variable);
  }

  const parameters: PlannedParameter[] = [];
  for (const variable of chosen.values()) {
    const { reading } = variable;
    if (!isValidNameSegment(variable.name)) {
      skip(variable, `"${variable.name}" is not a valid parameter name`);
      continue;
    }
    if (reading.kind === 'invalid') skip(variable, `unreadable YAML: ${reading.error}`, 'error');
    else if (reading.kind === 'empty') skip(variable, 'empty value: SSM rejects empty parameters, so it is not written');
    else if (reading.kind === 'not-scalar') skip(variable, 'not a single value (a list or mapping)');
    else if (reading.kind === 'tag') skip(variable, `CloudFormation tag "${reading.text}" can only be resolved by CloudFormation`);
    else {
      const value = resolvePlaceholders(reading.value, { stage, depName, service });
      const unresolved = firstUnresolved(value);
      if (unresolved) skip(variable, `unresolvable reference ${unresolved}`);
      else
        parameters.push({
          name: serviceParameterName(stage, service, variable.name),
          value,
          description: localDescription(service),
          service,
        });
    }
  }
  return { summary, parameters, skipped };
}
