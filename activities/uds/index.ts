/** USER_DATA_STORAGE activities: Step 1, Step 2 import, per-user conversions (over AwsClients). */
export { createUdsActivities, type UdsActivityOptions } from './activities';
export { migrateUserDataStorageSegment, userDataStorageStep1Rule, type Step1Progress } from './step1';
export { importOldUserStorageSegment, tableExists, type ImportOldUserStorageInput, type Step2Progress } from './step2';
export { convertUserData, type ConvertUserDataInput } from './convertUserData';
export { conditionalPut, UdsConflictError, type ConditionalPutOptions, type PutOutcome } from './conditionalPut';
export { parseExportLine, parseExportLocation } from './exportSource';
export type { RunOptions } from './options';
