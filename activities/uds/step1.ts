/**
 * USER_DATA_STORAGE Step 1: the whole id map applied to every item
 * of one parallel-scan segment. The id rewrite is src/uds's rewriteUserDataStorageItem; the
 * writes are the DynamoDB rewrite engine's (conditional in-place update, or a transactional
 * move: put new if absent + delete old if unchanged), so nothing is ever deleted before its
 * replacement exists (the legacy deleted first, then put).
 */
import type { AwsClients } from '../aws/clients';
import type { SegmentInput } from '../contract';
import { rewriteScanSegment, type ConflictRecord, type RewriteCounters, type WireCursor } from '../dynamo/rewrite';
import type { TableRule } from '../../src/rules/types';
import { MAX_LISTED_PROBLEMS, type Problem, type Totals } from '../../src/report/counters';
import { rewriteUserDataStorageItem } from '../../src/uds';
import { DEFAULT_CONCURRENCY, DEFAULT_PAGE_SIZE, loadIds, type RunOptions } from './options';
import { reportProblem, Tally } from './tally';

const TABLE_KEY = 'USER_DATA_STORAGE_TABLE';

/** The heartbeat of a Step 1 segment: the engine's cursor and counters, and our problems so far. */
export interface Step1Progress {
  /** null once the last page is done. */
  cursor: WireCursor | null;
  counters: RewriteCounters;
  problems: Problem[];
  /** Problems beyond the listed ones (counted, not listed: heartbeats and results stay small). */
  unlisted?: number;
  /** The ledger's mark when the counters were taken (see ResumePoint). */
  ledgerMark?: string;
}

/** Step 1 as a table rule for the engine; the pure rewrite's problems go to `onProblem`. */
export function userDataStorageStep1Rule(onProblem: (problem: Problem) => void): TableRule {
  return {
    table: TABLE_KEY,
    when: 'idChanged',
    finder: { kind: 'scan' },
    describe: 'PK/appId user part (raw or sanitised) → sanitised new id, malformed families repaired; share SKs, data.sharedBy, data.key mapped',
    keyMayChange: true,
    rewrite: (item, ctx) => {
      const result = rewriteUserDataStorageItem(item, ctx.ids);
      for (const problem of result.problems) {
        const reported = reportProblem(problem, TABLE_KEY);
        if (reported) onProblem(reported);
      }
      return result.item;
    },
  };
}

export async function migrateUserDataStorageSegment(clients: AwsClients, input: SegmentInput, options: RunOptions<Step1Progress> = {}): Promise<Totals> {
  const resumed = options.resumeFrom;
  if (resumed?.cursor === null) return step1Totals(resumed.counters, resumed.problems, resumed.unlisted ?? 0);
  const ids = await loadIds(clients, input.idMapRef, options.idMapCache);

  // The engine may rewrite one item more than once (a retry after a concurrent change): one report per problem.
  const problems = new Map<string, Problem>((resumed?.problems ?? []).map((p) => [problemId(p), p]));
  let unlisted = resumed?.unlisted ?? 0;
  const rule = userDataStorageStep1Rule((p) => {
    const id = problemId(p);
    if (problems.has(id)) return;
    if (problems.size < MAX_LISTED_PROBLEMS) problems.set(id, p);
    else unlisted++;
  });
  const counters = await rewriteScanSegment(clients, {
    table: input.deployment.tables.USER_DATA_STORAGE_TABLE,
    tableKey: TABLE_KEY,
    rule,
    ids,
    // Step 1 rewrites no S3 pointer of its own kind: the share keys it maps are ids in a path.
    context: { pointersReady: true, consolidationBucket: input.deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME },
    dryRun: input.dryRun,
    onConflict: input.onConflict,
    segment: input.segment,
    totalSegments: input.totalSegments,
    cursor: resumed?.cursor ?? undefined,
    counters: resumed?.counters,
    resumed: options.retried ? { ledgerMark: resumed?.ledgerMark } : undefined,
    pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    abortSignal: options.abortSignal,
    ledger: options.ledger,
    onProgress: (cursor, pageCounters, ledgerMark) =>
      options.onProgress?.({ cursor: cursor ?? null, counters: pageCounters, problems: [...problems.values()], unlisted, ...(ledgerMark ? { ledgerMark } : {}) }),
  });
  return step1Totals(counters, [...problems.values()], unlisted);
}

const problemId = (p: Problem): string => `${p.kind}\n${p.source ?? ''}\n${p.reason}`;

function step1Totals(counters: RewriteCounters, ruleProblems: Problem[], unlistedRuleProblems: number): Totals {
  const tally = new Tally();
  const table = tally.table(TABLE_KEY);
  table.itemsRead = counters.itemsRead;
  table.itemsWritten = counters.itemsWritten;
  table.itemsMoved = counters.itemsMoved;
  table.itemsUnchanged = counters.itemsUnchanged;
  table.conflicts = counters.conflictCount;
  table.retries = counters.retries;
  const listed = counters.conflicts.map(conflictProblem);
  table.failures = listed.filter((p) => p.kind !== 'conflict').length + ruleProblems.length + unlistedRuleProblems;
  for (const p of [...listed, ...ruleProblems]) tally.problem(p);
  const totals = tally.totals();
  // The engine lists the first conflicts only; the rest are counted (as conflicts: its most common reason).
  const unlistedConflicts = counters.conflictCount - counters.conflicts.length;
  return {
    ...totals,
    problemCount: totals.problemCount + unlistedConflicts + unlistedRuleProblems,
    conflictCount: totals.conflictCount + unlistedConflicts,
    failureCount: totals.failureCount + unlistedRuleProblems,
  };
}

function conflictProblem(conflict: ConflictRecord): Problem {
  const base = { where: TABLE_KEY, source: keyLabel(conflict.oldKey), target: keyLabel(conflict.newKey) };
  switch (conflict.reason) {
    case 'targetExists':
      return { ...base, kind: 'conflict', reason: 'the new key already holds a different item; both left as they are' };
    case 'targetOverwritten':
      return { ...base, kind: 'conflict', reason: 'the new key held a different item; replaced (onConflict overwrite)' };
    case 'itemTooLarge':
      return { ...base, kind: 'oversize', reason: 'the rewritten item would exceed the 400 KB DynamoDB limit; not written' };
    case 'conditionTooLong':
      return { ...base, kind: 'failure', reason: 'too many attributes for a conditional write; not written' };
    case 'stillChanging':
      return { ...base, kind: 'failure', reason: 'the item kept changing under concurrent writes; left for a re-run' };
  }
}

const keyLabel = (key: Record<string, string>): string => `${key.PK ?? '?'} / ${key.SK ?? '?'}`;
