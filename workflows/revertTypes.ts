/** Inputs, counters and the report of a revert (plain data: they travel in payloads). */
import type { CompactDeployment, Deployment } from '../src/deployment/catalogue';
import type { OnConflict } from './types';

export interface RevertOptions {
  /** Plan only: read the ledger and the current state, write nothing. */
  dryRun: boolean;
  onConflict: OnConflict;
  autoApprove: boolean;
}

export interface RevertInput {
  /** The migration run whose ledger is undone. */
  runId: string;
  deployment: Deployment;
  options: RevertOptions;
}

/** Per table, bucket or "Parameter Store": what the revert did (the plan: would do) with the run's writes. */
export interface RevertCounts {
  undone: number;
  /** Already as before the run: reverted earlier, or written by the ledger but never applied. */
  already: number;
  /** Changed after the run: left as it is (skip) or put back anyway (overwritten). */
  conflicts: number;
  overwritten: number;
  /** Copies outside the consolidation bucket: never deleted. */
  refused: number;
}

export interface RevertProblem {
  kind: 'conflict' | 'refused' | 'failure';
  where: string;
  what: string;
  reason: string;
}

export interface RevertTotals {
  byWhere: Record<string, RevertCounts>;
  steps: number;
  /** Ledger entries that were duplicates, never applied, or written over by the run itself. */
  superseded: number;
  problems: RevertProblem[];
  problemCount: number;
}

export type RevertPhase = 'plan' | 'approval-gate' | 'revert' | 'done' | 'rejected' | 'refused';

export interface RevertStatus {
  workflowId: string;
  runId: string;
  phase: RevertPhase;
  paused: boolean;
  awaitingApproval: boolean;
  dryRun: boolean;
  plan?: RevertTotals;
  totals?: RevertTotals;
}

export interface RevertReport {
  runId: string;
  deployment: { depName: string; stage: string };
  dryRun: boolean;
  outcome: 'reverted' | 'reverted-with-conflicts' | 'failed' | 'rejected' | 'refused' | 'dry-run';
  /** Why a run cannot be reverted (its cleanup phase deleted legacy objects). */
  refusal?: string;
  plan?: RevertTotals;
  totals?: RevertTotals;
}

export type RevertActivityInput = { deployment: CompactDeployment; runId: string; onConflict: OnConflict };

export function emptyRevertCounts(): RevertCounts {
  return { undone: 0, already: 0, conflicts: 0, overwritten: 0, refused: 0 };
}

export function revertWorkflowId(depName: string, stage: string): string {
  return `revert-${depName}-${stage}`;
}
