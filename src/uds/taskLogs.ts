/**
 * Scheduled-task logs (SCHEDULED_TASKS_LOGS_BUCKET objects) → one USER_DATA_STORAGE
 * `scheduled-task-logs` item per task:
 *
 *   data = {taskId, user: newId (raw), logs: {executionId: safe_compress(details), ...}}
 *
 * Too large for one item: the agent-loop service also reads an execution that is not in
 * `data.logs` from the consolidation bucket at
 * `scheduledTaskLogs/{user}/{taskId}/{executionId}.json` (plain JSON of the details, the
 * same archive the service writes itself). That is the S3-pointer form used here: the
 * largest executions move to such archives until the item fits.
 */
import type { AttributeValue, Item } from '../dynamo/attributeValue';
import { buildUdsItem, describeKey, epochSecondsFrom, isOversized, type Problem } from './item';
import { type JsonNode, type LoadedContent, pythonJsonDumps, toAttributeValue } from './json';
import { safeCompress } from './lzw';
import { FAMILIES } from './sanitize';
import { type ContentLookup, type ConversionResult, listOfMaps, lookupContent, parseContent, stringAttr } from './conversionSupport';

/** An S3 object to put in the consolidation bucket before the item is written. */
export interface ArchiveObject {
  key: string;
  body: string;
}

export interface TaskLogsConversion extends ConversionResult {
  /** Archives (S3-pointer form) for executions that did not fit in the item. */
  archives: ArchiveObject[];
  /**
   * detailsKeys whose content is in `items` or `archives`. Only these may be stripped from
   * the task row's `logs[]`; the others must keep pointing at their S3 object.
   */
  consolidatedDetailsKeys: string[];
}

export function scheduledTaskLogArchiveKey(userId: string, taskId: string, executionId: string): string {
  return `scheduledTaskLogs/${userId}/${taskId}/${executionId}.json`;
}

interface Execution {
  executionId: string;
  detailsKey: string;
  node: JsonNode;
  value: AttributeValue;
}

/**
 * @param row the SCHEDULED_TASKS_TABLE row `{user, taskId, logs: [{executionId, detailsKey, ...}]}`
 * @param logObjects log JSON by detailsKey (raw body text preferred)
 * @param newUserId the owner's new id
 * @param existing the USER_DATA_STORAGE item already at the target key, if any: its
 *   executions are kept (the service may have logged new runs there) and win over ours.
 */
export function convertScheduledTaskLogs(row: Item, logObjects: ContentLookup, newUserId: string, existing?: Item): TaskLogsConversion {
  const taskId = stringAttr(row, 'taskId');
  const problems: Problem[] = [];
  const empty = { items: [], archives: [], consolidatedDetailsKeys: [], problems };
  const withDetails = listOfMaps(row, 'logs').filter((e) => !!stringAttr(e, 'detailsKey'));
  if (withDetails.length === 0) return empty; // nothing in S3: already migrated
  if (!taskId) {
    problems.push({ severity: 'error', code: 'entry-incomplete', subject: stringAttr(row, 'user') ?? '', message: 'task row without taskId' });
    return empty;
  }

  const existingLogs = existingLogMap(existing);
  const executions: Execution[] = [];
  const seen = new Set<string>();
  for (const entry of withDetails) {
    const detailsKey = stringAttr(entry, 'detailsKey') as string;
    const executionId = stringAttr(entry, 'executionId');
    if (!executionId) {
      // The service finds details by executionId; without one they cannot be addressed.
      problems.push({ severity: 'error', code: 'entry-incomplete', subject: detailsKey, message: 'log entry without executionId; left in S3' });
      continue;
    }
    if (seen.has(executionId)) {
      // The service reads the first entry with an executionId; later duplicates keep their S3 pointer.
      problems.push({ severity: 'error', code: 'duplicate-execution', subject: detailsKey, message: `executionId ${executionId} repeats; left in S3` });
      continue;
    }
    seen.add(executionId);
    if (executionId in existingLogs) continue; // already consolidated (kept as stored)
    const content: LoadedContent | undefined = lookupContent(logObjects, detailsKey);
    if (content === undefined) {
      problems.push({ severity: 'error', code: 'content-missing', subject: detailsKey, message: 'log object not loaded; left in S3' });
      continue;
    }
    const parsed = parseContent(content, detailsKey);
    if ('problem' in parsed) {
      problems.push(parsed.problem);
      continue;
    }
    try {
      const codes = safeCompress(parsed.node);
      const value: AttributeValue = codes ? { L: codes.map((c) => ({ N: String(c) })) } : toAttributeValue(parsed.node);
      executions.push({ executionId, detailsKey, node: parsed.node, value });
    } catch (e) {
      problems.push({ severity: 'error', code: 'content-invalid', subject: detailsKey, message: (e as Error).message });
    }
  }

  const alreadyThere = withDetails
    .filter((e) => {
      const id = stringAttr(e, 'executionId');
      return id !== undefined && id in existingLogs;
    })
    .map((e) => stringAttr(e, 'detailsKey') as string);
  if (executions.length === 0) return { ...empty, consolidatedDetailsKeys: alreadyThere };

  const createdAt = epochSecondsFrom(existing?.createdAt) ?? epochSecondsFrom(row.createdAt) ?? 0;
  const build = (inItem: Execution[]): Item =>
    buildUdsItem({
      partitionUser: newUserId,
      family: FAMILIES.scheduledTaskLogs,
      sortKey: taskId,
      data: {
        M: {
          taskId: { S: taskId },
          user: { S: newUserId },
          logs: { M: { ...Object.fromEntries(inItem.map((x) => [x.executionId, x.value])), ...existingLogs } },
        },
      },
      createdAt,
    });

  // Largest first, so the fewest executions leave the item.
  const bySize = [...executions].sort((a, b) => pythonJsonDumps(b.node).length - pythonJsonDumps(a.node).length);
  const archived: Execution[] = [];
  let item = build(executions);
  while (isOversized(item) && archived.length < executions.length) {
    archived.push(bySize[archived.length]);
    item = build(executions.filter((x) => !archived.includes(x)));
  }
  const archives = archived.map((x) => ({
    key: scheduledTaskLogArchiveKey(newUserId, taskId, x.executionId),
    body: pythonJsonDumps(x.node),
  }));
  const items: Item[] = [];
  if (isOversized(item)) {
    problems.push({
      severity: 'error',
      code: 'item-too-large',
      subject: taskId,
      message: `item ${describeKey(item)} exceeds 400 KB even without the migrated executions (all archived to S3); item not written`,
    });
  } else {
    items.push(item);
    if (archived.length > 0) {
      problems.push({
        severity: 'warning',
        code: 'item-too-large-s3-form',
        subject: taskId,
        message: `item ${describeKey(item)} would exceed 400 KB; executions ${archived.map((x) => x.executionId).join(', ')} archived to S3 instead`,
      });
    }
  }
  return { items, archives, problems, consolidatedDetailsKeys: [...alreadyThere, ...executions.map((x) => x.detailsKey)] };
}

function existingLogMap(existing: Item | undefined): Record<string, AttributeValue> {
  const data = existing?.data;
  const logs = data && 'M' in data ? data.M.logs : undefined;
  return logs && 'M' in logs ? logs.M : {};
}
