/**
 * The one place that decides which errors no retry can fix. Every engine raises its own
 * error classes; at the activity edge they become non-retryable ApplicationFailures of the
 * types in ./failureTypes.ts (the list the workflows' retry policies name), and a coarse
 * activity records them as the failure of one step while its other steps go on.
 */
import { ApplicationFailure } from '@temporalio/common';
import { describeFatalAwsError } from './aws/errors';
import { ClaimCheckIntegrityError } from './dynamo/idMapClaimCheck';
import { RewriteConflictError, RewriteRuleError } from './dynamo/rewrite';
import { FAILURE_TYPES, NON_RETRYABLE_ERROR_TYPES } from './failureTypes';
import { UdsConflictError } from './uds/conditionalPut';
import { ExportMissingError } from './uds/exportSource';

const nonRetryableTypes: ReadonlySet<string> = new Set(NON_RETRYABLE_ERROR_TYPES);

/**
 * The non-retryable failure `err` becomes at the activity edge; undefined when a retry may
 * help (throttling, a 500, a reset connection), which Temporal's retry policy then handles.
 */
export function nonRetryableFailure(err: unknown): ApplicationFailure | undefined {
  if (err instanceof ApplicationFailure) return err.nonRetryable || nonRetryableTypes.has(err.type ?? '') ? err : undefined;
  const fail = (type: string, message: string, details?: unknown[]) => ApplicationFailure.create({ message, type, nonRetryable: true, details });
  if (err instanceof RewriteConflictError) return fail(FAILURE_TYPES.rewriteConflict, err.message, [err.conflict]);
  if (err instanceof UdsConflictError) return fail(FAILURE_TYPES.udsConflict, err.message, [{ table: err.table, key: err.key }]);
  if (err instanceof RewriteRuleError) return fail(FAILURE_TYPES.rewriteRule, err.message);
  if (err instanceof ClaimCheckIntegrityError) return fail(FAILURE_TYPES.claimCheckIntegrity, err.message);
  if (err instanceof ExportMissingError) return fail(FAILURE_TYPES.exportMissing, err.message);
  const aws = describeFatalAwsError(err);
  return aws ? fail(FAILURE_TYPES.fatalAws, aws) : undefined;
}

/** The failure type and message of an error that retrying cannot fix; undefined for everything else. */
export function permanentFailure(err: unknown): { type: string; message: string } | undefined {
  const failure = nonRetryableFailure(err);
  return failure && { type: failure.type ?? 'Error', message: failure.message };
}
