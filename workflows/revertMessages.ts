/** Signals, updates and queries of the revert workflow, shared by the workflow, the CLI and the tests. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { RevertReport, RevertStatus } from './revertTypes';

/** Synchronous, with a validator: approving a revert that is not waiting for approval is refused. */
export const approveRevertUpdate = defineUpdate<RevertStatus, []>('approveRevert');
export const rejectRevertUpdate = defineUpdate<RevertStatus, [string]>('rejectRevert');
export const pauseRevertUpdate = defineUpdate<RevertStatus, []>('pauseRevert');
export const resumeRevertUpdate = defineUpdate<RevertStatus, []>('resumeRevert');

export const revertStatusQuery = defineQuery<RevertStatus>('revertStatus');
export const revertReportQuery = defineQuery<RevertReport | undefined>('revertReport');
