import type { Item } from '../../../src/dynamo/attributeValue';
import { createIdMap } from '../../../src/idmap/types';
import { rewriteUserDataStorageItem, translateOldUserStorageItem } from '../../../src/uds/rewrite';

const s = (v: string) => ({ S: v });
const ids = createIdMap([
  { oldId: 'bob', newId: 'sub-bob' },
  { oldId: 'bobby', newId: 'sub-bobby' },
  { oldId: 'a+b@x.com', newId: 'c+d@x.com' },
  { oldId: 'zoë@x.de', newId: 'sub-zoe' },
  { oldId: 'allen.karns@vanderbilt.edu', newId: 'sub-allen' },
  { oldId: 'carol@x.edu', newId: 'sub-carol' },
]);

const udsItem = (pk: string, sk: string, appId: string, entityType: string, data: Item = {}): Item => ({
  PK: s(pk),
  SK: s(sk),
  UUID: s('u-1'),
  data: { M: data },
  appId: s(appId),
  entityType: s(entityType),
  createdAt: { N: '1741000000' },
});

describe('Step 1: rewriteUserDataStorageItem', () => {
  it('maps the user part of PK and appId exactly (bob never touches bobby)', () => {
    const bob = rewriteUserDataStorageItem(udsItem('bob#amplify-workflows#workflow-templates', 't1', 'bob#amplify-workflows', 'workflow-templates'), ids);
    expect(bob.keyChanged).toBe(true);
    expect(bob.item).toEqual(udsItem('sub-bob#amplify-workflows#workflow-templates', 't1', 'sub-bob#amplify-workflows', 'workflow-templates'));

    const bobby = rewriteUserDataStorageItem(udsItem('bobby#amplify-workflows#workflow-templates', 't1', 'bobby#amplify-workflows', 'workflow-templates'), ids);
    expect(bobby.item.PK).toEqual(s('sub-bobby#amplify-workflows#workflow-templates'));

    const other = udsItem('bobbie#amplify-workflows#workflow-templates', 't1', 'bobbie#amplify-workflows', 'workflow-templates');
    expect(rewriteUserDataStorageItem(other, ids)).toEqual({ item: other, keyChanged: false, problems: [] });
  });

  it('matches the sanitised form of ids with + and non-ASCII, and writes the sanitised new id', () => {
    const plus = rewriteUserDataStorageItem(udsItem('a-b@x.com#amplify-user-settings#user-settings', 'user-settings', 'a-b@x.com#amplify-user-settings', 'user-settings'), ids);
    expect(plus.item.PK).toEqual(s('c-d@x.com#amplify-user-settings#user-settings'));
    expect(plus.item.appId).toEqual(s('c-d@x.com#amplify-user-settings'));
    // The legacy wrote raw ids into share PKs: those match too and are written sanitised.
    const raw = rewriteUserDataStorageItem(udsItem('a+b@x.com#amplify-shares#received', 'bob#2025-03-05#u1', 'a+b@x.com#amplify-shares', 'received'), ids);
    expect([raw.item.PK, raw.item.SK, raw.item.appId]).toEqual([s('c-d@x.com#amplify-shares#received'), s('sub-bob#2025-03-05#u1'), s('c-d@x.com#amplify-shares')]);
    const umlaut = rewriteUserDataStorageItem(udsItem('zo-@x.de#amplify-artifacts#artifact-content', '20250101/A:v1', 'zo-@x.de#amplify-artifacts', 'artifact-content'), ids);
    expect(umlaut.item.PK).toEqual(s('sub-zoe#amplify-artifacts#artifact-content'));
  });

  it('repairs the four malformed families', () => {
    const cases: Array<[string, string, string]> = [
      ['amplify-workflows', 'workflow-templates', 't1'],
      ['amplify-user-settings', 'user-settings', 'user-settings'],
      ['amplify-artifacts', 'artifact-content', '20250101/A:v1'],
      ['amplify-agent-logs', 'scheduled-task-logs', 'task1'],
    ];
    for (const [app, entity, sk] of cases) {
      const result = rewriteUserDataStorageItem(
        udsItem(`sub-allen#allen-karns-vanderbilt-edu-${app}#${entity}`, sk, `sub-allen#allen-karns-vanderbilt-edu-${app}`, entity),
        ids,
      );
      expect(result).toEqual({ item: udsItem(`sub-allen#${app}#${entity}`, sk, `sub-allen#${app}`, entity), keyChanged: true, problems: [] });
    }
  });

  it('maps artifact-share SKs and share SKs, sharedBy and data.key', () => {
    const artifactShare = rewriteUserDataStorageItem(
      udsItem('carol@x.edu#amplify-artifacts#artifact-content', 'shared-with-a+b@x.com#20250305/Game:v3', 'carol@x.edu#amplify-artifacts', 'artifact-content'),
      ids,
    );
    // Recipient in the SK stays raw (the artifacts service does not sanitise it).
    expect([artifactShare.item.PK, artifactShare.item.SK]).toEqual([s('sub-carol#amplify-artifacts#artifact-content'), s('shared-with-c+d@x.com#20250305/Game:v3')]);

    const share = rewriteUserDataStorageItem(
      udsItem('bob#amplify-shares#received', 'carol@x.edu#2025-03-05#u1', 'bob#amplify-shares', 'received', {
        sharedBy: s('carol@x.edu'),
        note: s('hi'),
        sharedAt: { N: '1741176000000' },
        key: s('bob/carol@x.edu/2025-03-05/u1.json'),
      }),
      ids,
    );
    expect(share).toEqual({
      item: udsItem('sub-bob#amplify-shares#received', 'sub-carol#2025-03-05#u1', 'sub-bob#amplify-shares', 'received', {
        sharedBy: s('sub-carol'),
        note: s('hi'),
        sharedAt: { N: '1741176000000' },
        key: s('shares/sub-bob/sub-carol/2025-03-05/u1.json'),
      }),
      keyChanged: true,
      problems: [],
    });
  });

  it('handles the double-encoded data left by the legacy CSV import', () => {
    const result = rewriteUserDataStorageItem(
      udsItem('bob#amplify-shares#received', 'x#2025-01-01#u', 'bob#amplify-shares', 'received', {
        sharedBy: { M: { S: s('bobby') } },
        key: { M: { S: s('shares/bob/bobby/2025-01-01/u.json') } },
      }),
      ids,
    );
    expect(result.item.data).toEqual({ M: { sharedBy: { M: { S: s('sub-bobby') } }, key: { M: { S: s('shares/sub-bob/sub-bobby/2025-01-01/u.json') } } } });
  });

  it('leaves other apps\' SKs and unrelated data alone', () => {
    const item = udsItem('nobody#mcp-servers#config', 'bob#x', 'nobody#mcp-servers', 'config', { key: s('bob/file'), sharedBy: s('nobody') });
    expect(rewriteUserDataStorageItem(item, ids)).toEqual({ item, keyChanged: false, problems: [] });
  });

  it('scenario B (same id): an item already under the sanitised id is unchanged', () => {
    const same = createIdMap([{ oldId: 'bob', newId: 'bob' }, { oldId: 'carol@x.edu', newId: 'carol@x.edu' }]);
    const item = udsItem('bob#amplify-shares#received', 'carol@x.edu#2025-03-05#u1', 'bob#amplify-shares', 'received', {
      sharedBy: s('carol@x.edu'),
      key: s('bob/carol@x.edu/2025-03-05/u1.json'),
    });
    expect(rewriteUserDataStorageItem(item, same)).toEqual({ item, keyChanged: false, problems: [] });
  });

  it('refuses an ambiguous sanitised user part', () => {
    const clash = createIdMap([{ oldId: 'a+b@x.com', newId: 'one' }, { oldId: 'a-b@x.com', newId: 'two' }]);
    const item = udsItem('a-b@x.com#amplify-workflows#workflow-templates', 't', 'a-b@x.com#amplify-workflows', 'workflow-templates');
    const result = rewriteUserDataStorageItem(item, clash);
    expect(result.item).toEqual(item);
    expect(result.keyChanged).toBe(false);
    expect(result.problems.map((p) => p.code)).toEqual(['ambiguous-id', 'ambiguous-id']);
  });

  it('does not chain: a new id that is another old id is mapped once', () => {
    const swap = createIdMap([{ oldId: 'x', newId: 'y' }, { oldId: 'y', newId: 'x' }]);
    const result = rewriteUserDataStorageItem(udsItem('x#amplify-shares#received', 'y#2025-01-01#u', 'x#amplify-shares', 'received', { sharedBy: s('y') }), swap);
    expect([result.item.PK, result.item.SK, result.item.data]).toEqual([s('y#amplify-shares#received'), s('x#2025-01-01#u'), { M: { sharedBy: s('x') } }]);
  });

  it('does not mutate its input', () => {
    const item = udsItem('bob#amplify-shares#received', 'bob#d#u', 'bob#amplify-shares', 'received', { sharedBy: s('bob') });
    const copy = JSON.parse(JSON.stringify(item));
    rewriteUserDataStorageItem(item, ids);
    expect(item).toEqual(copy);
  });
});

describe('Step 2: translateOldUserStorageItem', () => {
  it('translates ids like Step 1 and adds the itemId the new service writes', () => {
    const old: Item = {
      PK: s('bob#my-app#notes'),
      SK: s('note-1#2025'),
      rangeKey: s('2025'),
      UUID: s('a3c1'),
      data: { M: { text: s('hi'), n: { N: '1.5' } } },
      appId: s('bob#my-app'),
      entityType: s('notes'),
      createdAt: { N: '1700000000' },
    };
    expect(translateOldUserStorageItem(old, ids)).toEqual({
      ...old,
      PK: s('sub-bob#my-app#notes'),
      appId: s('sub-bob#my-app'),
      itemId: s('note-1'),
    });
  });

  it('copies items of users outside the map unchanged apart from itemId, and translates share SKs', () => {
    const old: Item = { PK: s('dave#app#e'), SK: s('k1'), appId: s('dave#app'), entityType: s('e') };
    expect(translateOldUserStorageItem(old, ids)).toEqual({ ...old, itemId: s('k1') });
    const share: Item = { PK: s('dave#amplify-shares#received'), SK: s('bob#2025-01-01#u'), appId: s('dave#amplify-shares'), entityType: s('received'), itemId: s('bob') };
    expect(translateOldUserStorageItem(share, ids)).toEqual({ ...share, SK: s('sub-bob#2025-01-01#u') });
  });
});
