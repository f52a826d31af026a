/**
 * Signals, updates and queries of the migration workflow, shared by the workflow, the CLI
 * and the tests (the `define*` constants pattern of temporalio/samples-typescript).
 * Gates are signals (fire-and-forget, as the design asks) and, for a synchronous answer with
 * validation, updates: the CLI uses the update and learns at once whether the gate was open.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { GateName, MigrationReport, MigrationStatus, UserMigrationResult } from './types';
import type { Totals } from '../src/report/counters';

export const approveSignal = defineSignal<[GateName]>('approve');
export const rejectSignal = defineSignal<[GateName, string]>('reject');
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
/** The operator says the consolidation bucket and user-data-storage table are deployed now. */
export const deployedSignal = defineSignal('deployed');
/** Children report to the parent by workflow id, so the report survives the parent's continue-as-new. */
export const userDoneSignal = defineSignal<[UserMigrationResult]>('userDone');

export const approveUpdate = defineUpdate<MigrationStatus, [GateName]>('approveGate');
export const rejectUpdate = defineUpdate<MigrationStatus, [GateName, string]>('rejectGate');
export const pauseUpdate = defineUpdate<MigrationStatus, []>('pauseMigration');
export const resumeUpdate = defineUpdate<MigrationStatus, []>('resumeMigration');

export const statusQuery = defineQuery<MigrationStatus>('status');
export const planQuery = defineQuery<Totals | undefined>('plan');
export const reportQuery = defineQuery<MigrationReport | undefined>('report');
