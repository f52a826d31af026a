import { itemSizeBytes, MAX_ITEM_BYTES, type Item } from '../../../src/dynamo/attributeValue';
import { createIdMap } from '../../../src/idmap/types';
import { artifactsRowAfterConversion, convertArtifacts } from '../../../src/uds/artifacts';
import { deterministicUuid } from '../../../src/uds/item';
import { lzwCompress } from '../../../src/uds/lzw';
import { convertReceivedShares, convertUserSettings } from '../../../src/uds/shares';
import { convertScheduledTaskLogs } from '../../../src/uds/taskLogs';
import { convertWorkflowTemplate } from '../../../src/uds/workflowTemplates';

const ids = createIdMap([
  { oldId: 'alice@x.edu', newId: 'sub-alice' },
  { oldId: 'bob@x.edu', newId: 'sub-bob' },
  { oldId: 'bobby@x.edu', newId: 'sub-bobby' },
]);

const uuidFor = (pk: string, sk: string) => deterministicUuid(`${pk}\n${sk}`);
const s = (v: string) => ({ S: v });
const n = (v: string) => ({ N: v });

describe('artifacts → artifact-content items', () => {
  const row: Item = {
    user_id: s('alice@x.edu'),
    createdAt: s('2025-03-01T09:00:00'),
    lastAccessed: s('2025-03-06T10:00:00'),
    artifacts: {
      L: [
        { M: { key: s('alice@x.edu/20250305/Game:v3'), artifactId: s('Game:v3-20250305'), name: s('Game'), type: s('code'), createdAt: s('Mar 05, 2025'), tags: { L: [] } } },
        { M: { key: s('alice@x.edu/20250306/Notes:v1'), name: s('Notes'), sharedBy: s('bob@x.edu'), createdAt: s('Mar 06, 2025') } },
        { M: { key: s('20250101/Done:v1'), name: s('Done') } },
        { M: { key: s('carol@x.edu/20250101/Other:v1'), name: s('Other') } },
      ],
    },
  };
  const contents = {
    'alice@x.edu/20250305/Game:v3': '{"name":"Game","version":3,"contents":"print(1)","score":1.50,"items":["{\'done\': True, \'id\': \'a1\'}", "{\'x\': 1}"]}',
    'alice@x.edu/20250306/Notes:v1': { parsed: { name: 'Notes', contents: 'n' } },
  };

  it('writes own artifacts to the owner partition and shared ones where the service reads them', () => {
    const result = convertArtifacts(row, contents, 'sub-alice', ids);
    const ownPk = 'sub-alice#amplify-artifacts#artifact-content';
    const sharedPk = 'sub-bob#amplify-artifacts#artifact-content';
    expect(result.items).toEqual([
      {
        PK: s(ownPk),
        SK: s('20250305/Game:v3'),
        UUID: s(uuidFor(ownPk, '20250305/Game:v3')),
        data: {
          M: {
            name: s('Game'),
            version: n('3'),
            contents: s('print(1)'),
            score: n('1.5'),
            items: { L: [{ M: { done: { BOOL: true }, id: s('a1') } }, s("{'x': 1}")] },
          },
        },
        appId: s('sub-alice#amplify-artifacts'),
        entityType: s('artifact-content'),
        createdAt: n('1741132800'),
      },
      {
        PK: s(sharedPk),
        SK: s('shared-with-sub-alice#20250306/Notes:v1'),
        UUID: s(uuidFor(sharedPk, 'shared-with-sub-alice#20250306/Notes:v1')),
        data: { M: { name: s('Notes'), contents: s('n') } },
        appId: s('sub-bob#amplify-artifacts'),
        entityType: s('artifact-content'),
        createdAt: n('1741219200'),
      },
    ]);
    expect(result.convertedKeys).toEqual(['alice@x.edu/20250305/Game:v3', 'alice@x.edu/20250306/Notes:v1']);
    expect(result.problems).toEqual([
      { severity: 'error', code: 'key-unexpected', subject: 'carol@x.edu/20250101/Other:v1', message: 'artifact key is not "alice@x.edu/{YYYYMMDD}/…"; left in place' },
    ]);
  });

  it('is deterministic: the same input twice gives the same keys and UUIDs', () => {
    expect(convertArtifacts(row, contents, 'sub-alice', ids)).toEqual(convertArtifacts(row, contents, 'sub-alice', ids));
  });

  it('reports missing and invalid content instead of writing', () => {
    const result = convertArtifacts(row, { 'alice@x.edu/20250305/Game:v3': '{not json' }, 'sub-alice', ids);
    expect(result.items).toEqual([]);
    expect(result.problems.map((p) => [p.code, p.subject])).toEqual([
      ['content-invalid', 'alice@x.edu/20250305/Game:v3'],
      ['content-missing', 'alice@x.edu/20250306/Notes:v1'],
      ['key-unexpected', 'carol@x.edu/20250101/Other:v1'],
    ]);
  });

  it('reports an artifact over 400 KB and does not write it', () => {
    const big = { 'alice@x.edu/20250305/Game:v3': JSON.stringify({ contents: 'x'.repeat(MAX_ITEM_BYTES) }) };
    const result = convertArtifacts({ ...row, artifacts: { L: [row.artifacts && 'L' in row.artifacts ? row.artifacts.L[0] : { NULL: true }] } }, big, 'sub-alice', ids);
    expect(result.items).toEqual([]);
    expect(result.problems).toEqual([
      {
        severity: 'error',
        code: 'item-too-large',
        subject: 'alice@x.edu/20250305/Game:v3',
        message: 'item sub-alice#amplify-artifacts#artifact-content / 20250305/Game:v3 exceeds 400 KB; left in S3, not written',
      },
    ]);
  });

  it('re-points only converted entries in the row and keeps every entry', () => {
    const after = artifactsRowAfterConversion(row, ids, ['alice@x.edu/20250305/Game:v3']);
    expect(after.user_id).toEqual(s('sub-alice'));
    expect(after.artifacts).toEqual({
      L: [
        { M: { key: s('20250305/Game:v3'), artifactId: s('Game:v3-20250305'), name: s('Game'), type: s('code'), createdAt: s('Mar 05, 2025'), tags: { L: [] } } },
        { M: { key: s('alice@x.edu/20250306/Notes:v1'), name: s('Notes'), sharedBy: s('sub-bob'), createdAt: s('Mar 06, 2025') } },
        { M: { key: s('20250101/Done:v1'), name: s('Done') } },
        { M: { key: s('carol@x.edu/20250101/Other:v1'), name: s('Other') } },
      ],
    });
  });
});

describe('workflow templates → workflow-templates items', () => {
  const row: Item = {
    user: s('a+b@x.com'),
    templateId: s('tpl-1'),
    s3Key: s('a+b@x.com/tpl-1.json'),
    isPublic: { BOOL: false },
    createdAt: s('2025-02-01T12:30:00.123456'),
  };

  it('builds the item under the sanitised new id', () => {
    const result = convertWorkflowTemplate(row, '{"name":"T","steps":[{"tool":"x","n":2}]}', 'a+b@x.com');
    const pk = 'a-b@x.com#amplify-workflows#workflow-templates';
    expect(result).toEqual({
      items: [
        {
          PK: s(pk),
          SK: s('tpl-1'),
          UUID: s(uuidFor(pk, 'tpl-1')),
          data: { M: { name: s('T'), steps: { L: [{ M: { tool: s('x'), n: n('2') } }] } } },
          appId: s('a-b@x.com#amplify-workflows'),
          entityType: s('workflow-templates'),
          createdAt: n('1738413000'),
        },
      ],
      problems: [],
    });
  });

  it('writes nothing for an already migrated row and reports missing pieces', () => {
    const { s3Key: _omit, ...migrated } = row;
    expect(convertWorkflowTemplate(migrated, undefined, 'x')).toEqual({ items: [], problems: [] });
    expect(convertWorkflowTemplate(row, undefined, 'x').problems.map((p) => p.code)).toEqual(['content-missing']);
    expect(convertWorkflowTemplate({ s3Key: s('k') }, '{}', 'x').problems.map((p) => p.code)).toEqual(['entry-incomplete']);
    expect(convertWorkflowTemplate(row, '[1]', 'x').problems.map((p) => p.code)).toEqual(['content-invalid']);
  });
});

describe('scheduled-task logs → one LZW-compressed scheduled-task-logs item', () => {
  const detailsJson = JSON.stringify({ result: 'done', steps: Array.from({ length: 20 }, (_, i) => ({ step: i, status: 'ok', output: 'same text again' })) });
  const row: Item = {
    user: s('alice@x.edu'),
    taskId: s('daily_1'),
    createdAt: s('2025-01-10T08:00:00'),
    logs: {
      L: [
        { M: { executionId: s('e1'), executedAt: s('2025-01-11T08:00:00'), status: s('success'), source: s('cron'), detailsKey: s('alice@x.edu/daily_1/logs/e1.json') } },
        { M: { executionId: s('e2'), status: s('failure'), detailsKey: s('alice@x.edu/daily_1/logs/e2.json') } },
        { M: { executionId: s('e3'), status: s('success') } },
      ],
    },
  };
  const objects = { 'alice@x.edu/daily_1/logs/e1.json': detailsJson, 'alice@x.edu/daily_1/logs/e2.json': '{"error":"x"}' };

  it('compresses details like safe_compress and keys them by executionId', () => {
    const result = convertScheduledTaskLogs(row, objects, 'sub-alice');
    const pk = 'sub-alice#amplify-agent-logs#scheduled-task-logs';
    const codes = lzwCompress(
      '{"result": "done", "steps": [' + Array.from({ length: 20 }, (_, i) => `{"step": ${i}, "status": "ok", "output": "same text again"}`).join(', ') + ']}',
    );
    expect(result.items).toEqual([
      {
        PK: s(pk),
        SK: s('daily_1'),
        UUID: s(uuidFor(pk, 'daily_1')),
        data: {
          M: {
            taskId: s('daily_1'),
            user: s('sub-alice'),
            logs: { M: { e1: { L: codes.map((c) => n(String(c))) }, e2: { M: { error: s('x') } } } },
          },
        },
        appId: s('sub-alice#amplify-agent-logs'),
        entityType: s('scheduled-task-logs'),
        createdAt: n('1736496000'),
      },
    ]);
    expect(result.archives).toEqual([]);
    expect(result.consolidatedDetailsKeys).toEqual(['alice@x.edu/daily_1/logs/e1.json', 'alice@x.edu/daily_1/logs/e2.json']);
    expect(result.problems).toEqual([]);
  });

  it('leaves unloaded logs in S3 (no error stub) and keeps existing executions', () => {
    const existing: Item = { PK: s('x'), SK: s('daily_1'), createdAt: n('1736000000'), data: { M: { logs: { M: { e1: { M: { kept: { BOOL: true } } } } } } } };
    const result = convertScheduledTaskLogs(row, {}, 'sub-alice', existing);
    expect(result.items).toEqual([]);
    expect(result.consolidatedDetailsKeys).toEqual(['alice@x.edu/daily_1/logs/e1.json']);
    expect(result.problems.map((p) => [p.code, p.subject])).toEqual([['content-missing', 'alice@x.edu/daily_1/logs/e2.json']]);
  });

  it('reports duplicate and missing execution ids', () => {
    const dup: Item = {
      taskId: s('t'),
      logs: { L: [{ M: { executionId: s('e1'), detailsKey: s('k1') } }, { M: { executionId: s('e1'), detailsKey: s('k2') } }, { M: { detailsKey: s('k3') } }] },
    };
    const result = convertScheduledTaskLogs(dup, { k1: '{}', k2: '{}', k3: '{}' }, 'u');
    expect(result.consolidatedDetailsKeys).toEqual(['k1']);
    expect(result.problems.map((p) => [p.code, p.subject])).toEqual([
      ['duplicate-execution', 'k2'],
      ['entry-incomplete', 'k3'],
    ]);
  });

  it('uses the S3-pointer form for executions that do not fit in 400 KB', () => {
    // Random-looking text barely compresses, so safe_compress keeps it as a string.
    const noisy = (seed: number) => {
      let x = seed;
      let out = '';
      for (let i = 0; i < 420_000; i++) {
        x = (x * 1103515245 + 12345) % 2147483648;
        out += String.fromCharCode(33 + (x % 90));
      }
      return out;
    };
    const big: Item = {
      taskId: s('t'),
      logs: { L: ['a', 'b', 'c'].map((e) => ({ M: { executionId: s(e), detailsKey: s(`k-${e}`) } })) },
    };
    const bodies = { 'k-a': JSON.stringify({ out: noisy(1) }), 'k-b': JSON.stringify({ out: noisy(2).slice(0, 60_000) }), 'k-c': '{"out":"small"}' };
    const result = convertScheduledTaskLogs(big, bodies, 'u+1@x.com');
    expect(result.archives.map((a) => a.key)).toEqual(['scheduledTaskLogs/u+1@x.com/t/a.json']);
    expect(JSON.parse(result.archives[0].body)).toEqual(JSON.parse(bodies['k-a']));
    expect(result.items).toHaveLength(1);
    expect(itemSizeBytes(result.items[0])).toBeLessThanOrEqual(MAX_ITEM_BYTES);
    const logs = result.items[0].data;
    expect(logs && 'M' in logs && logs.M.logs && 'M' in logs.M.logs ? Object.keys(logs.M.logs.M) : []).toEqual(['b', 'c']);
    expect(result.consolidatedDetailsKeys).toEqual(['k-a', 'k-b', 'k-c']);
    expect(result.problems).toEqual([
      {
        severity: 'warning',
        code: 'item-too-large-s3-form',
        subject: 't',
        message: 'item u-1@x.com#amplify-agent-logs#scheduled-task-logs / t would exceed 400 KB; executions a archived to S3 instead',
      },
    ]);
  });
});

describe('shares table row → received shares and user settings', () => {
  const row: Item = {
    id: s('bob@x.edu/9d5e'),
    user: s('bob@x.edu'),
    name: s('/state/share'),
    createdAt: n('1741000000000'),
    updatedAt: n('1741200000000'),
    settings: { M: { theme: s('dark'), fontSize: n('14.5'), flags: { SS: ['a', 'b'] } } },
    data: {
      L: [
        { M: { sharedBy: s('alice@x.edu'), note: s('look'), sharedAt: n('1741176000000'), key: s('bob@x.edu/alice@x.edu/2025-03-05/0b9c.json') } },
        { M: { sharedBy: s('carol@x.edu'), sharedAt: n('1741262400000'), key: s('shares/bob@x.edu/carol@x.edu/2025-03-06/77aa.json') } },
        { M: { sharedBy: s('bobby@x.edu'), note: s(''), key: s('bob@x.edu/bobby@x.edu/nodate.json') } },
        { M: { note: s('broken') } },
      ],
    },
  };

  it('converts every complete entry with a deterministic SK from the share itself', () => {
    const result = convertReceivedShares(row, 'sub-bob', ids);
    const pk = 'sub-bob#amplify-shares#received';
    const sk1 = `sub-alice#2025-03-05#${deterministicUuid('share\nbob@x.edu/alice@x.edu/2025-03-05/0b9c.json')}`;
    const sk2 = `carol@x.edu#2025-03-06#${deterministicUuid('share\nbob@x.edu/carol@x.edu/2025-03-06/77aa.json')}`;
    const sk3 = `sub-bobby#1970-01-01#${deterministicUuid('share\nbob@x.edu/bobby@x.edu/nodate.json')}`;
    const common = { appId: s('sub-bob#amplify-shares'), entityType: s('received') };
    expect(sk1).toBe('sub-alice#2025-03-05#fb0665db-11ff-595b-adf3-3ee73652bbcf');
    expect(result.items).toEqual([
      {
        PK: s(pk),
        SK: s(sk1),
        UUID: s(uuidFor(pk, sk1)),
        data: { M: { sharedBy: s('sub-alice'), note: s('look'), sharedAt: n('1741176000000'), key: s('shares/sub-bob/sub-alice/2025-03-05/0b9c.json') } },
        ...common,
        createdAt: n('1741176000'),
      },
      {
        PK: s(pk),
        SK: s(sk2),
        UUID: s(uuidFor(pk, sk2)),
        data: { M: { sharedBy: s('carol@x.edu'), note: s(''), sharedAt: n('1741262400000'), key: s('shares/sub-bob/carol@x.edu/2025-03-06/77aa.json') } },
        ...common,
        createdAt: n('1741262400'),
      },
      {
        PK: s(pk),
        SK: s(sk3),
        UUID: s(uuidFor(pk, sk3)),
        // Neither a date segment nor sharedAt: the SK date falls back (reported), createdAt comes from the row.
        data: { M: { sharedBy: s('sub-bobby'), note: s(''), sharedAt: n('0'), key: s('shares/sub-bob/sub-bobby/nodate.json') } },
        ...common,
        createdAt: n('1741000000'),
      },
    ]);
    expect(result.convertedEntries).toEqual([0, 1, 2]);
    expect(result.problems.map((p) => [p.severity, p.code, p.subject])).toEqual([
      ['warning', 'date-fallback', 'bob@x.edu/bobby@x.edu/nodate.json'],
      ['error', 'entry-incomplete', 'bob@x.edu/9d5e[3]'],
    ]);
  });

  it('same input twice → same keys; scenario B keeps ids and only adds shares/', () => {
    expect(convertReceivedShares(row, 'sub-bob', ids)).toEqual(convertReceivedShares(row, 'sub-bob', ids));
    const same = createIdMap([{ oldId: 'bob@x.edu', newId: 'bob@x.edu' }]);
    const result = convertReceivedShares(row, 'bob@x.edu', same);
    expect(result.items.map((i) => [i.PK, i.data && 'M' in i.data ? i.data.M.key : undefined])).toEqual([
      [s('bob@x.edu#amplify-shares#received'), s('shares/bob@x.edu/alice@x.edu/2025-03-05/0b9c.json')],
      [s('bob@x.edu#amplify-shares#received'), s('shares/bob@x.edu/carol@x.edu/2025-03-06/77aa.json')],
      [s('bob@x.edu#amplify-shares#received'), s('shares/bob@x.edu/bobby@x.edu/nodate.json')],
    ]);
  });

  it('moves the settings with their stored types (numbers and sets included)', () => {
    const pk = 'sub-bob#amplify-user-settings#user-settings';
    expect(convertUserSettings(row, 'sub-bob')).toEqual({
      items: [
        {
          PK: s(pk),
          SK: s('user-settings'),
          UUID: s(uuidFor(pk, 'user-settings')),
          data: { M: { settings: { M: { theme: s('dark'), fontSize: n('14.5'), flags: { SS: ['a', 'b'] } } } } },
          appId: s('sub-bob#amplify-user-settings'),
          entityType: s('user-settings'),
          createdAt: n('1741000000'),
        },
      ],
      problems: [],
    });
    expect(convertUserSettings({ ...row, settings: { M: {} } }, 'sub-bob')).toEqual({ items: [], problems: [] });
  });

  it('reports settings over 400 KB', () => {
    const result = convertUserSettings({ ...row, settings: { M: { blob: s('x'.repeat(MAX_ITEM_BYTES)) } } }, 'sub-bob');
    expect(result.items).toEqual([]);
    expect(result.problems.map((p) => p.code)).toEqual(['item-too-large']);
  });
});
