/**
 * Table rewrites and their verification, over the DynamoDB rewrite engine. Verification is
 * the same engine in dry-run mode over a full scan: an item the whole map would still
 * change (or a conflict left in place) is an old id the migration did not remove.
 */
import { Context } from '@temporalio/activity';
import { tableSchema, type Deployment, type TableKey } from '../../src/deployment/catalogue';
import { getString } from '../../src/dynamo/attributeValue';
import type { IdMap, IdPair } from '../../src/idmap/types';
import { ruleFor } from '../../src/rules';
import { DATA_DISCLOSURE_VERSIONS_RULE } from '../../src/rules/always';
import type { TableRule } from '../../src/rules/types';
import type { Totals } from '../../src/report/counters';
import type { IdMapRef, OnConflict, VerificationResult } from '../../workflows/types';
import type { AwsClients } from '../aws/clients';
import { createDynamoActivities } from '../dynamo/activities';
import { rewriteScanSegment } from '../dynamo/rewrite';
import { idMapCache } from './idMap';
import type { IdMapCache } from '../dynamo/idMapClaimCheck';
import { fromRewriteCounters } from './totals';
import { userDataStorageStep1Rule } from '../uds/step1';

/** Every rule the engine may be asked for, including the once-per-run data-disclosure rule. */
export function anyTableRule(table: TableKey): TableRule | undefined {
  return ruleFor(table) ?? (table === DATA_DISCLOSURE_VERSIONS_RULE.table ? DATA_DISCLOSURE_VERSIONS_RULE : undefined);
}

/**
 * Per-user tables are rewritten only for the users in the map; items of everyone else are
 * left byte-identical by design, even when they mention a migrated user (the legacy's
 * per-user functions never touch them either). Verification must judge only what the run
 * owns: items whose finder attribute names a migrated user, under the old or the new id.
 */
export function migratedItemsOnly(rule: TableRule, ids: IdMap): TableRule {
  if (rule.finder.kind === 'scan') return rule;
  const schema = tableSchema(rule.table);
  const finder = rule.finder;
  const owner = finder.kind === 'index' ? schema.indexes.find((i) => i.name === finder.index)!.hash.name : schema.hash.name;
  const migrated = new Set(ids.pairs.flatMap((p) => [p.oldId, p.newId]));
  return {
    ...rule,
    rewrite: (item, ctx) => {
      const value = getString(item, owner);
      return value !== undefined && migrated.has(value) ? rule.rewrite(item, ctx) : item;
    },
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

export interface TableSettings {
  /** Items per Query/Scan page, hence per heartbeat. */
  pageSize?: number;
  /** Items of one page written at once. */
  concurrency?: number;
  idMapCache?: IdMapCache;
}

export function createTableActivities(clients: AwsClients, settings: TableSettings = {}) {
  const cache = settings.idMapCache ?? idMapCache;
  const dynamo = createDynamoActivities(clients, { ruleFor: anyTableRule, idMapCache: cache });
  const tuning = { pageSize: settings.pageSize, concurrency: settings.concurrency };
  const claim = (ref: IdMapRef) => ({ bucket: ref.bucket, key: ref.key, sha256: ref.sha256 });

  return {
    async rewriteUserTable(input: WriteInput & { user: IdPair; pointersReady: boolean }): Promise<Totals> {
      const counters = await dynamo.rewriteTableForUser({
        tableKey: input.table,
        table: input.deployment.tables[input.table],
        ids: claim(input.idMapRef),
        oldId: input.user.oldId,
        context: { pointersReady: input.pointersReady, consolidationBucket: input.deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME },
        dryRun: input.dryRun,
        onConflict: input.onConflict,
        ...tuning,
      });
      return fromRewriteCounters(input.table, counters, input.user.oldId);
    },

    async rewriteTableSegment(input: WriteInput & { segment: number; totalSegments: number }): Promise<Totals> {
      const counters = await dynamo.rewriteTableScanSegment({
        tableKey: input.table,
        table: input.deployment.tables[input.table],
        ids: claim(input.idMapRef),
        segment: input.segment,
        totalSegments: input.totalSegments,
        // Run-wide copies finished before the scans start; a failed copy keeps the run from
        // reaching here with pointersReady, see the workflow's bulkCopiesVerified.
        context: { pointersReady: true, consolidationBucket: input.deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME },
        dryRun: input.dryRun,
        onConflict: input.onConflict,
        ...tuning,
      });
      return fromRewriteCounters(input.table, counters);
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
        const left = counters.itemsWritten + counters.conflictCount;
        return {
          tablesChecked: 1,
          itemsChecked: counters.itemsRead,
          oldIdsLeft: left,
          objectsChecked: 0,
          objectsMissing: 0,
          problems: left > 0 ? [{ kind: 'failure', where: input.table, reason: `${left} items still reference an old id (${counters.conflictCount} of them conflicts left in place)` }] : [],
        };
      } catch (err) {
        if ((err as { name?: string }).name === 'ResourceNotFoundException') return empty;
        throw err;
      }
    },
  };
}
