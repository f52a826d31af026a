/**
 * Which tables get an on-demand backup before a run writes
 * (docs/decisions/0008-backups-before-writes.md).
 */
import { TABLE_KEYS, type Deployment, type TableKey } from '../deployment/catalogue';

export interface TableRef {
  key: TableKey;
  name: string;
}

export interface BackupPlanInput {
  deployment: Pick<Deployment, 'tables'>;
  /**
   * Config keys of the resources the plan will change. Bucket keys may be mixed in (a plan
   * lists both); they are ignored: buckets have no DynamoDB backups. The legacy checked
   * bucket names as tables, so its verification could never pass.
   */
  changed: Iterable<string>;
  /** Config keys of the tables that exist (from preflight). */
  existing: Iterable<string>;
}

/**
 * Every existing table the plan will change, in catalogue order, once each. AGENT_STATE's
 * table and bucket share one physical name; only the table key counts here, and two keys
 * whose (overridden) physical names coincide are backed up once.
 */
export function tablesToBackUp({ deployment, changed, existing }: BackupPlanInput): TableRef[] {
  const changedKeys = new Set(changed);
  const existingKeys = new Set(existing);
  const seenNames = new Set<string>();
  const out: TableRef[] = [];
  for (const key of TABLE_KEYS) {
    if (!changedKeys.has(key) || !existingKeys.has(key)) continue;
    const name = deployment.tables[key];
    if (seenNames.has(name)) continue;
    seenNames.add(name);
    out.push({ key, name });
  }
  return out;
}

export function isTableKey(key: string): key is TableKey {
  return (TABLE_KEYS as readonly string[]).includes(key);
}
