/** Run-level activities: prerequisites at the deployment gate, Parameter Store, the report. */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Deployment } from '../../src/deployment/catalogue';
import { REQUIRED_BUCKETS, REQUIRED_TABLES } from '../../src/preflight/report';
import { addProblems, addTable, emptyTotals, type Totals } from '../../src/report/counters';
import type { MigrationReport, SkippedSsmService, SsmParameterInput } from '../../workflows/types';
import type { AwsClients } from '../aws/clients';
import { createPreflightActivities } from '../preflight/activities';
import { createParameterStore } from '../ssm';
import { temporalLedgerResolver, type LedgerResolver } from '../ledger/resolver';
import { WriteAhead } from '../ledger/writeAhead';
import { bucketExists } from './objects';

export const REPORT_PREFIX = 'amplify-migrate/reports/';

export function reportKey(runId: string): string {
  return `${REPORT_PREFIX}${runId}.json`;
}

export function createRunActivities(clients: AwsClients, resolveLedger: LedgerResolver = temporalLedgerResolver(clients)) {
  const preflight = createPreflightActivities(clients);
  const ssm = createParameterStore(clients);
  return {
    async missingPrerequisites(input: { deployment: Deployment }): Promise<string[]> {
      const { deployment } = input;
      const [tables, buckets] = await Promise.all([
        preflight.describeTables(REQUIRED_TABLES.map((key) => ({ key, name: deployment.tables[key] }))),
        preflight.headBuckets(REQUIRED_BUCKETS.map((key) => ({ key, name: deployment.buckets[key] }))),
      ]);
      return [...buckets, ...tables].filter((r) => !r.exists).map((r) => r.key);
    },

    /**
     * Counted as one pseudo-table, PARAMETER_STORE, so the report shows it beside the tables.
     * Skipped services (template services) are warnings: named with the reason, nothing to act on.
     *
     * The run's ledger (issue 12) records each parameter written with its previous value. The
     * input names no deployment (it predates the ledger); `ledgerBucket`, when a workflow passes
     * it, names the consolidation bucket, and otherwise the migration's memo does.
     */
    async writeSsmParameters(input: { parameters: SsmParameterInput[]; skippedServices?: SkippedSsmService[]; dryRun: boolean; ledgerBucket?: string }): Promise<Totals> {
      // Parameter Store comes before the deployment gate, so the consolidation bucket (which the
      // deployment step creates) may not exist yet: the writes then go unrecorded, and say so,
      // rather than failing on a ledger that has nowhere to be.
      const ledgerMissing = !input.dryRun && input.ledgerBucket !== undefined && !(await bucketExists(clients, input.ledgerBucket));
      const ledger = new WriteAhead(ledgerMissing ? undefined : await resolveLedger({ bucket: input.ledgerBucket, dryRun: input.dryRun }));
      const result = await ssm.writeParameters({ parameters: input.parameters, dryRun: input.dryRun }, ledger);
      const totals = addTable(emptyTotals(), 'PARAMETER_STORE', {
        itemsRead: input.parameters.length,
        itemsWritten: result.total.created + result.total.updated,
        itemsMoved: 0,
        itemsUnchanged: result.total.unchanged,
        conflicts: 0,
        retries: 0,
        failures: result.total.failed,
      });
      return addProblems(totals, [
        ...(input.skippedServices ?? []).map((s) => ({ kind: 'warning' as const, where: 'PARAMETER_STORE', source: s.file, target: s.service, reason: s.reason })),
        ...result.failures.map((f) => ({ kind: 'failure' as const, where: 'PARAMETER_STORE', target: f.name, reason: f.reason })),
        ...(ledgerMissing
          ? [{ kind: 'warning' as const, where: 'PARAMETER_STORE', reason: `not recorded in the run's ledger: its bucket ${input.ledgerBucket} does not exist yet, so a revert cannot restore these parameters` }]
          : []),
      ]);
    },

    /** The report, as JSON in the consolidation bucket under the run id. */
    async writeReport(input: { bucket: string; report: MigrationReport }): Promise<{ bucket: string; key: string }> {
      const key = reportKey(input.report.runId);
      await clients.s3.send(
        new PutObjectCommand({ Bucket: input.bucket, Key: key, Body: JSON.stringify(input.report, null, 2), ContentType: 'application/json' }),
      );
      return { bucket: input.bucket, key };
    },
  };
}
