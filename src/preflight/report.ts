/**
 * Preflight: what exists in a deployment before a migration, and what an operator must do
 * when the hard prerequisites are missing. Pure: activities gather the facts, this decides.
 */
import { TABLE_KEYS, BUCKET_KEYS, type BucketKey, type Deployment, type TableKey } from '../deployment/catalogue';

export interface TableFact {
  key: TableKey;
  name: string;
  exists: boolean;
  status?: string;
  itemCountEstimate?: number;
  pointInTimeRecovery?: 'ENABLED' | 'DISABLED' | 'UNKNOWN';
}

export interface BucketFact {
  key: BucketKey;
  name: string;
  exists: boolean;
  versioning?: 'Enabled' | 'Suspended' | 'Disabled' | 'UNKNOWN';
}

export interface StackFact {
  name: string;
  exists: boolean;
  status?: string;
}

export interface CallerFact {
  account: string;
  arn: string;
  /** The region and endpoint the checking process (a worker) uses; absent in runs recorded before they were reported. */
  region?: string;
  /** AWS_ENDPOINT_URL of that process; absent for the SDK's default AWS endpoints. */
  endpoint?: string;
}

export interface PreflightFacts {
  caller: CallerFact;
  tables: TableFact[];
  buckets: BucketFact[];
  /** Items in the old basic-ops user-storage table (undefined when the table is missing). */
  oldUserStorageItems?: number;
  basicOpsStack: StackFact;
}

export interface Prerequisite {
  resource: string;
  kind: 'table' | 'bucket';
  name: string;
  /** The deployment step that creates it. */
  remedy: string;
}

export interface PreflightReport extends PreflightFacts {
  depName: string;
  stage: string;
  missingPrerequisites: Prerequisite[];
  /** Advice lines in the order an operator should act on them. */
  advice: string[];
  ready: boolean;
}

/** The only hard-required resources: the migration writes into them. */
export const REQUIRED_TABLES: readonly TableKey[] = ['USER_DATA_STORAGE_TABLE'];
export const REQUIRED_BUCKETS: readonly BucketKey[] = ['S3_CONSOLIDATION_BUCKET_NAME'];

export function deployCommand(deployment: Pick<Deployment, 'stage'>): string {
  return `serverless amplify-lambda:deploy --stage ${deployment.stage}`;
}

export function buildPreflightReport(deployment: Deployment, facts: PreflightFacts): PreflightReport {
  const missing: Prerequisite[] = [];
  for (const key of REQUIRED_BUCKETS) {
    if (!facts.buckets.find((b) => b.key === key)?.exists) {
      missing.push({ resource: key, kind: 'bucket', name: deployment.buckets[key], remedy: deployCommand(deployment) });
    }
  }
  for (const key of REQUIRED_TABLES) {
    if (!facts.tables.find((t) => t.key === key)?.exists) {
      missing.push({ resource: key, kind: 'table', name: deployment.tables[key], remedy: deployCommand(deployment) });
    }
  }
  const advice: string[] = [];
  if (missing.length > 0) {
    if (facts.oldUserStorageItems && facts.oldUserStorageItems > 0) {
      advice.push(
        `export the old user-storage table first: amplify-migrate backup user-storage --dep-name ${deployment.depName} --stage ${deployment.stage} (${facts.oldUserStorageItems} items)`,
      );
    }
    if (facts.basicOpsStack.exists) {
      advice.push(
        `remove the basic-ops stack ${facts.basicOpsStack.name}: it holds the /user-data API path that amplify-lambda now claims`,
      );
    }
    advice.push(`deploy amplify-lambda to create ${missing.map((m) => m.name).join(' and ')}: ${deployCommand(deployment)}`);
  }
  const missingTables = facts.tables.filter((t) => !t.exists).length;
  if (missingTables > 0) advice.push(`${missingTables} other tables are missing: the steps that use them are skipped`);
  return {
    depName: deployment.depName,
    stage: deployment.stage,
    ...facts,
    missingPrerequisites: missing,
    advice,
    ready: missing.length === 0,
  };
}

export function catalogueResources(deployment: Deployment): {
  tables: { key: TableKey; name: string }[];
  buckets: { key: BucketKey; name: string }[];
} {
  return {
    tables: TABLE_KEYS.map((key) => ({ key, name: deployment.tables[key] })),
    buckets: BUCKET_KEYS.map((key) => ({ key, name: deployment.buckets[key] })),
  };
}
