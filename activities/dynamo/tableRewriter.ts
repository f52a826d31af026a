/**
 * The table rewriter: the rewrite engine bound to the running activity's context. It is not
 * registered with Temporal itself; the registered table activities (activities/migration/tables.ts)
 * call it. Small serialisable inputs, the id map inline or as a claim check, the rule looked up
 * by table key, a heartbeat after every page carrying the resume cursor, and the cancellation
 * signal passed to every AWS call (Temporal's cancellation only reaches an
 * activity that heartbeats).
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { AwsClients } from '../aws/clients';
import { FAILURE_TYPES } from '../failureTypes';
import type { TableKey } from '../../src/deployment/catalogue';
import { plannedOwner, withOwnersPointers } from '../../src/plan/userTablePlan';
import type { LedgerSink } from '../../src/ledger/types';
import type { RewriteContext, TableRule } from '../../src/rules/types';
import type { IdMapCache, IdMapInput } from './idMapClaimCheck';
import {
  rewriteScanSegment,
  rewriteUserItems,
  type OnConflict,
  type RewriteCounters,
  type WireCursor,
} from './rewrite';

export interface TableRewriteInput {
  tableKey: TableKey;
  /** Physical table name (from the deployment catalogue, overrides applied). */
  table: string;
  ids: IdMapInput;
  context: Omit<RewriteContext, 'ids'>;
  dryRun: boolean;
  /**
   * Default 'skip': conflicts are reported, not overwritten, unless the operator chose otherwise.
   */
  onConflict?: OnConflict;
  /** Items per page, hence per heartbeat; default DEFAULT_PAGE_SIZE (DRY_RUN_PAGE_SIZE for a dry run). */
  pageSize?: number;
  concurrency?: number;
}

/**
 * Small pages keep heartbeats (and so cancellation and resume points) frequent: DynamoDB's
 * own 1 MB pages can hold thousands of small items, minutes of conditional writes.
 */
export const DEFAULT_PAGE_SIZE = 200;
/**
 * A dry run writes nothing, so its pages can be larger: fewer requests for the plan's scans
 * (and on moto, which sorts and walks the table up to the start key for every page, far less
 * time). Verification reads in DynamoDB's own 1 MB pages.
 */
export const DRY_RUN_PAGE_SIZE = 1000;

export interface RewriteTableForUserInput extends TableRewriteInput {
  oldId: string;
}

export interface RewriteTableScanSegmentInput extends TableRewriteInput {
  segment: number;
  totalSegments: number;
}

export interface UsersTableScanSegmentInput extends RewriteTableScanSegmentInput {
  /** Old ids of the users whose own copies or conversions (planned or done) had a conflict or failure: their pointers stay. */
  pointersNotReady: readonly string[];
}

/** What a heartbeat carries: where to resume, and the counts of the pages done so far. */
export interface RewriteHeartbeat {
  /** null once the last page is done. */
  cursor: WireCursor | null;
  counters: RewriteCounters;
  /** The ledger's mark when the counters were taken (see ResumePoint). */
  ledgerMark?: string;
}

/**
 * What the caller resolved outside the serialisable input: the run's ledger (issue 12), which
 * the engine writes each page's intended writes to before making them. Absent: no ledger.
 */
export interface EngineExtras {
  ledger?: LedgerSink;
}

export type RuleLookup = (table: TableKey) => TableRule | undefined;

/** ruleFor from the rules catalogue, required on first use so this module loads without it. */
const defaultRuleLookup: RuleLookup = (table) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const rules = require('../../src/rules/index') as { ruleFor: RuleLookup };
  return rules.ruleFor(table);
};

export interface TableRewriterOptions {
  ruleFor?: RuleLookup;
  /** The worker's one id-map cache (created where the activities are composed, activities/index.ts). */
  idMapCache: IdMapCache;
}

export function createTableRewriter(clients: AwsClients, options: TableRewriterOptions) {
  const lookup = options.ruleFor ?? defaultRuleLookup;
  const cache = options.idMapCache;

  async function prepare(input: TableRewriteInput, extras: EngineExtras) {
    const rule = lookup(input.tableKey);
    if (!rule) throw ApplicationFailure.nonRetryable(`no table rule for ${input.tableKey}`, FAILURE_TYPES.noTableRule);
    const ctx = Context.current();
    const resumed = ctx.info.heartbeatDetails as RewriteHeartbeat | undefined;
    const ids = await cache.resolve(clients, input.ids);
    return {
      done: resumed !== undefined && resumed.cursor === null ? resumed.counters : undefined,
      common: {
        table: input.table,
        tableKey: input.tableKey,
        rule,
        ids,
        context: input.context,
        dryRun: input.dryRun,
        onConflict: input.onConflict ?? 'skip',
        pageSize: input.pageSize ?? (input.dryRun ? DRY_RUN_PAGE_SIZE : DEFAULT_PAGE_SIZE),
        concurrency: input.concurrency,
        cursor: resumed?.cursor ?? undefined,
        counters: resumed?.counters,
        resumed: ctx.info.attempt > 1 ? { ledgerMark: resumed?.ledgerMark } : undefined,
        abortSignal: ctx.cancellationSignal,
        ledger: extras.ledger,
        onProgress: (cursor: WireCursor | undefined, counters: RewriteCounters, ledgerMark?: string) => {
          const details: RewriteHeartbeat = { cursor: cursor ?? null, counters, ...(ledgerMark ? { ledgerMark } : {}) };
          ctx.heartbeat(details);
        },
      },
    };
  }

  return {
    /** Rewrites one table's items of one user (rule finder: partition key or GSI). */
    async rewriteTableForUser(input: RewriteTableForUserInput, extras: EngineExtras = {}): Promise<RewriteCounters> {
      const { done, common } = await prepare(input, extras);
      return done ?? (await rewriteUserItems(clients, { ...common, oldId: input.oldId }));
    },

    /** Rewrites one segment of a once-per-run parallel scan (the whole id map on every item). */
    async rewriteTableScanSegment(input: RewriteTableScanSegmentInput, extras: EngineExtras = {}): Promise<RewriteCounters> {
      const { done, common } = await prepare(input, extras);
      return done ?? (await rewriteScanSegment(clients, { ...common, segment: input.segment, totalSegments: input.totalSegments }));
    },

    /**
     * One segment of a scan of a per-user table that does every user's part at once: only the
     * items some user's query would find, each under its owner's context
     * (src/plan/userTablePlan.ts). The plan's dry run, or the approved pass's writes.
     */
    async rewriteUsersTableScanSegment(input: UsersTableScanSegmentInput, extras: EngineExtras = {}): Promise<RewriteCounters> {
      const { done, common } = await prepare(input, extras);
      if (done) return done;
      const ownerOf = plannedOwner(common.rule, common.ids);
      return rewriteScanSegment(clients, {
        ...common,
        rule: withOwnersPointers(common.rule, ownerOf, new Set(input.pointersNotReady)),
        select: (item) => ownerOf(item) !== undefined,
        segment: input.segment,
        totalSegments: input.totalSegments,
      });
    },
  };
}

export type TableRewriter = ReturnType<typeof createTableRewriter>;

export { putIdMapClaimCheck, type IdMapClaimCheck, type IdMapInput } from './idMapClaimCheck';
