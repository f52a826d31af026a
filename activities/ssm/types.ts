/** Inputs and results of the Parameter Store operations: plain JSON, so they are valid Temporal payloads. */
import type { PlannedParameter, SkippedParameter } from '../../src/ssm/types';

export interface WriteParametersInput {
  parameters: PlannedParameter[];
  /** The plan's skips, counted in the per-service summary (nothing is written for them). */
  skipped?: SkippedParameter[];
  /** Reads and compares, writes nothing; the counts are those a real run would produce. */
  dryRun: boolean;
  /** Parameters compared or written at the same time (default 4). */
  concurrency?: number;
}

export type WriteAction = 'created' | 'updated' | 'unchanged' | 'failed';

export interface ParameterOutcome {
  name: string;
  service: string;
  action: WriteAction;
  value: string;
  /** The value before an update. */
  previous?: string;
  /** Why it failed. */
  reason?: string;
}

export interface WriteCounters {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
}

export interface ServiceWriteSummary extends WriteCounters {
  service: string;
}

export interface WriteParametersResult {
  dryRun: boolean;
  total: WriteCounters;
  /** Per service, in the order the services first appear in the input. */
  services: ServiceWriteSummary[];
  outcomes: ParameterOutcome[];
  failures: Array<{ name: string; service: string; reason: string }>;
  skipped: SkippedParameter[];
}

export interface StoredParameter {
  name: string;
  value: string;
  type: string;
}

export interface ReadParametersResult {
  found: StoredParameter[];
  /** Names that do not exist. */
  missing: string[];
}

export interface DeleteParametersResult {
  deleted: string[];
  /** Names that were already gone. */
  notFound: string[];
  failed: Array<{ name: string; reason: string }>;
}

export function emptyCounters(): WriteCounters {
  return { created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 };
}
