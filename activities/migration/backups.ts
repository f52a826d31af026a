/**
 * Backups inside the migration: on-demand DynamoDB backups of every table the run changes,
 * and the lossless export of the old basic-ops user-storage table before its stack goes.
 */
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Deployment, TableKey } from '../../src/deployment/catalogue';
import type { BackupRecord } from '../../workflows/types';
import type { AwsClients } from '../aws/clients';
import { createBackupOperations } from '../backup';

/**
 * Where the export of the old user-storage table goes. The worker reads these from its
 * environment once (worker/worker.ts: AMPLIFY_MIGRATE_EXPORT_DIR, AMPLIFY_MIGRATE_EXPORT_S3).
 */
export interface ExportSettings {
  /** Where exports go when the consolidation bucket does not exist yet (before amplify-lambda is deployed). */
  localDir: string;
  /** `s3://bucket/prefix`: where every export goes when set, for fleets of workers on several hosts. */
  s3Url?: string;
}

/** Nothing configured: a local folder under the working directory, and no bucket of its own. */
export function defaultExportSettings(): ExportSettings {
  return { localDir: path.resolve('.data', 'exports') };
}

export function createMigrationBackupActivities(clients: AwsClients, exports: ExportSettings) {
  const backup = createBackupOperations(clients);
  return {
    async startBackups(input: { deployment: Deployment; runId: string; tables: TableKey[] }): Promise<BackupRecord[]> {
      const started = await backup.startTableBackups({
        tables: input.tables.map((key) => ({ key, name: input.deployment.tables[key] })),
        depName: input.deployment.depName,
        stage: input.deployment.stage,
        runId: input.runId,
      });
      return started.map((b) => ({ table: b.key, backupName: b.backupName, backupArn: b.backupArn, status: b.status }));
    },

    async awaitBackups(input: { backups: BackupRecord[] }): Promise<BackupRecord[]> {
      const available = await backup.waitForBackups({ arns: input.backups.map((b) => b.backupArn) });
      const status = new Map(available.map((a) => [a.backupArn, a.status]));
      return input.backups.map((b) => ({ ...b, status: status.get(b.backupArn) ?? b.status }));
    },

    /**
     * Into the configured bucket (exports.s3Url, from AMPLIFY_MIGRATE_EXPORT_S3: `s3://bucket/prefix`,
     * for fleets of workers on several hosts) when set; else into the consolidation bucket when it
     * exists; else into a local file of this worker (exports.localDir, from AMPLIFY_MIGRATE_EXPORT_DIR):
     * the old stack may be removed before the bucket exists, so the export cannot wait for it.
     */
    async exportOldUserStorage(input: { deployment: Deployment; runId: string }): Promise<{ location: string; items: number; sha256: string } | undefined> {
      const { deployment } = input;
      const name = `user-storage-${deployment.depName}-${deployment.stage}-${input.runId}.jsonl`;
      const configured = /^s3:\/\/([^/]+)\/?(.*)$/.exec(exports.s3Url ?? '');
      const bucket = configured ? configured[1] : deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME;
      const prefix = configured ? configured[2].replace(/\/?$/, '/').replace(/^\/$/, '') : 'amplify-migrate/exports/';
      const toBucket = await clients.s3.send(new HeadBucketCommand({ Bucket: bucket })).then(
        () => true,
        () => false,
      );
      if (configured && !toBucket) throw new Error(`AMPLIFY_MIGRATE_EXPORT_S3 names bucket ${bucket}, which does not exist or is not reachable`);
      const key = `${prefix}${name}`;
      const file = path.join(exports.localDir, name);
      // A fresh worker host has no export folder yet: without it the export fails on every retry.
      if (!toBucket) await mkdir(exports.localDir, { recursive: true });
      const result = await backup.exportTableToJsonLines({
        tableName: deployment.tables.OLD_USER_STORAGE_TABLE,
        destination: toBucket ? { bucket, key } : { file },
      });
      const location = toBucket ? `s3://${bucket}/${key}` : file;
      return { location, items: result.items, sha256: result.sha256 };
    },
  };
}
