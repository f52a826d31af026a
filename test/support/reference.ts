/** A plain (unpaused, uninterrupted) migration of a fresh deployment: the end state others must match. */
import type { AwsClients } from '../../activities/aws/clients';
import type { SampleOptions } from '../../src/seed';
import type { MigrationOptions, MigrationReport } from '../../workflows/types';
import { migrationInput, seedDeployment, testOptions, type SeededDeployment } from './migration';
import { comparableEndState, type DeploymentSnapshot } from './snapshot';
import type { TestTemporal } from './temporal';
import { startMigration } from './workflowControl';

export interface ReferenceRun {
  seeded: SeededDeployment;
  report: MigrationReport;
  endState: DeploymentSnapshot;
}

/** Seeds and migrates a deployment; a worker must already poll temporal.taskQueue. */
export async function referenceRun(
  clients: AwsClients,
  temporal: TestTemporal,
  sample: Partial<SampleOptions> & Pick<SampleOptions, 'scenario'>,
  options: Partial<MigrationOptions> = {},
): Promise<ReferenceRun> {
  const seeded = await seedDeployment(clients, sample);
  const input = await migrationInput(clients, seeded.deployment, seeded.sample.users, testOptions(options));
  const handle = await startMigration(temporal, input, `migration-${seeded.deployment.depName}-dev`);
  const report = await handle.result();
  return { seeded, report, endState: await comparableEndState(clients, seeded.deployment) };
}

/**
 * What a run changed, per table and bucket. Read and unchanged counts are left out: a scan
 * segment may meet an item the run just moved to a key further on and count it again.
 */
export function writesOf(report: MigrationReport): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [table, c] of Object.entries(report.totals.tables)) {
    out[table] = { itemsWritten: c.itemsWritten, itemsMoved: c.itemsMoved, conflicts: c.conflicts, failures: c.failures };
  }
  for (const [bucket, c] of Object.entries(report.totals.buckets)) {
    out[`bucket ${bucket}`] = { objectsCopied: c.objectsCopied, bytesCopied: c.bytesCopied, conflicts: c.conflicts, failures: c.failures };
  }
  return out;
}
