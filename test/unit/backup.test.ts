import { buildDeployment, TABLE_KEYS, type TableKey } from '../../src/deployment/catalogue';
import {
  BACKUP_NAME_PATTERN,
  backupName,
  BackupNameError,
  evaluateBackupVerification,
  ExportLineError,
  fromExportLine,
  sanitizeRunId,
  tablesToBackUp,
  tableSuffix,
  toExportLine,
  type ListedBackup,
} from '../../src/backup';
import type { Item } from '../../src/dynamo/attributeValue';

describe('backup names', () => {
  const base = { depName: 'v6', stage: 'dev', runId: 'run-20261125T160000Z' };

  it('follows amplify-migrate-{dep}-{stage}-{run}-{table suffix}', () => {
    expect(backupName({ ...base, tableKey: 'ACCOUNTS_DYNAMO_TABLE' })).toBe('amplify-migrate-v6-dev-run-20261125T160000Z-accounts');
    expect(backupName({ ...base, tableKey: 'OLD_USER_STORAGE_TABLE' })).toBe('amplify-migrate-v6-dev-run-20261125T160000Z-old-user-storage');
    expect(backupName({ ...base, tableKey: 'USER_DATA_STORAGE_TABLE' })).toBe('amplify-migrate-v6-dev-run-20261125T160000Z-user-data-storage');
    // The legacy named the shares table's backup "…-dev"; ours says what it is.
    expect(backupName({ ...base, tableKey: 'SHARES_DYNAMODB_TABLE' })).toBe('amplify-migrate-v6-dev-run-20261125T160000Z-shares');
  });

  it('uses only the CreateBackup charset and stays within 255 characters for every table, even with long names', () => {
    const longest = { depName: 'd'.repeat(31), stage: 's'.repeat(31), runId: 'r'.repeat(300) };
    for (const tableKey of TABLE_KEYS) {
      for (const input of [base, longest]) {
        const name = backupName({ ...input, tableKey });
        expect(name).toMatch(BACKUP_NAME_PATTERN);
        expect(name.length).toBeLessThanOrEqual(255);
      }
    }
  });

  it('gives each of the 45 catalogue tables its own suffix', () => {
    expect(TABLE_KEYS).toHaveLength(45);
    const suffixes = TABLE_KEYS.map(tableSuffix);
    expect(new Set(suffixes).size).toBe(45);
    const names = TABLE_KEYS.map((tableKey) => backupName({ ...base, tableKey }));
    expect(new Set(names).size).toBe(45);
  });

  it('is deterministic', () => {
    for (const tableKey of TABLE_KEYS) {
      expect(backupName({ ...base, tableKey })).toBe(backupName({ ...base, tableKey }));
    }
  });

  it('sanitises run ids (Temporal ids may hold ":" or "/") and refuses empty ones', () => {
    expect(sanitizeRunId('migration-v6-dev/2026-11-25T16:00:00.000Z')).toBe('migration-v6-dev-2026-11-25T16-00-00.000Z');
    expect(sanitizeRunId('  ünïcode run ')).toBe('n-code-run');
    expect(sanitizeRunId('x'.repeat(100))).toBe('x'.repeat(64));
    expect(() => sanitizeRunId('///')).toThrow(BackupNameError);
    expect(backupName({ ...base, runId: 'a:b', tableKey: 'OPS_DYNAMODB_TABLE' })).toBe('amplify-migrate-v6-dev-a-b-ops');
  });
});

describe('tablesToBackUp', () => {
  const deployment = buildDeployment({ depName: 'v6', stage: 'dev' });

  it('lists existing changed tables once each, in catalogue order, never buckets', () => {
    const result = tablesToBackUp({
      deployment,
      changed: ['SHARES_DYNAMODB_TABLE', 'AGENT_STATE_BUCKET', 'AGENT_STATE_DYNAMODB_TABLE', 'ACCOUNTS_DYNAMO_TABLE', 'MEMORY_DYNAMO_TABLE', 'S3_SHARE_BUCKET_NAME', 'ACCOUNTS_DYNAMO_TABLE'],
      existing: ['ACCOUNTS_DYNAMO_TABLE', 'AGENT_STATE_DYNAMODB_TABLE', 'AGENT_STATE_BUCKET', 'SHARES_DYNAMODB_TABLE', 'OPS_DYNAMODB_TABLE'],
    });
    expect(result).toEqual([
      { key: 'ACCOUNTS_DYNAMO_TABLE', name: 'amplify-v6-lambda-dev-accounts' },
      { key: 'SHARES_DYNAMODB_TABLE', name: 'amplify-v6-lambda-dev' },
      { key: 'AGENT_STATE_DYNAMODB_TABLE', name: 'amplify-v6-agent-loop-dev-agent-state' },
    ]);
  });

  it('backs up a physical table once when two keys are overridden to the same name', () => {
    const shared = buildDeployment({ depName: 'v6', stage: 'dev' }, { OPS_DYNAMODB_TABLE: 'same', ACCOUNTS_DYNAMO_TABLE: 'same' });
    const keys: TableKey[] = ['OPS_DYNAMODB_TABLE', 'ACCOUNTS_DYNAMO_TABLE'];
    expect(tablesToBackUp({ deployment: shared, changed: keys, existing: keys })).toEqual([{ key: 'ACCOUNTS_DYNAMO_TABLE', name: 'same' }]);
  });
});

describe('evaluateBackupVerification', () => {
  const now = new Date('2026-11-25T12:00:00.000Z');
  const tables = [
    { key: 'ACCOUNTS_DYNAMO_TABLE' as const, name: 'amplify-v6-lambda-dev-accounts' },
    { key: 'OPS_DYNAMODB_TABLE' as const, name: 'amplify-v6-lambda-ops-dev-ops' },
    { key: 'MEMORY_DYNAMO_TABLE' as const, name: 'amplify-v6-memory-dev-memory' },
    { key: 'USER_TAGS_DYNAMO_TABLE' as const, name: 'amplify-v6-lambda-dev-user-tags' },
  ];
  const backup = (tableName: string, backupName: string, createdAt: string, status = 'AVAILABLE'): ListedBackup => ({
    tableName,
    backupName,
    backupArn: `arn:aws:dynamodb:us-east-1:123456789012:table/${tableName}/backup/${backupName}`,
    createdAt,
    status,
  });

  it('reports ok, too old and missing per table with the newest backup and its age', () => {
    const backups = [
      // accounts: an old one and a recent one; the recent one counts.
      backup(tables[0].name, 'amplify-migrate-v6-dev-r1-accounts', '2026-11-20T12:00:00.000Z'),
      backup(tables[0].name, 'amplify-migrate-v6-dev-r2-accounts', '2026-11-25T10:30:00.000Z'),
      // ops: ours, but 30 h old.
      backup(tables[1].name, 'amplify-migrate-v6-dev-r1-ops', '2026-11-24T06:00:00.000Z'),
      // memory: recent but another deployment's prefix, a foreign name, and one still creating.
      backup(tables[2].name, 'amplify-migrate-v6-prod-r2-memory', '2026-11-25T11:00:00.000Z'),
      backup(tables[2].name, 'id-migration-backup-20261125-memory', '2026-11-25T11:00:00.000Z'),
      backup(tables[2].name, 'amplify-migrate-v6-dev-r3-memory', '2026-11-25T11:59:00.000Z', 'CREATING'),
      // a backup of ours for another table does not count for user-tags.
    ];
    const result = evaluateBackupVerification({ backups, tables, depName: 'v6', stage: 'dev', maxAgeHours: 24, now });
    expect(result.ok).toBe(false);
    expect(result.tables.map((t) => [t.key, t.status])).toEqual([
      ['ACCOUNTS_DYNAMO_TABLE', 'ok'],
      ['OPS_DYNAMODB_TABLE', 'too-old'],
      ['MEMORY_DYNAMO_TABLE', 'missing'],
      ['USER_TAGS_DYNAMO_TABLE', 'missing'],
    ]);
    expect(result.tables[0].newest).toEqual({
      backupName: 'amplify-migrate-v6-dev-r2-accounts',
      backupArn: backups[1].backupArn,
      createdAt: '2026-11-25T10:30:00.000Z',
      ageHours: 1.5,
    });
    expect(result.tables[1].newest?.ageHours).toBe(30);
    expect(result.tables[1].detail).toBe('newest backup amplify-migrate-v6-dev-r1-ops is 30.0 h old (limit 24 h)');
    expect(result.tables[2].detail).toBe('1 backup(s) named amplify-migrate-v6-dev-… still CREATING, none AVAILABLE');
    expect(result.tables[3].detail).toBe('no AVAILABLE backup named amplify-migrate-v6-dev-…');
  });

  it('passes when every table has a backup within the limit, the limit itself included', () => {
    const backups = tables.map((t, i) => backup(t.name, `amplify-migrate-v6-dev-r-${i}`, '2026-11-24T12:00:00.000Z'));
    const result = evaluateBackupVerification({ backups, tables, depName: 'v6', stage: 'dev', maxAgeHours: 24, now });
    expect(result.ok).toBe(true);
    expect(result.tables.every((t) => t.status === 'ok' && t.newest?.ageHours === 24)).toBe(true);
    const stricter = evaluateBackupVerification({ backups, tables, depName: 'v6', stage: 'dev', maxAgeHours: 23.5, now });
    expect(stricter.tables.map((t) => t.status)).toEqual(['too-old', 'too-old', 'too-old', 'too-old']);
  });

  it('refuses a non-positive age limit', () => {
    expect(() => evaluateBackupVerification({ backups: [], tables, depName: 'v6', stage: 'dev', maxAgeHours: 0, now })).toThrow(RangeError);
  });
});

describe('export lines', () => {
  const item: Item = {
    PK: { S: 'alice@example.com#amplify-workflows#workflow' },
    SK: { S: 'ü/ñ#+ key' },
    n: { N: '12345678901234567890.000000000000000001' },
    b: { B: new Uint8Array([0, 1, 2, 254, 255]) },
    empty: { B: new Uint8Array([]) },
    ss: { SS: ['b', 'a'] },
    ns: { NS: ['1', '-2.50', '1E+3'] },
    bs: { BS: [new Uint8Array([1]), new Uint8Array([2, 3])] },
    m: { M: { inner: { L: [{ S: 'x' }, { N: '0' }, { NULL: true }, { BOOL: false }, { M: {} }] }, flag: { BOOL: true } } },
    l: { L: [] },
    nothing: { NULL: true },
    yes: { BOOL: true },
  };

  it('writes one JSON object per line in DynamoDB wire format', () => {
    const line = toExportLine({ PK: { S: 'a' }, n: { N: '1' }, b: { B: new Uint8Array([0, 1]) }, bs: { BS: [new Uint8Array([255])] } });
    expect(line).toBe('{"PK":{"S":"a"},"n":{"N":"1"},"b":{"B":"AAE="},"bs":{"BS":["/w=="]}}');
    expect(line).not.toContain('\n');
    expect(toExportLine({ s: { S: 'line\nbreak' } })).toBe('{"s":{"S":"line\\nbreak"}}');
  });

  it('round-trips every attribute type exactly, attribute order included', () => {
    const back = fromExportLine(toExportLine(item));
    expect(back).toEqual(item);
    expect(Object.keys(back)).toEqual(Object.keys(item));
    expect(toExportLine(back)).toBe(toExportLine(item));
    expect((back.n as { N: string }).N).toBe('12345678901234567890.000000000000000001');
    expect((back.b as { B: Uint8Array }).B).toBeInstanceOf(Uint8Array);
  });

  it('keeps an attribute named __proto__', () => {
    const odd: Item = JSON.parse('{"__proto__":{"S":"x"}}') as Item;
    const back = fromExportLine(toExportLine(odd));
    expect(Object.keys(back)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(back, '__proto__')?.value).toEqual({ S: 'x' });
  });

  it('rejects lines that are not typed items, naming the attribute', () => {
    expect(() => fromExportLine('not json')).toThrow(ExportLineError);
    expect(() => fromExportLine('[1]')).toThrow('expected one JSON object');
    expect(() => fromExportLine('{"a":"plain"}')).toThrow('a: expected a typed attribute value object');
    expect(() => fromExportLine('{"a":{"S":"x","N":"1"}}')).toThrow('a: expected exactly one type tag');
    expect(() => fromExportLine('{"a":{"N":1}}')).toThrow('a.N: expected the number as text');
    expect(() => fromExportLine('{"a":{"M":{"b":{"B":"%%"}}}}')).toThrow('a.b.B: expected base64 text');
    expect(() => fromExportLine('{"a":{"NULL":false}}')).toThrow('a.NULL: expected true');
    expect(() => fromExportLine('{"a":{"X":1}}')).toThrow('a: unknown type tag "X"');
  });
});

describe('export lines: AWS native export form', () => {
  it('reads {"Item": {...}} lines exactly like bare items, and keeps a bare attribute named Item', () => {
    const bare = '{"PK":{"S":"u#app"},"n":{"N":"12345678901234567890.50"},"b":{"B":"AAH+/w=="}}';
    expect(fromExportLine(`{"Item":${bare}}`)).toEqual(fromExportLine(bare));
    expect(fromExportLine('{"Item":{"S":"an attribute called Item"}}')).toEqual({ Item: { S: 'an attribute called Item' } });
  });
});
