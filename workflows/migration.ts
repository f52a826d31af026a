/**
 * The migration of one deployment, as one durable workflow (workflow id from dep name +
 * stage, so two migrations of one deployment cannot run at once):
 *
 *   preflight → Parameter Store (plan, gate, write) → export of the old user-storage table →
 *   deployment gate → backups → plan (a dry run of exactly this run) → approval gate →
 *   USER_DATA_STORAGE steps 1+2 → run-wide copies → per-user children (sliding window) →
 *   table scans → verification → report → optional cleanup gate.
 *
 * The write phases run twice with the same code: once as the plan (dry run), once for real.
 * The workflow is a state machine over `state.phase` so it can continue-as-new anywhere in
 * the long per-user phase and pick up where it stopped.
 */
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  continueAsNew,
  log,
  ParentClosePolicy,
  patched,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { compactDeployment } from '../src/deployment/catalogue';
import { bulkSources, perUserSources, referenceTables, scannedTables, tablesTouched } from '../src/plan/steps';
import { addProblems, emptyTotals, mergeTotals, totalWrites, type Totals } from '../src/report/counters';
import type { IdPair } from '../src/idmap/types';
import { paging, quick, slow } from './activityProxies';
import { failureReason } from './failureReason';
import {
  approveSignal,
  approveUpdate,
  deployedSignal,
  pauseSignal,
  pauseUpdate,
  planQuery,
  rejectSignal,
  rejectUpdate,
  reportQuery,
  resumeSignal,
  resumeUpdate,
  statusQuery,
  userDoneSignal,
} from './messages';
import { DEPLOYMENT_KEY, DRY_RUN_KEY, PHASE_KEY, STAGE_KEY } from './searchAttributes';
import { preflightWorkflow } from './preflight';
import { tableScanWorkflow } from './tableScan';
import { statusProgress } from './statusProgress';
import { userMigrationWorkflow } from './user';
import type {
  GateName,
  IdMapRef,
  MigrationInput,
  MigrationReport,
  MigrationState,
  MigrationStatus,
  Phase,
  UserMigrationResult,
} from './types';

/** Users whose pairs the workflow holds at once while filling the sliding window. */
const USER_PAGE_SIZE = 500;
/** Patch id: verification also scans USER_DATA_STORAGE, where ids are stored sanitised. */
const VERIFY_USER_DATA_STORAGE = 'verify-user-data-storage';
/** Patch id: the references pass over per-user tables whose items of outsiders name migrated users. */
const OUTSIDER_REFERENCES = 'outsider-references';

export function migrationWorkflowId(depName: string, stage: string): string {
  return `migration-${depName}-${stage}`;
}

function initialState(now: number): MigrationState {
  return {
    phase: 'preflight',
    backups: [],
    backupsSkipped: false,
    pass: 'plan',
    bulkCopiesVerified: true,
    users: { total: 0, done: 0, failed: 0, nextIndex: 0, inFlight: [] },
    totals: emptyTotals(),
    failedUsers: [],
    startedAt: now,
    phaseTimings: [],
    continuedAsNew: 0,
  };
}

export async function migrationWorkflow(input: MigrationInput): Promise<MigrationReport> {
  const { deployment, options } = input;
  /** What activities and children get: the ref and overrides, not all 58 names (history size). */
  const wire = compactDeployment(deployment);
  const state: MigrationState = input.state ?? initialState(Date.now());
  const workflowId = workflowInfo().workflowId;

  // ---- operator messages -------------------------------------------------------------
  let paused = state.paused ?? false;
  let awaitingGate: GateName | undefined;
  let waitingFor: string | undefined;
  let deployedNudge = false;
  const approvals = new Set<GateName>();
  const completions: UserMigrationResult[] = [];

  const status = (): MigrationStatus => ({
    workflowId,
    runId: input.runId,
    deployment: `${deployment.depName}/${deployment.stage}`,
    phase: state.phase,
    pass: state.pass,
    paused,
    awaitingGate,
    waitingFor,
    dryRun: options.dryRun,
    users: {
      total: state.users.total,
      done: state.users.done,
      failed: state.users.failed,
      nextIndex: state.users.nextIndex,
      inFlight: state.users.inFlight.length,
      remaining: Math.max(0, state.users.total - state.users.done - state.users.failed),
    },
    conflicts: state.totals.conflictCount,
    failures: state.totals.failureCount,
    totals: state.totals,
    backups: state.backups.length,
    rejected: state.rejected,
    aws: state.preflight?.caller,
    progress: statusProgress(state),
  });

  const assertAwaiting = (gate: GateName) => {
    if (awaitingGate !== gate) {
      throw new Error(`gate "${gate}" is not awaiting approval (phase ${state.phase}${awaitingGate ? `, awaiting "${awaitingGate}"` : ''})`);
    }
  };
  const approve = (gate: GateName) => {
    if (awaitingGate === gate) approvals.add(gate);
    else log.warn('approval ignored: gate not awaiting', { gate, awaitingGate });
  };
  const reject = (gate: GateName, reason: string) => {
    if (awaitingGate === gate) state.rejected = { gate, reason: reason || 'rejected by the operator' };
    else log.warn('rejection ignored: gate not awaiting', { gate, awaitingGate });
  };

  setHandler(approveSignal, approve);
  setHandler(rejectSignal, reject);
  setHandler(pauseSignal, () => void (paused = true));
  setHandler(resumeSignal, () => void (paused = false));
  setHandler(deployedSignal, () => void (deployedNudge = true));
  setHandler(userDoneSignal, (result) => void completions.push(result));
  setHandler(
    approveUpdate,
    (gate) => {
      approve(gate);
      return status();
    },
    { validator: assertAwaiting },
  );
  setHandler(
    rejectUpdate,
    (gate, reason) => {
      reject(gate, reason);
      return status();
    },
    { validator: (gate: GateName, _reason: string) => assertAwaiting(gate) },
  );
  setHandler(pauseUpdate, () => {
    paused = true;
    return status();
  });
  setHandler(resumeUpdate, () => {
    paused = false;
    return status();
  });
  setHandler(statusQuery, status);
  setHandler(planQuery, () => state.plan);
  setHandler(reportQuery, () => (state.phase === 'done' || state.phase === 'rejected' ? buildReport() : undefined));

  // ---- helpers -----------------------------------------------------------------------
  const enter = (phase: Phase) => {
    const now = Date.now();
    const open = state.phaseTimings[state.phaseTimings.length - 1];
    if (open && open.endedAt === undefined) open.endedAt = now;
    state.phase = phase;
    state.phaseTimings.push({ phase, startedAt: now });
    upsertSearchAttributes([{ key: PHASE_KEY, value: phase }]);
    setCurrentDetails(`phase: ${phase}${state.pass === 'plan' && isWritePhase(phase) ? ' (plan: dry run)' : ''}`);
  };

  /** A safe point: nothing new starts while paused; in-flight work finishes. */
  const unpaused = async () => {
    if (!paused) return;
    setCurrentDetails(`paused in phase ${state.phase}: resume with "amplify-migrate resume"`);
    await condition(() => !paused);
  };

  const gate = async (name: GateName, summary: string): Promise<boolean> => {
    await unpaused();
    if (options.autoApprove) return true;
    awaitingGate = name;
    setCurrentDetails(`awaiting approval of gate "${name}": ${summary}\napprove: amplify-migrate approve --gate ${name}; reject: amplify-migrate reject --gate ${name}`);
    upsertMemo({ awaitingGate: name });
    await condition(() => approvals.has(name) || state.rejected?.gate === name);
    awaitingGate = undefined;
    upsertMemo({ awaitingGate: null });
    return approvals.has(name);
  };

  const writeOptions = () => ({ dryRun: options.dryRun || state.pass === 'plan', onConflict: options.onConflict });
  const idMapRef = (): IdMapRef => {
    if (!state.idMapRef) throw new Error('id map not stored yet');
    return state.idMapRef;
  };

  const buildReport = (): MigrationReport => ({
    runId: input.runId,
    deployment: { depName: deployment.depName, stage: deployment.stage },
    dryRun: options.dryRun,
    outcome: state.rejected
      ? 'rejected'
      : options.dryRun
        ? 'dry-run'
        : state.totals.failureCount > 0 || (state.verification?.problems.length ?? 0) > 0
          ? 'failed'
          : state.totals.conflictCount > 0
            ? 'succeeded-with-conflicts'
            : 'succeeded',
    preflight: state.preflight,
    ssm: state.ssmResult ?? state.ssmPlan,
    export: state.export,
    backups: state.backups,
    backupsSkipped: state.backupsSkipped,
    plan: state.plan,
    totals: options.dryRun ? (state.plan ?? state.totals) : state.totals,
    users: { total: state.users.total, done: state.users.done, failed: state.users.failed, failedUsers: state.failedUsers },
    verification: state.verification,
    phaseTimings: state.phaseTimings,
    rejected: state.rejected,
    continuedAsNew: state.continuedAsNew,
  });

  const continueAsNewIfDue = async () => {
    const info = workflowInfo();
    if (info.historyLength < options.historyEventsBeforeContinueAsNew && !info.continueAsNewSuggested) return;
    await condition(allHandlersFinished);
    absorbCompletions();
    state.continuedAsNew += 1;
    // A pause must hold in the next run too: continue-as-new is not a resume.
    state.paused = paused;
    // The id map travels by claim check from here on; the inline pairs are not carried over.
    await continueAsNew<typeof migrationWorkflow>({ ...input, idMapPairs: undefined, state });
  };

  const absorbCompletions = () => {
    while (completions.length > 0) {
      const result = completions.shift()!;
      const at = state.users.inFlight.indexOf(result.workflowId);
      if (at < 0 || result.pass !== state.pass) continue; // a duplicate or a stale pass's report
      state.users.inFlight.splice(at, 1);
      state.totals = mergeTotals(state.totals, result.totals);
      if (result.status === 'done') state.users.done += 1;
      else {
        state.users.failed += 1;
        if (state.failedUsers.length < 200) {
          state.failedUsers.push({ oldId: result.user.oldId, newId: result.user.newId, reason: result.totals.problems.find((p) => p.kind === 'failure' || p.kind === 'oversize')?.reason ?? 'failed' });
        }
      }
    }
  };

  // ---- phases ------------------------------------------------------------------------
  upsertSearchAttributes([
    { key: DEPLOYMENT_KEY, value: deployment.depName },
    { key: STAGE_KEY, value: deployment.stage },
    { key: DRY_RUN_KEY, value: options.dryRun },
  ]);

  const childSearchAttributes = () => [
    { key: DEPLOYMENT_KEY, value: deployment.depName },
    { key: STAGE_KEY, value: deployment.stage },
    { key: PHASE_KEY, value: state.phase },
    { key: DRY_RUN_KEY, value: options.dryRun || state.pass === 'plan' },
  ];

  const runUsers = async () => {
    if (state.users.total === 0) state.users.total = idMapRef().count;
    let page: { offset: number; pairs: IdPair[] } | undefined;
    const pairAt = async (index: number): Promise<IdPair> => {
      if (!page || index < page.offset || index >= page.offset + page.pairs.length) {
        const offset = index - (index % USER_PAGE_SIZE);
        page = { offset, pairs: await quick.loadIdMapPage({ ref: idMapRef(), offset, limit: USER_PAGE_SIZE }) };
      }
      return page.pairs[index - page.offset];
    };
    const progress = () =>
      setCurrentDetails(
        `${state.pass === 'plan' ? 'plan (dry run)' : 'migrating'} users: ${state.users.done} done, ${state.users.failed} failed, ${state.users.inFlight.length} running, ${state.users.total - state.users.nextIndex} waiting`,
      );

    while (state.users.nextIndex < state.users.total || state.users.inFlight.length > 0) {
      await unpaused();
      while (!paused && state.users.inFlight.length < options.userConcurrency && state.users.nextIndex < state.users.total) {
        const index = state.users.nextIndex;
        const user = await pairAt(index);
        const childId = `${workflowId}/${state.pass}/u${index}`;
        await startChild(userMigrationWorkflow, {
          workflowId: childId,
          args: [
            {
              runId: input.runId,
              parentWorkflowId: workflowId,
              pass: state.pass,
              index,
              user,
              deployment: wire,
              idMapRef: idMapRef(),
              bulkCopiesVerified: state.bulkCopiesVerified,
              options: writeOptions(),
            },
          ],
          // Children outlive a continue-as-new of the parent and report to it by workflow id.
          parentClosePolicy: ParentClosePolicy.ABANDON,
          typedSearchAttributes: childSearchAttributes(),
          staticSummary: `${state.pass} ${user.oldId} → ${user.newId}`,
        });
        state.users.inFlight.push(childId);
        state.users.nextIndex += 1;
      }
      progress();
      await condition(
        () => completions.length > 0 || (!paused && state.users.inFlight.length < options.userConcurrency && state.users.nextIndex < state.users.total),
      );
      absorbCompletions();
      await continueAsNewIfDue();
    }
  };

  const runScans = async () => {
    const tables = scannedTables(idMapRef().changesAnyId);
    const scans = tables.map((table) =>
      startChild(tableScanWorkflow, {
        workflowId: `${workflowId}/${state.pass}/scan/${table}`,
        args: [{ runId: input.runId, table, deployment: wire, idMapRef: idMapRef(), segments: options.scanSegments, options: writeOptions() }],
        typedSearchAttributes: childSearchAttributes(),
        staticSummary: `${state.pass} scan ${table}`,
      }).then((handle) => handle.result()),
    );
    // Items of users outside the map that name migrated users (a sharer, an editor): after
    // the per-user phase, so every migrated user's own items are already under the new id
    // and the pass touches only the outsiders'. Runs started earlier replay without it.
    const references = patched(OUTSIDER_REFERENCES)
      ? referenceTables(idMapRef().changesAnyId).map((table) =>
          startChild(tableScanWorkflow, {
            workflowId: `${workflowId}/${state.pass}/references/${table}`,
            args: [
              {
                runId: input.runId,
                table,
                deployment: wire,
                idMapRef: idMapRef(),
                segments: options.scanSegments,
                options: writeOptions(),
                references: { pointersReady: state.bulkCopiesVerified },
              },
            ],
            typedSearchAttributes: childSearchAttributes(),
            staticSummary: `${state.pass} references in ${table}`,
          }).then((handle) => handle.result()),
        )
      : [];
    const results = await Promise.all([...scans, ...references]);
    for (const r of results) state.totals = mergeTotals(state.totals, r);
  };

  const segments = (fn: (segment: number) => Promise<Totals>) =>
    Promise.all(Array.from({ length: options.scanSegments }, (_, segment) => fn(segment))).then((all) => all.reduce(mergeTotals, emptyTotals()));

  try {
    while (state.phase !== 'done' && state.phase !== 'rejected') {
      switch (state.phase) {
        case 'preflight': {
          enter('preflight');
          state.preflight = await (await startChild(preflightWorkflow, {
            workflowId: `${workflowId}/preflight`,
            args: [{ deployment }],
            typedSearchAttributes: childSearchAttributes(),
          })).result();
          enter(input.ssm ? 'ssm-plan' : 'export');
          break;
        }
        case 'ssm-plan': {
          state.ssmPlan = await paging.writeSsmParameters({ parameters: input.ssm!.parameters, skippedServices: input.ssm!.skippedServices, dryRun: true });
          enter(options.dryRun ? 'export' : 'ssm-gate');
          break;
        }
        case 'ssm-gate': {
          const approved = await gate('ssm', `${input.ssm!.parameters.length} parameters; ${totalWrites(state.ssmPlan!)} to create or update`);
          enter(approved ? 'ssm-write' : 'rejected');
          break;
        }
        case 'ssm-write': {
          state.ssmResult = await paging.writeSsmParameters({ parameters: input.ssm!.parameters, skippedServices: input.ssm!.skippedServices, dryRun: false });
          enter('export');
          break;
        }
        case 'export': {
          if (!options.dryRun && (state.preflight?.oldUserStorageItems ?? 0) > 0) {
            state.export = await paging.exportOldUserStorage({ deployment: wire, runId: input.runId });
          }
          enter('deployment-gate');
          break;
        }
        case 'deployment-gate': {
          let missing = state.preflight?.missingPrerequisites.map((m) => m.resource) ?? [];
          while (missing.length > 0) {
            waitingFor = `deploy ${missing.join(' and ')}: ${state.preflight?.advice.join('; ')}`;
            setCurrentDetails(`waiting for the deployment: ${waitingFor}\nthen: amplify-migrate deployed`);
            deployedNudge = false;
            await condition(() => deployedNudge, `${options.deploymentPollSeconds} seconds`);
            missing = await quick.missingPrerequisites({ deployment: wire });
          }
          waitingFor = undefined;
          if (!state.idMapRef) {
            state.idMapRef = input.idMapRef ?? (await quick.storeIdMap({ bucket: deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME, pairs: input.idMapPairs ?? [] }));
          }
          enter('backup');
          break;
        }
        case 'backup': {
          if (options.dryRun || options.skipBackups) {
            state.backupsSkipped = true;
            if (options.skipBackups && !options.dryRun) log.warn('BACKUPS SKIPPED (--dont-backup): nothing protects the tables this run changes');
          } else {
            const existing = new Set(state.preflight?.tables.filter((t) => t.exists).map((t) => t.key));
            const tables = tablesTouched(idMapRef().changesAnyId).filter((t) => existing.has(t) || t === 'USER_DATA_STORAGE_TABLE');
            const started = await paging.startBackups({ deployment: wire, runId: input.runId, tables });
            state.backups = await slow.awaitBackups({ backups: started });
          }
          state.pass = 'plan';
          enter('run-wide');
          break;
        }
        case 'user-data-storage': {
          const ref = idMapRef();
          if (ref.changesAnyId) {
            state.totals = mergeTotals(state.totals, await segments((segment) => paging.migrateUserDataStorageSegment({ deployment: wire, idMapRef: ref, segment, totalSegments: options.scanSegments, ...writeOptions() })));
          }
          state.totals = mergeTotals(
            state.totals,
            await segments((segment) =>
              paging.importOldUserStorageSegment({ deployment: wire, idMapRef: ref, segment, totalSegments: options.scanSegments, exportLocation: state.export?.location, ...writeOptions() }),
            ),
          );
          // Each pass counts its own users: the real run's report must not carry the plan's.
          state.users = { total: ref.count, done: 0, failed: 0, nextIndex: 0, inFlight: [] };
          state.failedUsers = [];
          enter('users');
          break;
        }
        case 'run-wide': {
          const results = await Promise.all(
            bulkSources().map((source) =>
              paging
                .copyBulkObjects({ deployment: wire, sourceName: source.name, idMapRef: idMapRef(), ...writeOptions() })
                .catch((err: unknown) => addProblems(emptyTotals(), [{ kind: 'failure', where: source.name, reason: failureReason(err) }])),
            ),
          );
          for (const r of results) state.totals = mergeTotals(state.totals, r);
          state.bulkCopiesVerified = results.every((r) => r.failureCount === 0);
          // Whole-bucket copies (shares above all) come before USER_DATA_STORAGE step 1,
          // which re-points share keys at them: pointers move after their data.
          enter('user-data-storage');
          break;
        }
        case 'users': {
          await runUsers();
          enter('table-scans');
          break;
        }
        case 'table-scans': {
          await runScans();
          if (state.pass === 'plan') {
            state.plan = state.totals;
            state.totals = emptyTotals();
            if (!options.dryRun) {
              // The plan's user counts live in state.plan; a rejected run migrated no user.
              state.users = { total: idMapRef().count, done: 0, failed: 0, nextIndex: 0, inFlight: [] };
              state.failedUsers = [];
            }
            enter(options.dryRun ? 'report' : 'approval-gate');
          } else {
            enter('verify');
          }
          break;
        }
        case 'approval-gate': {
          const plan = state.plan!;
          const approved = await gate('migrate', `the plan writes ${totalWrites(plan)} items/objects, ${plan.conflictCount} conflicts, ${plan.failureCount} failures`);
          if (!approved) {
            enter('rejected');
            break;
          }
          state.pass = 'run';
          enter('run-wide');
          break;
        }
        case 'verify': {
          const ref = idMapRef();
          const tableChecks = await Promise.all(
            tablesTouched(ref.changesAnyId)
              // USER_DATA_STORAGE is judged by step 1's rewrite, so only when step 1 ran (an id
              // changes); runs started before it was verified replay without that check.
              .filter((t) => t !== 'USER_DATA_STORAGE_TABLE' || (ref.changesAnyId && patched(VERIFY_USER_DATA_STORAGE)))
              .map((table) => paging.verifyTableSegment({ deployment: wire, table, idMapRef: ref, segment: 0, totalSegments: 1 })),
          );
          const objectChecks = await Promise.all(
            [...perUserSources(), ...bulkSources()]
              .filter((s) => !s.name.endsWith('SplitState'))
              .map((s) => paging.verifyObjects({ deployment: wire, sourceName: s.name, idMapRef: ref })),
          );
          const all = [...tableChecks, ...objectChecks];
          state.verification = {
            tablesChecked: tableChecks.reduce((n, r) => n + r.tablesChecked, 0),
            itemsChecked: all.reduce((n, r) => n + r.itemsChecked, 0),
            oldIdsLeft: all.reduce((n, r) => n + r.oldIdsLeft, 0),
            conflictsLeft: all.reduce((n, r) => n + (r.conflictsLeft ?? 0), 0),
            objectsChecked: all.reduce((n, r) => n + r.objectsChecked, 0),
            objectsMissing: all.reduce((n, r) => n + r.objectsMissing, 0),
            problems: all.flatMap((r) => r.problems).slice(0, 200),
          };
          enter('report');
          break;
        }
        case 'report': {
          if (!options.dryRun) {
            state.reportLocation = await quick.writeReport({ bucket: deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME, report: buildReport() });
          }
          enter(options.offerCleanup && !options.dryRun ? 'cleanup-gate' : 'done');
          break;
        }
        case 'cleanup-gate': {
          const approved = await gate('cleanup', 'delete legacy objects whose copies were verified (only from versioned buckets)');
          enter(approved ? 'cleanup' : 'done');
          if (!approved) state.rejected = undefined; // declining cleanup is not a failed migration
          break;
        }
        case 'cleanup': {
          const results = await Promise.all(
            [...perUserSources(), ...bulkSources()]
              .filter((s) => s.bucket !== 'S3_CONSOLIDATION_BUCKET_NAME')
              .map((s) => paging.cleanupSource({ deployment: wire, sourceName: s.name, idMapRef: idMapRef() })),
          );
          for (const r of results) state.totals = mergeTotals(state.totals, r);
          enter('done');
          break;
        }
        default:
          throw new Error(`unknown phase ${state.phase}`);
      }
      await unpaused();
    }
  } catch (err) {
    if (isCancellation(err)) {
      // Graceful cancellation: the children in flight were started to outlive a
      // continue-as-new, so they must be told explicitly; their activities stop at the next
      // heartbeat. Nothing half-done is left behind: every step is idempotent.
      await CancellationScope.nonCancellable(() =>
        Promise.all(state.users.inFlight.map((id) => getExternalWorkflowHandle(id).cancel().catch(() => undefined))),
      );
    }
    throw err;
  }

  const report = buildReport();
  setCurrentDetails(`${state.phase}: ${report.outcome}`);
  await condition(allHandlersFinished);
  return report;
}

function isWritePhase(phase: Phase): boolean {
  return phase === 'user-data-storage' || phase === 'run-wide' || phase === 'users' || phase === 'table-scans';
}
