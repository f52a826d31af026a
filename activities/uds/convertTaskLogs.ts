/**
 * Scheduled-task logs: the user's
 * SCHEDULED_TASKS rows, read by the old id, and the log objects their `logs[].detailsKey`
 * name → one `scheduled-task-logs` item per task (details LZW-compressed as the service
 * does). Executions that do not fit go to archives in the consolidation bucket first, the
 * service's own S3 form; the item is written after them. Executions the service already
 * logged into the item are kept: the item is merged, conditional on the version read.
 */
import type { Item } from '../../src/dynamo/attributeValue';
import { convertScheduledTaskLogs, FAMILIES, udsKey } from '../../src/uds';
import { listOfMaps, stringAttr } from '../../src/uds/conversionSupport';
import { getItem } from './conditionalPut';
import type { ConversionContext } from './conversionContext';
import { listObjects, putArchiveIfAbsent } from './objects';
import { recordPut } from './tally';

const SOURCE_TABLE = 'SCHEDULED_TASKS_TABLE';
const SOURCE_BUCKET = 'SCHEDULED_TASKS_LOGS_BUCKET';
const ARCHIVE_BUCKET = 'S3_CONSOLIDATION_BUCKET_NAME';
/** Rebuilds when the service logs into the item between our read and our write. */
const MAX_MERGE_ATTEMPTS = 3;

export async function convertUserScheduledTaskLogs(ctx: ConversionContext): Promise<void> {
  const rows = await ctx.queryAll(SOURCE_TABLE, 'user', ctx.user.oldId);
  for (const row of rows) await convertTask(ctx, row);
  await reportOrphanLogs(ctx, rows);
}

/**
 * Log files under `{old}/` that no task names are reported, and left in place. The legacy
 * deleted them, and because its query ran after the rows had moved, it deleted the logs
 * tasks still pointed at too. A file is named by a task when a
 * row of the user (under the old or the new id) lists it as a detailsKey, or lists its
 * execution under its task: a row whose logs were consolidated keeps the execution id but
 * no detailsKey, so a re-run does not take every consolidated log for an orphan.
 */
async function reportOrphanLogs(ctx: ConversionContext, rows: readonly Item[]): Promise<void> {
  const named = new Set<string>();
  const name = (row: Item) => {
    const taskId = stringAttr(row, 'taskId');
    for (const entry of listOfMaps(row, 'logs')) {
      const detailsKey = stringAttr(entry, 'detailsKey');
      if (detailsKey) named.add(detailsKey);
      const executionId = stringAttr(entry, 'executionId');
      if (taskId && executionId) named.add(`${ctx.user.oldId}/${taskId}/logs/${executionId}.json`);
    }
  };
  rows.forEach(name);
  const listed = await listObjects(ctx.clients, ctx.deployment.buckets[SOURCE_BUCKET], `${ctx.user.oldId}/`, ctx.abortSignal);
  const candidates = listed.filter((object) => !named.has(object.key));
  if (candidates.length > 0) (await ctx.movedRows(SOURCE_TABLE, 'user')).forEach(name);
  for (const object of candidates) {
    if (named.has(object.key)) continue;
    ctx.tally.problem({
      kind: 'warning',
      where: SOURCE_BUCKET,
      user: ctx.user.oldId,
      source: object.key,
      reason: 'orphan log: no scheduled task names it; left in place (not imported, not deleted)',
    });
  }
}

async function convertTask(ctx: ConversionContext, row: Item): Promise<void> {
  const withDetails = listOfMaps(row, 'logs').filter((e) => !!stringAttr(e, 'detailsKey'));
  if (withDetails.length === 0) return; // no log in S3: nothing to convert
  const taskId = stringAttr(row, 'taskId');
  const source = `${SOURCE_TABLE} ${stringAttr(row, 'user') ?? ''}/${taskId ?? '?'}`;
  if (!taskId) {
    ctx.problems(convertScheduledTaskLogs(row, {}, ctx.user.newId).problems, SOURCE_TABLE);
    return;
  }
  const key = udsKey(ctx.user.newId, FAMILIES.scheduledTaskLogs, taskId);
  const contents = new Map<string, string>();

  for (let attempt = 1; attempt <= MAX_MERGE_ATTEMPTS; attempt++) {
    const existing = await getItem(ctx.clients, ctx.deployment.tables.USER_DATA_STORAGE_TABLE, { PK: { S: key.PK }, SK: { S: key.SK } }, ctx.abortSignal);
    const logged = loggedExecutions(existing);
    for (const entry of withDetails) {
      const detailsKey = stringAttr(entry, 'detailsKey') as string;
      const executionId = stringAttr(entry, 'executionId');
      // Executions already in the item are kept as stored: their objects need no read.
      if (!executionId || logged.has(executionId) || contents.has(detailsKey)) continue;
      const text = await ctx.readObject(SOURCE_BUCKET, detailsKey);
      if (text !== undefined) contents.set(detailsKey, text);
    }
    const result = convertScheduledTaskLogs(row, contents, ctx.user.newId, existing);
    const [item] = result.items;
    if (!item) {
      // Everything convertible is already in the item (a re-run, or a killed predecessor of
      // this attempt merged it), or nothing was.
      if (existing && result.consolidatedDetailsKeys.length > 0) await ctx.foundInPlace(existing, { countUnchanged: true });
      ctx.problems(result.problems, SOURCE_BUCKET);
      return;
    }
    // Archives before the item: the item may only leave out executions whose archive exists.
    for (const archive of result.archives) {
      const outcome = await putArchiveIfAbsent(ctx.clients, ctx.deployment.buckets[ARCHIVE_BUCKET], archive.key, archive.body, ctx.input.dryRun, ctx.abortSignal, ctx.ledger);
      const counters = ctx.tally.bucket(ARCHIVE_BUCKET);
      if (outcome === 'written') {
        counters.objectsCopied++;
        counters.bytesCopied += Buffer.byteLength(archive.body);
      } else if (outcome === 'unchanged') {
        counters.objectsSkipped++;
      } else {
        counters.conflicts++;
        ctx.tally.problem({
          kind: 'conflict',
          where: ARCHIVE_BUCKET,
          user: ctx.user.oldId,
          source,
          target: archive.key,
          reason: 'a different archive of this execution already exists (the service wrote it); kept',
        });
      }
    }
    const outcome = await ctx.put(item, source, { item: existing });
    if (outcome === 'basisChanged') continue;
    ctx.problems(result.problems, SOURCE_BUCKET);
    return;
  }
  recordPut(ctx.tally, 'USER_DATA_STORAGE_TABLE', 'stillChanging', { PK: { S: key.PK }, SK: { S: key.SK } }, ctx.user.oldId, source);
}

function loggedExecutions(existing: Item | undefined): Set<string> {
  const data = existing?.data;
  const logs = data && 'M' in data ? data.M.logs : undefined;
  return new Set(logs && 'M' in logs ? Object.keys(logs.M) : []);
}
