import type { Item } from '../../../../src/dynamo/attributeValue';
import { SCHEDULED_TASKS_RULE } from '../../../../src/rules/always/scheduledTasks';
import { CTX, NOT_READY, SUB_BOB } from '../support';

const log = (exec: string, detailsKey?: string): { M: Item } => ({
  M: {
    executionId: { S: exec },
    executedAt: { S: '2025-03-05T10:00:00Z' },
    status: { S: 'success' },
    source: { S: 'schedule' },
    ...(detailsKey === undefined ? {} : { detailsKey: { S: detailsKey } }),
  },
});

const legacy: Item = {
  user: { S: 'bob@x.com' },
  taskId: { S: 'task-1' },
  active: { S: 'true' },
  cronExpression: { S: '0 9 * * 1' },
  logs: { L: [log('exec-1', 'bob@x.com/task-1/logs/exec-1.json'), log('exec-2', 'bob@x.com/task-1/logs/exec-2.json'), log('exec-0')] },
};

describe('SCHEDULED_TASKS_RULE', () => {
  it('moves the row and drops detailsKeys once the logs are in USER_DATA_STORAGE', () => {
    const before = structuredClone(legacy);
    expect(SCHEDULED_TASKS_RULE.rewrite(legacy, CTX)).toEqual({
      ...legacy,
      user: { S: SUB_BOB },
      logs: { L: [log('exec-1'), log('exec-2'), log('exec-0')] },
    });
    expect(legacy).toEqual(before);
  });

  it('keeps detailsKeys until pointers are ready', () => {
    expect(SCHEDULED_TASKS_RULE.rewrite(legacy, NOT_READY)).toEqual({ ...legacy, user: { S: SUB_BOB } });
  });

  it('scenario B: only the pointers change', () => {
    const item: Item = { user: { S: 'same@x.com' }, taskId: { S: 't' }, logs: { L: [log('e', 'same@x.com/t/logs/e.json')] } };
    expect(SCHEDULED_TASKS_RULE.rewrite(item, NOT_READY)).toEqual(item);
    expect(SCHEDULED_TASKS_RULE.rewrite(item, CTX)).toEqual({ ...item, logs: { L: [log('e')] } });
  });
});
