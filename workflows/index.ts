/** The workflow bundle's entry point: every workflow type the worker serves. */
export { preflightWorkflow } from './preflight';
export { migrationWorkflow } from './migration';
export { userMigrationWorkflow } from './user';
export { tableScanWorkflow } from './tableScan';
export { revertWorkflow } from './revert';
