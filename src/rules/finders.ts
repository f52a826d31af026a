/** The three ways a rule's items are found (src/rules/types.ts Finder), as constants. */
import type { Finder } from './types';

export const byPartitionKey: Finder = { kind: 'partitionKey' };
export const byIndex = (index: string): Finder => ({ kind: 'index', index });
/**
 * One parallel scan per run, the whole id map applied to every item: never a full-table scan per
 * user.
 */
export const byScan: Finder = { kind: 'scan' };
