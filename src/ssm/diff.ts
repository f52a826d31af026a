/** What a populate run would change, and which existing parameters no file defines any more. */
import { serviceParameterPrefix } from './names';
import type { ParameterPlan, PlannedParameter } from './types';

export interface ExistingParameter {
  name: string;
  value: string;
  type?: string;
}

export interface ParameterChange {
  parameter: PlannedParameter;
  /** The current value, for updates. */
  previous?: string;
}

export interface ParameterDiff {
  create: ParameterChange[];
  update: ParameterChange[];
  unchanged: ParameterChange[];
  /** Existing parameters under a managed service path that no file defines, sorted by name. */
  stale: ExistingParameter[];
}

/**
 * The managed paths are the per-service prefixes `/amplify/{stage}/{service}/` of the
 * services in the plan. Top-level shared names are never stale: people and other tools put
 * optional shared values there (WEB_SEARCH_*, NOTES_*) that no file of ours defines.
 */
export function managedPrefixes(plan: ParameterPlan): string[] {
  const prefixes = new Set<string>();
  // A skipped template service's path is not ours in this plan: what is there is not stale.
  for (const summary of plan.services) if (summary.service && !summary.skippedReason) prefixes.add(serviceParameterPrefix(plan.stage, summary.service));
  return [...prefixes].sort();
}

export function diffParameters(plan: ParameterPlan, existing: ExistingParameter[]): ParameterDiff {
  const current = new Map(existing.map((p) => [p.name, p]));
  const diff: ParameterDiff = { create: [], update: [], unchanged: [], stale: [] };
  for (const parameter of plan.parameters) {
    const found = current.get(parameter.name);
    if (!found) diff.create.push({ parameter });
    else if (found.value === parameter.value && (found.type ?? 'String') === 'String') diff.unchanged.push({ parameter });
    else diff.update.push({ parameter, previous: found.value });
  }
  // A variable the files still define but we skip (`!Ref …`, `${cf:…}`) is not stale.
  const defined = new Set(plan.parameters.map((p) => p.name));
  for (const skip of plan.skipped) if (skip.name?.startsWith('/')) defined.add(skip.name);
  const prefixes = managedPrefixes(plan);
  diff.stale = existing
    .filter((p) => !defined.has(p.name) && prefixes.some((prefix) => p.name.startsWith(prefix)))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return diff;
}
