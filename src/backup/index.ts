/**
 * Backups and the lossless user-storage export: the pure parts
 * (docs/decisions/0008-backups-before-writes.md).
 */
export * from './names';
export * from './plan';
export * from './verification';
export * from './exportLines';
