/**
 * The `ssm populate|verify|diff` commands as functions of (options, activities, output),
 * returning the exit code, so tests run them against the emulator without a process.
 */
import type { ParameterStore, WriteParametersResult } from '../../activities/ssm';
import {
  SHARED_SERVICE,
  SsmInputError,
  buildParameterPlan,
  diffParameters,
  extractSsmReferences,
  stagePrefix,
  type ParameterPlan,
} from '../../src/ssm';
import { formatDiff, formatPlanNotes, formatPopulate, formatVerify, type VerifyReport } from './format';
import { loadServerlessRepo } from './loadRepo';
import { EXIT } from '../exitCodes';

export interface RepoOptions {
  repo: string;
  stage: string;
  depName: string;
  /** Defaults to `{repo}/var/{stage}-var.yml`. */
  varFile?: string;
  json?: boolean;
  /** Also handle template services (`example-service`), skipped by default. */
  includeTemplateServices?: boolean;
}

export interface CommandIo {
  ssm: Pick<ParameterStore, 'writeParameters' | 'readParameters' | 'readParametersByPath' | 'deleteParameters'>;
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Exit codes: 0 success, 1 something failed (named in the output), 2 unusable input. */
const EXIT_OK = EXIT.ok;
const EXIT_FAILED = EXIT.failed;
const EXIT_BAD_INPUT = EXIT.badInput;

async function loadPlan(options: RepoOptions): Promise<ParameterPlan> {
  const repo = await loadServerlessRepo(options.repo, { stage: options.stage, varFile: options.varFile });
  if (!repo.varFile) {
    throw new SsmInputError(repo.varFilePath ?? options.repo, 'var file not found (copy dev-var.yml-example to var/{stage}-var.yml, or pass --var-file)');
  }
  if (repo.services.length === 0) throw new SsmInputError(options.repo, 'no service folder with a serverless.yml');
  return buildParameterPlan({
    stage: options.stage,
    depName: options.depName,
    services: repo.services,
    varFile: repo.varFile,
    includeTemplateServices: options.includeTemplateServices,
  });
}

/** Input errors become one line on stderr and exit code 2; anything else propagates. */
async function guarded(io: CommandIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof SsmInputError) {
      io.err(`error: ${error.message}`);
      return EXIT_BAD_INPUT;
    }
    throw error;
  }
}

function planHasErrors(plan: ParameterPlan): boolean {
  return plan.skipped.some((s) => s.severity === 'error');
}

export interface PopulateOptions extends RepoOptions {
  dryRun?: boolean;
  concurrency?: number;
  region?: string;
}

export async function runPopulate(options: PopulateOptions, io: CommandIo): Promise<number> {
  return guarded(io, async () => {
    const plan = await loadPlan(options);
    const result = await io.ssm.writeParameters({
      parameters: plan.parameters,
      skipped: plan.skipped,
      dryRun: Boolean(options.dryRun),
      concurrency: options.concurrency,
    });
    const failed = result.total.failed > 0 || planHasErrors(plan);
    const summary = withServiceRows(plan, result);
    if (options.json) io.out(JSON.stringify({ stage: plan.stage, depName: plan.depName, serviceFiles: plan.services, ...summary }, null, 2));
    else io.out(formatPopulate(plan, summary, { repo: options.repo, region: options.region }));
    return failed ? EXIT_FAILED : EXIT_OK;
  });
}

/** Every service of the plan gets a summary row, even one with nothing to write. */
function withServiceRows(plan: ParameterPlan, result: WriteParametersResult): WriteParametersResult {
  const rows = new Map(result.services.map((s) => [s.service, s]));
  const order = [SHARED_SERVICE, ...plan.services.map((s) => s.service ?? s.folder)];
  for (const service of order) if (!rows.has(service)) rows.set(service, { service, created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 });
  const services = order.map((service) => rows.get(service)!).concat(result.services.filter((s) => !order.includes(s.service)));
  return { ...result, services };
}

export async function runVerify(options: RepoOptions, io: CommandIo): Promise<number> {
  return guarded(io, async () => {
    const repo = await loadServerlessRepo(options.repo);
    if (repo.services.length === 0) throw new SsmInputError(options.repo, 'no service folder with a serverless.yml');
    const scan = extractSsmReferences({
      services: repo.services,
      stage: options.stage,
      depName: options.depName,
      includeTemplateServices: options.includeTemplateServices,
    });
    const { missing } = await io.ssm.readParameters(scan.references.map((r) => r.name));
    const absent = new Set(missing);
    const report: VerifyReport = {
      checked: new Set(scan.references.map((r) => r.name)).size,
      missing: scan.references.filter((r) => absent.has(r.name) && !r.optional),
      missingOptional: scan.references.filter((r) => absent.has(r.name) && r.optional),
      unresolved: scan.unresolved,
      skippedServices: scan.skippedServices,
    };
    if (options.json) io.out(JSON.stringify(report, null, 2));
    else io.out(formatVerify(report));
    return report.missing.length > 0 ? EXIT_FAILED : EXIT_OK;
  });
}

export interface DiffOptions extends RepoOptions {
  prune?: boolean;
  yes?: boolean;
}

export async function runDiff(options: DiffOptions, io: CommandIo): Promise<number> {
  return guarded(io, async () => {
    const plan = await loadPlan(options);
    const existing = await io.ssm.readParametersByPath(stagePrefix(plan.stage));
    const diff = diffParameters(plan, existing);
    const prune = options.prune && options.yes ? await io.ssm.deleteParameters(diff.stale.map((p) => p.name)) : undefined;
    if (options.json) io.out(JSON.stringify({ diff, prune, skipped: plan.skipped }, null, 2));
    else {
      io.out(formatDiff(diff, { prune: Boolean(options.prune), approved: Boolean(options.yes), result: prune }));
      const notes = formatPlanNotes(plan);
      if (notes) io.out(notes);
    }
    return prune?.failed.length || planHasErrors(plan) ? EXIT_FAILED : EXIT_OK;
  });
}
