/** Backups and the lossless user-storage export: the pure parts (DECISIONS.md §4). */
export * from './names';
export * from './plan';
export * from './verification';
export * from './exportLines';
