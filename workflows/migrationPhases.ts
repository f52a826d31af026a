/**
 * One function per phase of the migration, and the one transition table. Each phase does
 * its work on the state (./migrationState.ts) and returns the phase to enter next; the table
 * lists where each phase may go, and the workflow (./migration.ts) refuses anything else.
 *
 * Replay: the commands (activities, children, timers, markers, upserts) and their order are
 * exactly those of the single-function workflow these functions were cut from; the committed
 * histories (test/replay) hold every change to that.
 */
import { condition, log, patched, setCurrentDetails, startChild } from '@temporalio/workflow';
import { bulkSources, legacyBucketSources, tablesTouched } from '../src/plan/steps';
import { addProblems, emptyTotals, MAX_LISTED_PROBLEMS, mergeTotals, totalWrites, type Totals } from '../src/report/counters';
import { paging, quick, slow } from './activityProxies';
import { failureReason } from './failureReason';
import { decideRunScan, runScans, runUsers } from './migrationFanOut';
import type { MigrationStateManager } from './migrationState';
import { preflightWorkflow } from './preflight';
import type { Phase } from './types';

/** Patch id: verification also scans USER_DATA_STORAGE, where ids are stored sanitised. */
const VERIFY_USER_DATA_STORAGE = 'verify-user-data-storage';

/** The phases a run works in; 'done' and 'rejected' end it. */
export type ActivePhase = Exclude<Phase, 'done' | 'rejected'>;

interface PhaseEntry {
  run(m: MigrationStateManager): Promise<Phase>;
  /** Where the phase may go next. */
  next: readonly Phase[];
}

/** The same activity once per scan segment, totals added up. */
function perSegment(totalSegments: number, fn: (segment: number) => Promise<Totals>): Promise<Totals> {
  const segments = Array.from({ length: totalSegments }, (_, segment) => fn(segment));
  return Promise.all(segments).then((all) => all.reduce(mergeTotals, emptyTotals()));
}

async function preflight(m: MigrationStateManager): Promise<Phase> {
  // The first phase is entered here, not before the loop: it opens its timing and tags the
  // workflow with it, where the runs recorded so far have that upsert.
  m.enter('preflight');
  const handle = await startChild(preflightWorkflow, {
    workflowId: `${m.workflowId}/preflight`,
    args: [{ deployment: m.input.deployment }],
    typedSearchAttributes: m.childSearchAttributes(),
  });
  m.state.preflight = await handle.result();
  return m.input.ssm ? 'ssm-plan' : 'export';
}

function ssmInput(m: MigrationStateManager) {
  const ssm = m.input.ssm!;
  // The ledger's bucket (an input field only: replay compares commands, not their arguments).
  return { parameters: ssm.parameters, skippedServices: ssm.skippedServices, ledgerBucket: m.input.deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME };
}

async function ssmPlan(m: MigrationStateManager): Promise<Phase> {
  m.state.ssmPlan = await paging.writeSsmParameters({ ...ssmInput(m), dryRun: true });
  return m.options.dryRun ? 'export' : 'ssm-gate';
}

async function ssmGate(m: MigrationStateManager): Promise<Phase> {
  const approved = await m.gate('ssm', `${m.input.ssm!.parameters.length} parameters; ${totalWrites(m.state.ssmPlan!)} to create or update`);
  return approved ? 'ssm-write' : 'rejected';
}

async function ssmWrite(m: MigrationStateManager): Promise<Phase> {
  m.state.ssmResult = await paging.writeSsmParameters({ ...ssmInput(m), dryRun: false });
  return 'export';
}

/** The lossless export of the old user-storage table, before its stack may be removed. */
async function exportOldUserStorage(m: MigrationStateManager): Promise<Phase> {
  if (!m.options.dryRun && (m.state.preflight?.oldUserStorageItems ?? 0) > 0) {
    m.state.export = await paging.exportOldUserStorage({ deployment: m.wire, runId: m.input.runId });
  }
  return 'deployment-gate';
}

/** Waits until the consolidation bucket and the user-data-storage table exist, then stores the id map there. */
async function deploymentGate(m: MigrationStateManager): Promise<Phase> {
  const { state, input } = m;
  let missing = state.preflight?.missingPrerequisites.map((p) => p.resource) ?? [];
  while (missing.length > 0) {
    m.waitingFor = `deploy ${missing.join(' and ')}: ${state.preflight?.advice.join('; ')}`;
    setCurrentDetails(`waiting for the deployment: ${m.waitingFor}\nthen: amplify-migrate deployed`);
    m.deployedNudge = false;
    await condition(() => m.deployedNudge, `${m.options.deploymentPollSeconds} seconds`);
    missing = await quick.missingPrerequisites({ deployment: m.wire });
  }
  m.waitingFor = undefined;
  if (!state.idMapRef) {
    state.idMapRef = input.idMapRef ?? (await quick.storeIdMap({ bucket: input.deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME, pairs: input.idMapPairs ?? [] }));
  }
  return 'backup';
}

async function backup(m: MigrationStateManager): Promise<Phase> {
  const { state, options } = m;
  if (options.dryRun || options.skipBackups) {
    state.backupsSkipped = true;
    if (options.skipBackups && !options.dryRun) log.warn('BACKUPS SKIPPED (--dont-backup): nothing protects the tables this run changes');
  } else {
    const existing = new Set(state.preflight?.tables.filter((t) => t.exists).map((t) => t.key));
    const tables = tablesTouched(m.idMapRef().changesAnyId).filter((t) => existing.has(t) || t === 'USER_DATA_STORAGE_TABLE');
    const started = await paging.startBackups({ deployment: m.wire, runId: m.input.runId, tables });
    state.backups = await slow.awaitBackups({ backups: started });
  }
  state.pass = 'plan';
  return 'run-wide';
}

/**
 * Whole-bucket and run-wide copies, before USER_DATA_STORAGE step 1 (which re-points share
 * keys at them) and before any per-user pointer moves: pointers move after their data.
 */
async function runWideCopies(m: MigrationStateManager): Promise<Phase> {
  const results = await Promise.all(
    bulkSources().map((source) =>
      paging
        .copyBulkObjects({ deployment: m.wire, sourceName: source.name, idMapRef: m.idMapRef(), ...m.writeOptions() })
        .catch((err: unknown) => addProblems(emptyTotals(), [{ kind: 'failure', where: source.name, reason: failureReason(err) }])),
    ),
  );
  for (const r of results) m.state.totals = mergeTotals(m.state.totals, r);
  m.state.bulkCopiesVerified = results.every((r) => r.failureCount === 0);
  return 'user-data-storage';
}

/** USER_DATA_STORAGE step 1 (ids in its items, when an id changes) and step 2 (the old user storage imported). */
async function userDataStorage(m: MigrationStateManager): Promise<Phase> {
  const { state } = m;
  const ref = m.idMapRef();
  const common = { deployment: m.wire, idMapRef: ref };
  if (ref.changesAnyId) {
    const totalSegments = m.scanSegments('USER_DATA_STORAGE_TABLE');
    state.totals = mergeTotals(
      state.totals,
      await perSegment(totalSegments, (segment) => paging.migrateUserDataStorageSegment({ ...common, segment, totalSegments, ...m.writeOptions() })),
    );
  }
  const totalSegments = m.scanSegments('OLD_USER_STORAGE_TABLE');
  state.totals = mergeTotals(
    state.totals,
    await perSegment(totalSegments, (segment) =>
      paging.importOldUserStorageSegment({ ...common, segment, totalSegments, exportLocation: state.export?.location, ...m.writeOptions() }),
    ),
  );
  // Each pass counts its own users: the real run's report must not carry the plan's.
  state.users = { total: ref.count, done: 0, failed: 0, nextIndex: 0, inFlight: [] };
  state.failedUsers = [];
  return 'users';
}

async function users(m: MigrationStateManager): Promise<Phase> {
  await runUsers(m);
  return 'table-scans';
}

/** The scans end a pass: the plan pass's totals become the plan, the real pass goes on to verification. */
async function tableScans(m: MigrationStateManager): Promise<Phase> {
  const { state, options } = m;
  await runScans(m);
  if (state.pass === 'run') return 'verify';
  state.plan = state.totals;
  state.totals = emptyTotals();
  if (!options.dryRun) {
    // The plan's user counts live in state.plan; a rejected run migrated no user.
    state.users = { total: m.idMapRef().count, done: 0, failed: 0, nextIndex: 0, inFlight: [] };
    state.failedUsers = [];
  }
  return options.dryRun ? 'report' : 'approval-gate';
}

async function approvalGate(m: MigrationStateManager): Promise<Phase> {
  const plan = m.state.plan!;
  const approved = await m.gate('migrate', `the plan writes ${totalWrites(plan)} items/objects, ${plan.conflictCount} conflicts, ${plan.failureCount} failures`);
  if (!approved) return 'rejected';
  m.state.pass = 'run';
  decideRunScan(m);
  return 'run-wide';
}

async function verify(m: MigrationStateManager): Promise<Phase> {
  const ref = m.idMapRef();
  const tableChecks = await Promise.all(
    tablesTouched(ref.changesAnyId)
      // USER_DATA_STORAGE is judged by step 1's rewrite, so only when step 1 ran (an id
      // changes); runs started before it was verified replay without that check.
      .filter((t) => t !== 'USER_DATA_STORAGE_TABLE' || (ref.changesAnyId && patched(VERIFY_USER_DATA_STORAGE)))
      .map((table) => paging.verifyTableSegment({ deployment: m.wire, table, idMapRef: ref, segment: 0, totalSegments: 1 })),
  );
  const objectChecks = await Promise.all(legacyBucketSources().map((s) => paging.verifyObjects({ deployment: m.wire, sourceName: s.name, idMapRef: ref })));
  const all = [...tableChecks, ...objectChecks];
  const sum = (count: (r: (typeof all)[number]) => number) => all.reduce((n, r) => n + count(r), 0);
  m.state.verification = {
    tablesChecked: tableChecks.reduce((n, r) => n + r.tablesChecked, 0),
    itemsChecked: sum((r) => r.itemsChecked),
    oldIdsLeft: sum((r) => r.oldIdsLeft),
    conflictsLeft: sum((r) => r.conflictsLeft ?? 0),
    objectsChecked: sum((r) => r.objectsChecked),
    objectsMissing: sum((r) => r.objectsMissing),
    problems: all.flatMap((r) => r.problems).slice(0, MAX_LISTED_PROBLEMS),
  };
  return 'report';
}

async function writeReport(m: MigrationStateManager): Promise<Phase> {
  const { options } = m;
  if (!options.dryRun) {
    m.state.reportLocation = await quick.writeReport({ bucket: m.input.deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME, report: m.report() });
  }
  return options.offerCleanup && !options.dryRun ? 'cleanup-gate' : 'done';
}

async function cleanupGate(m: MigrationStateManager): Promise<Phase> {
  const approved = await m.gate('cleanup', 'delete legacy objects whose copies were verified (only from versioned buckets)');
  if (!approved) m.state.rejected = undefined; // declining cleanup is not a failed migration
  return approved ? 'cleanup' : 'done';
}

async function cleanup(m: MigrationStateManager): Promise<Phase> {
  const results = await Promise.all(legacyBucketSources().map((s) => paging.cleanupSource({ deployment: m.wire, sourceName: s.name, idMapRef: m.idMapRef() })));
  for (const r of results) m.state.totals = mergeTotals(m.state.totals, r);
  return 'done';
}

/** The transition table: every phase's work and where it may go. */
export const PHASES: Readonly<Record<ActivePhase, PhaseEntry>> = {
  preflight: { run: preflight, next: ['ssm-plan', 'export'] },
  'ssm-plan': { run: ssmPlan, next: ['ssm-gate', 'export'] },
  'ssm-gate': { run: ssmGate, next: ['ssm-write', 'rejected'] },
  'ssm-write': { run: ssmWrite, next: ['export'] },
  export: { run: exportOldUserStorage, next: ['deployment-gate'] },
  'deployment-gate': { run: deploymentGate, next: ['backup'] },
  backup: { run: backup, next: ['run-wide'] },
  'run-wide': { run: runWideCopies, next: ['user-data-storage'] },
  'user-data-storage': { run: userDataStorage, next: ['users'] },
  users: { run: users, next: ['table-scans'] },
  'table-scans': { run: tableScans, next: ['approval-gate', 'report', 'verify'] },
  'approval-gate': { run: approvalGate, next: ['run-wide', 'rejected'] },
  verify: { run: verify, next: ['report'] },
  report: { run: writeReport, next: ['cleanup-gate', 'done'] },
  'cleanup-gate': { run: cleanupGate, next: ['cleanup', 'done'] },
  cleanup: { run: cleanup, next: ['done'] },
};
