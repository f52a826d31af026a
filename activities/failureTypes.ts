/**
 * The type names of the failures no retry can fix: the one list both sides read. Activities
 * raise ApplicationFailures of these types (activities/failures.ts converts every engine
 * error at the activity edge), and the workflows' retry policies list exactly these as
 * non-retryable (workflows/activityProxies.ts), so the policy is right on its own and does
 * not depend on each throw site also setting `nonRetryable`.
 *
 * This module imports nothing: the workflow bundle includes it.
 */
export const FAILURE_TYPES = {
  /** A different item already at the new key under --on-conflict fail (the rewrite engine). */
  rewriteConflict: 'RewriteConflict',
  /** A different USER_DATA_STORAGE item already at the key a conversion writes, under --on-conflict fail. */
  udsConflict: 'UdsConflict',
  /** Credentials, endpoint or permissions: AWS will answer the same way on every retry. */
  fatalAws: 'FatalAwsError',
  /** The id map's claim check does not hash to its address. */
  claimCheckIntegrity: 'ClaimCheckIntegrityError',
  /** A table rule produced an item the engine refuses (a bug in a rule, not in the data). */
  rewriteRule: 'RewriteRuleError',
  /** No rule for the table asked for. */
  noTableRule: 'NoTableRule',
  /** The export of the old user-storage table an import or a restore reads is gone. */
  exportMissing: 'ExportMissing',
  /** A table a backup, an export or PITR needs does not exist. */
  tableMissing: 'TableMissing',
  backupFailed: 'BackupFailed',
  backupTimeout: 'BackupTimeout',
  /** The DynamoDB endpoint has no on-demand backups (DynamoDB Local, dynoxide). */
  backupsUnsupported: 'BackupsUnsupported',
} as const;

export type FailureType = (typeof FAILURE_TYPES)[keyof typeof FAILURE_TYPES];

/** Every failure type no retry can fix, for `nonRetryableErrorTypes`. */
export const NON_RETRYABLE_ERROR_TYPES: readonly FailureType[] = Object.values(FAILURE_TYPES);
