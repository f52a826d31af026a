/**
 * Table rewrites and their verification, over the DynamoDB rewrite engine. Verification is
 * the same engine in dry-run mode over a full scan: an item the whole map would still
 * change (or a conflict left in place) is an old id the migration did not remove.
 */
import { Context } from '@temporalio/activity';
import type { Deployment, TableKey } from '../../src/deployment/catalogue';
import type { IdMap, IdPair } from '../../src/idmap/types';
import { ruleFor } from '../../src/rules';
import { outsidersItemsOnly, ownedByMigratedUser, ownerAttribute, referencesOthers } from '../../src/rules/outsiders';
import { referencesRow } from '../../src/plan/steps';
import type { TableRule } from '../../src/rules/types';
import type { Totals } from '../../src/report/counters';
import type { IdMapRef, OnConflict, VerificationResult } from '../../workflows/types';
import type { AwsClients } from '../aws/clients';
import { createTableRewriter, type EngineExtras } from '../dynamo/tableRewriter';
import type { UsersTableSegmentInput } from '../contract';
import { temporalLedgerResolver, type LedgerResolver } from '../ledger/resolver';
import { rewriteScanSegment } from '../dynamo/rewrite';
import type { IdMapCache } from '../dynamo/idMapClaimCheck';
import { fromRewriteCounters } from './totals';
import { userDataStorageStep1Rule } from '../uds/step1';

/**
 * Every rule the engine may be asked for: the catalogue's, whose TABLE_RULES include the
 * once-per-run data-disclosure rule (so no fallback for it here).
 */
export function anyTableRule(table: TableKey): TableRule | undefined {
  return ruleFor(table);
}

/**
 * What verification judges in a table. Scanned tables: every item. Per-user tables: items
 * whose finder attribute names a migrated user, under the old or the new id — the items of
 * everyone else are not the run's to rewrite (their other rule work, a boolean isPublic, a
 * legacy pointer, is their own owner's business). Except in the tables whose items name
 * other users (rule.othersReferenced): there the references pass maps the outsiders' tokens
 * too, so an outsider's item the rule would still change is an old id left.
 */
export function migratedItemsOnly(rule: TableRule, ids: IdMap): TableRule {
  if (rule.finder.kind === 'scan' || referencesOthers(rule)) return rule;
  const owner = ownerAttribute(rule)!;
  return {
    ...rule,
    rewrite: (item, ctx) => (ownedByMigratedUser(item, owner, ids) ? rule.rewrite(item, ctx) : item),
  };
}

/**
 * What verification applies to a table: its rule, or for USER_DATA_STORAGE the step 1
 * rewrite, which knows every form in which the services store a user id there (raw or
 * sanitised `[^A-Za-z0-9@._-]` → `-`, in PK, appId, SK segments and share data).
 */
function verificationRule(table: TableKey): TableRule | undefined {
  if (table === 'USER_DATA_STORAGE_TABLE') return userDataStorageStep1Rule(() => undefined);
  return anyTableRule(table);
}

interface WriteInput {
  deployment: Deployment;
  table: TableKey;
  idMapRef: IdMapRef;
  dryRun: boolean;
  onConflict: OnConflict;
}

/**
 * The references pass of a per-user table (src/rules/outsiders.ts): only items of users
 * outside the map are rewritten. `pointersReady` is the run's bulkCopiesVerified: the
 * pointers such items hold (share keys) name objects of the whole-bucket copies.
 */
export interface ReferencesScan {
  pointersReady: boolean;
}

export interface TableSettings {
  /** Items per Query/Scan page, hence per heartbeat. */
  pageSize?: number;
  /** Items of one page written at once. */
  concurrency?: number;
}

export interface TableActivityDeps extends TableSettings {
  /** The worker's one id-map cache (created where the activities are composed, activities/index.ts). */
  idMapCache: IdMapCache;
  /** Which ledger a write activity records to (issue 12); default: the run's, found from the migration's memo. */
  ledger?: LedgerResolver;
}

export function createTableActivities(clients: AwsClients, settings: TableActivityDeps) {
  const cache = settings.idMapCache;
  const dynamo = createTableRewriter(clients, { ruleFor: anyTableRule, idMapCache: cache });
  const outsiders = createTableRewriter(clients, {
    ruleFor: (table) => {
      const rule = anyTableRule(table);
      return rule && referencesOthers(rule) ? outsidersItemsOnly(rule) : undefined;
    },
    idMapCache: cache,
  });
  const tuning = { pageSize: settings.pageSize, concurrency: settings.concurrency };
  const resolveLedger = settings.ledger ?? temporalLedgerResolver(clients);
  // Write-ahead (issue 12): the engine records each page's intended writes before making them.
  const extras = async (input: WriteInput) => ({ ledger: await resolveLedger({ deployment: input.deployment, dryRun: input.dryRun }) });
  const claim = (ref: IdMapRef) => ({ bucket: ref.bucket, key: ref.key, sha256: ref.sha256 });

  /** What every table rewrite of the engine is given: the table, the map, the context, the pass. */
  const engineInput = (input: WriteInput, pointersReady: boolean) => ({
    tableKey: input.table,
    table: input.deployment.tables[input.table],
    ids: claim(input.idMapRef),
    context: { pointersReady, consolidationBucket: input.deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME },
    dryRun: input.dryRun,
    onConflict: input.onConflict,
    ...tuning,
  });

  const rewriteUsersTable = async (input: UsersTableSegmentInput, engineExtras: EngineExtras): Promise<Totals> => {
    const counters = await dynamo.rewriteUsersTableScanSegment(
      { ...engineInput(input, input.pointersReady), segment: input.segment, totalSegments: input.totalSegments, pointersNotReady: input.pointersNotReady },
      engineExtras,
    );
    return fromRewriteCounters(input.table, counters);
  };

  return {
    async rewriteUserTable(input: WriteInput & { user: IdPair; pointersReady: boolean }): Promise<Totals> {
      const counters = await dynamo.rewriteTableForUser({ ...engineInput(input, input.pointersReady), oldId: input.user.oldId }, await extras(input));
      return fromRewriteCounters(input.table, counters, input.user.oldId);
    },

    async rewriteTableSegment(input: WriteInput & { segment: number; totalSegments: number; references?: ReferencesScan }): Promise<Totals> {
      // The references pass of a per-user table rewrites only outsiders' items, and moves their
      // pointers only when the run-wide copies were verified. A scanned table's own pass runs
      // after every copy: a failed copy keeps the run from getting here (bulkCopiesVerified).
      const engine = input.references ? outsiders : dynamo;
      const counters = await engine.rewriteTableScanSegment(
        { ...engineInput(input, input.references?.pointersReady ?? true), segment: input.segment, totalSegments: input.totalSegments },
        await extras(input),
      );
      return fromRewriteCounters(input.references ? referencesRow(input.table) : input.table, counters);
    },

    /**
     * The plan of a per-user table from one scan segment (issue 9: a plan that reads once):
     * what every user's query-and-rewrite would do in a dry run, under the same row.
     * `pointersReady` is the run's bulkCopiesVerified; `pointersNotReady`, the users whose own
     * copies or conversions planned a conflict or a failure.
     */
    async planUserTableSegment(input: Omit<UsersTableSegmentInput, 'dryRun'>): Promise<Totals> {
      return rewriteUsersTable({ ...input, dryRun: true }, {});
    },

    /**
     * Every user's part of a per-user table from one scan segment, written: the approved pass
     * of a table its plan planned by scan, after every user's copies and conversions, so one
     * request moves the items of many users. `pointersNotReady`: the users whose own copies or
     * conversions had a conflict or a failure in this pass.
     */
    async rewriteUsersTableSegment(input: UsersTableSegmentInput): Promise<Totals> {
      return rewriteUsersTable(input, await extras(input));
    },

    async verifyTableSegment(input: { deployment: Deployment; table: TableKey; idMapRef: IdMapRef; segment: number; totalSegments: number }): Promise<VerificationResult> {
      const rule = verificationRule(input.table);
      const empty = { tablesChecked: 0, itemsChecked: 0, oldIdsLeft: 0, objectsChecked: 0, objectsMissing: 0, problems: [] };
      if (!rule) return empty;
      const ids = await cache.resolve(clients, claim(input.idMapRef));
      const ctx = Context.current();
      try {
        const counters = await rewriteScanSegment(clients, {
          table: input.deployment.tables[input.table],
          tableKey: input.table,
          rule: migratedItemsOnly(rule, ids),
          ids,
          context: { pointersReady: true, consolidationBucket: input.deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME },
          dryRun: true,
          segment: input.segment,
          totalSegments: input.totalSegments,
          onProgress: () => ctx.heartbeat(),
          abortSignal: ctx.cancellationSignal,
        });
        // An item the map would still change is one the run failed to migrate. An item whose
        // new key holds something else is a conflict the run already reported and left for the
        // operator (--on-conflict): counted here, but it makes the run "succeeded with
        // conflicts" (exit 5), not "failed".
        const left = counters.itemsWritten;
        return {
          tablesChecked: 1,
          itemsChecked: counters.itemsRead,
          oldIdsLeft: left,
          conflictsLeft: counters.conflictCount,
          objectsChecked: 0,
          objectsMissing: 0,
          problems: left > 0 ? [{ kind: 'failure', where: input.table, reason: `${left} items still reference an old id` }] : [],
        };
      } catch (err) {
        if ((err as { name?: string }).name === 'ResourceNotFoundException') return empty;
        throw err;
      }
    },
  };
}
