/**
 * What a migration is really doing, in words for `status`. The workflow's `pass` is "plan"
 * from the start until approval, but before the dry-run pass it writes for real: Parameter
 * Store (after its gate), the export of the old user-storage table, the on-demand backups.
 * Calling all of that "planning (dry run, nothing written)" hid those writes.
 */
import type { MigrationStatus } from '../workflows/types';

export function activityLabel(s: Pick<MigrationStatus, 'dryRun' | 'pass' | 'phase'>): string {
  if (s.phase === 'done') return s.dryRun ? 'dry run finished (nothing written)' : 'finished';
  if (s.phase === 'rejected') return 'stopped at a rejected gate';
  if (s.dryRun) return 'dry run (reading only, nothing written)';
  if (s.pass === 'run') return 'migrating';
  switch (s.phase) {
    case 'preflight':
    case 'ssm-plan':
      return 'preparing (reading only)';
    case 'ssm-gate':
      return 'preparing: the Parameter Store plan awaits approval';
    case 'ssm-write':
      return 'writing Parameter Store';
    case 'export':
      return 'exporting the old user-storage table (writing the export)';
    case 'deployment-gate':
      return 'waiting for the deployment (nothing written)';
    case 'backup':
      return 'taking on-demand backups';
    case 'approval-gate':
      return 'plan ready: nothing migrated yet';
    default:
      return 'planning (the dry-run pass of this run: nothing written)';
  }
}

/**
 * A workflow that is no longer running answers queries with its last state, gate included:
 * a cancelled run still said "AWAITING APPROVAL". Returns the header line for a closed run
 * and the status without the open gate or wait, or undefined while it runs.
 */
export function closedRun(status: MigrationStatus, executionStatus: string): { header: string; status: MigrationStatus } | undefined {
  if (executionStatus === 'RUNNING') return undefined;
  const header =
    executionStatus === 'COMPLETED'
      ? `${status.workflowId}: COMPLETED`
      : `${status.workflowId}: ${executionStatus} in phase ${status.phase}${status.awaitingGate ? ` while awaiting gate "${status.awaitingGate}"` : ''}; nothing more runs`;
  return { header, status: { ...status, awaitingGate: undefined, waitingFor: undefined } };
}
