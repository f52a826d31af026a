/**
 * The state of one migration workflow run and everything that reads or changes it outside
 * the phases: the operator's messages (gates, pause, the deployment nudge), the children's
 * reports, status and report, the phase bookkeeping and continue-as-new. The phases
 * (./migrationPhases.ts) call it; the workflow (./migration.ts) only drives them. The shape
 * follows temporalio/samples-typescript `message-passing/safe-message-handlers`: a workflow
 * function over a state-manager class whose handlers only record, never run work.
 *
 * Replay: the commands this class issues (search-attribute and memo upserts, timers of the
 * deployment gate's condition, continue-as-new) are the ones the single-function workflow
 * issued, in the same order, so running migrations and the committed histories replay.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { compactDeployment, type CompactDeployment, type TableKey } from '../src/deployment/catalogue';
import { scanSegmentsFor } from '../src/plan/scanSegments';
import { emptyTotals, mergeTotals } from '../src/report/counters';
import type { migrationWorkflow } from './migration';
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
import { migrationReport } from './migrationReport';
import { statusProgress } from './statusProgress';
import type { GateName, IdMapRef, MigrationInput, MigrationReport, MigrationState, MigrationStatus, Phase, PlanScan, UserMigrationResult } from './types';

/** Patch id: scan segments sized by each table's item count (issue 9), not --scan-segments for every table. */
const SIZED_SCAN_SEGMENTS = 'sized-scan-segments';
/** Failed users named in the state and the report (the count stays exact): bounds the carried state. */
export const MAX_FAILED_USERS_LISTED = 200;

/** The write phases: the plan pass runs them as a dry run. */
const WRITE_PHASES: ReadonlySet<Phase> = new Set<Phase>(['run-wide', 'user-data-storage', 'users', 'table-scans']);

function initialState(): MigrationState {
  return {
    phase: 'preflight',
    backups: [],
    backupsSkipped: false,
    pass: 'plan',
    bulkCopiesVerified: true,
    users: { total: 0, done: 0, failed: 0, nextIndex: 0, inFlight: [] },
    totals: emptyTotals(),
    failedUsers: [],
    phaseTimings: [],
    continuedAsNew: 0,
  };
}

/** The state a continued run resumes from, without the fields no code reads any more. */
function carriedState(carried: NonNullable<MigrationInput['state']>): MigrationState {
  const { startedAt: _retired, ...state } = carried;
  return state;
}

export class MigrationStateManager {
  readonly state: MigrationState;
  readonly workflowId = workflowInfo().workflowId;
  /** What activities and children get: the ref and overrides, not all 58 names (history size). */
  readonly wire: CompactDeployment;
  /** Users' reports received and not yet counted (counted at the sliding window's safe points). */
  readonly completions: UserMigrationResult[] = [];
  /** The results of the children this run started (a quiet continue-as-new waits for them to close). */
  private readonly childResults: Promise<unknown>[] = [];
  paused: boolean;
  /** Set by `amplify-migrate deployed`: re-check the prerequisites now instead of at the next poll. */
  deployedNudge = false;
  /** What the deployment gate waits for, shown by status. */
  waitingFor: string | undefined;
  private awaitingGate: GateName | undefined;
  private readonly approvals = new Set<GateName>();

  constructor(readonly input: MigrationInput) {
    this.wire = compactDeployment(input.deployment);
    this.state = input.state ? carriedState(input.state) : initialState();
    this.paused = this.state.paused ?? false;
  }

  get options(): MigrationInput['options'] {
    return this.input.options;
  }

  // ---- operator messages ---------------------------------------------------------------

  registerHandlers(): void {
    setHandler(approveSignal, (gate) => this.approve(gate));
    setHandler(rejectSignal, (gate, reason) => this.reject(gate, reason));
    setHandler(pauseSignal, () => void (this.paused = true));
    setHandler(resumeSignal, () => void (this.paused = false));
    setHandler(deployedSignal, () => void (this.deployedNudge = true));
    setHandler(userDoneSignal, (result) => void this.completions.push(result));
    setHandler(
      approveUpdate,
      (gate) => {
        this.approve(gate);
        return this.status();
      },
      { validator: (gate: GateName) => this.assertAwaiting(gate) },
    );
    setHandler(
      rejectUpdate,
      (gate, reason) => {
        this.reject(gate, reason);
        return this.status();
      },
      { validator: (gate: GateName, _reason: string) => this.assertAwaiting(gate) },
    );
    setHandler(pauseUpdate, () => {
      this.paused = true;
      return this.status();
    });
    setHandler(resumeUpdate, () => {
      this.paused = false;
      return this.status();
    });
    setHandler(statusQuery, () => this.status());
    setHandler(planQuery, () => this.state.plan);
    setHandler(reportQuery, () => (this.isFinished() ? this.report() : undefined));
  }

  private assertAwaiting(gate: GateName): void {
    if (this.awaitingGate !== gate) {
      throw new Error(`gate "${gate}" is not awaiting approval (phase ${this.state.phase}${this.awaitingGate ? `, awaiting "${this.awaitingGate}"` : ''})`);
    }
  }

  private approve(gate: GateName): void {
    if (this.awaitingGate === gate) this.approvals.add(gate);
    else log.warn('approval ignored: gate not awaiting', { gate, awaitingGate: this.awaitingGate });
  }

  private reject(gate: GateName, reason: string): void {
    if (this.awaitingGate === gate) this.state.rejected = { gate, reason: reason || 'rejected by the operator' };
    else log.warn('rejection ignored: gate not awaiting', { gate, awaitingGate: this.awaitingGate });
  }

  // ---- phases ----------------------------------------------------------------------------

  isFinished(): boolean {
    return this.state.phase === 'done' || this.state.phase === 'rejected';
  }

  enter(phase: Phase): void {
    const now = Date.now();
    const open = this.state.phaseTimings[this.state.phaseTimings.length - 1];
    if (open && open.endedAt === undefined) open.endedAt = now;
    this.state.phase = phase;
    this.state.phaseTimings.push({ phase, startedAt: now });
    upsertSearchAttributes([{ key: PHASE_KEY, value: phase }]);
    setCurrentDetails(`phase: ${phase}${this.state.pass === 'plan' && WRITE_PHASES.has(phase) ? ' (plan: dry run)' : ''}`);
  }

  /** A safe point: nothing new starts while paused; in-flight work finishes. */
  async unpaused(): Promise<void> {
    if (!this.paused) return;
    setCurrentDetails(`paused in phase ${this.state.phase}: resume with "amplify-migrate resume"`);
    await condition(() => !this.paused);
  }

  /** Waits for the operator's answer at a gate (at once with --auto-approve); true when approved. */
  async gate(name: GateName, summary: string): Promise<boolean> {
    await this.unpaused();
    if (this.options.autoApprove) return true;
    this.awaitingGate = name;
    setCurrentDetails(`awaiting approval of gate "${name}": ${summary}\napprove: amplify-migrate approve --gate ${name}; reject: amplify-migrate reject --gate ${name}`);
    upsertMemo({ awaitingGate: name });
    await condition(() => this.approvals.has(name) || this.state.rejected?.gate === name);
    this.awaitingGate = undefined;
    upsertMemo({ awaitingGate: null });
    return this.approvals.has(name);
  }

  /** The plan pass writes nothing; the real pass writes unless the whole run is a dry run. */
  writeOptions(): { dryRun: boolean; onConflict: MigrationInput['options']['onConflict'] } {
    return { dryRun: this.options.dryRun || this.state.pass === 'plan', onConflict: this.options.onConflict };
  }

  /**
   * The segments that scan a table: one per ITEMS_PER_SCAN_SEGMENT of preflight's count, the
   * operator's --scan-segments at most (src/plan/scanSegments.ts). Runs started before this
   * replay with the maximum everywhere.
   */
  scanSegments(table: TableKey): number {
    if (!patched(SIZED_SCAN_SEGMENTS)) return this.options.scanSegments;
    const estimate = this.state.preflight?.tables.find((t) => t.key === table)?.itemCountEstimate;
    return scanSegmentsFor(this.options.scanSegments, estimate);
  }

  idMapRef(): IdMapRef {
    if (!this.state.idMapRef) throw new Error('id map not stored yet');
    return this.state.idMapRef;
  }

  /** The run's own search attributes, set once at the start of every run. */
  tagRun(): void {
    const { deployment, options } = this.input;
    upsertSearchAttributes([
      { key: DEPLOYMENT_KEY, value: deployment.depName },
      { key: STAGE_KEY, value: deployment.stage },
      { key: DRY_RUN_KEY, value: options.dryRun },
    ]);
  }

  /** Children carry the deployment, the phase that started them and whether they write. */
  childSearchAttributes() {
    const { deployment } = this.input;
    return [
      { key: DEPLOYMENT_KEY, value: deployment.depName },
      { key: STAGE_KEY, value: deployment.stage },
      { key: PHASE_KEY, value: this.state.phase },
      { key: DRY_RUN_KEY, value: this.options.dryRun || this.state.pass === 'plan' },
    ];
  }

  // ---- users' reports and continue-as-new ------------------------------------------------

  /** This pass's per-user tables done by one scan each (the parent's), and the users whose pointers stay. */
  userTableScan(): PlanScan | undefined {
    return this.state.pass === 'plan' ? this.state.planScan : this.state.runScan;
  }

  /** Counts the users' reports received so far (each once, and only for the current pass). */
  absorbCompletions(): void {
    const { state } = this;
    while (this.completions.length > 0) {
      const result = this.completions.shift()!;
      const at = state.users.inFlight.indexOf(result.workflowId);
      if (at < 0 || result.pass !== state.pass) continue; // a duplicate or a stale pass's report
      state.users.inFlight.splice(at, 1);
      state.totals = mergeTotals(state.totals, result.totals);
      if (result.pointersReady === false) this.userTableScan()?.pointersNotReady.push(result.user.oldId);
      if (result.status === 'done') state.users.done += 1;
      else {
        state.users.failed += 1;
        if (state.failedUsers.length < MAX_FAILED_USERS_LISTED) {
          const reason = result.totals.problems.find((p) => p.kind === 'failure' || p.kind === 'oversize')?.reason ?? 'failed';
          state.failedUsers.push({ oldId: result.user.oldId, newId: result.user.newId, reason });
        }
      }
    }
  }

  continueAsNewDue(): boolean {
    const info = workflowInfo();
    return info.historyLength >= this.options.historyEventsBeforeContinueAsNew || info.continueAsNewSuggested;
  }

  childrenStartedThisRun(): number {
    return this.childResults.length;
  }

  /** A child this run started: its close is an event of this run's history. */
  childOfThisRun(result: Promise<unknown>): void {
    // Its failure is its report's business (the child reports by signal even when a step failed).
    this.childResults.push(result.catch(() => undefined));
  }

  /**
   * Continues as new once the history is long: the state (and a pause) carry over; children
   * report to the next run. `quiet`: every child of this run has reported, and closed first,
   * so no event can arrive while the continue-as-new task runs and refuse it.
   */
  async continueAsNewIfDue(options: { quiet?: boolean } = {}): Promise<void> {
    if (!this.continueAsNewDue()) return;
    if (options.quiet) await Promise.all(this.childResults);
    await condition(allHandlersFinished);
    this.absorbCompletions();
    this.state.continuedAsNew += 1;
    // A pause must hold in the next run too: continue-as-new is not a resume.
    this.state.paused = this.paused;
    // The id map travels by claim check from here on; the inline pairs are not carried over.
    await continueAsNew<typeof migrationWorkflow>({ ...this.input, idMapPairs: undefined, state: this.state });
  }

  // ---- what the operator sees ------------------------------------------------------------

  status(): MigrationStatus {
    const { state, input } = this;
    return {
      workflowId: this.workflowId,
      runId: input.runId,
      deployment: `${input.deployment.depName}/${input.deployment.stage}`,
      phase: state.phase,
      pass: state.pass,
      paused: this.paused,
      awaitingGate: this.awaitingGate,
      waitingFor: this.waitingFor,
      dryRun: this.options.dryRun,
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
    };
  }

  report(): MigrationReport {
    return migrationReport(this.input, this.state);
  }
}
