/**
 * The one place that decides which errors no retry can fix. Every engine raises its own
 * error classes (and the AWS SDK its own); at the activity edge (`atActivityEdge`, applied
 * to every activity the worker registers in activities/index.ts) they become non-retryable
 * ApplicationFailures of the types in ./failureTypes.ts, the list the workflows' retry
 * policies name. A coarse activity records them as the failure of one step while its other
 * steps go on (./migration/steps.ts).
 */
import { ApplicationFailure } from '@temporalio/common';
import { describePermanentAwsError } from './aws/errors';
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
  const aws = describePermanentAwsError(err);
  return aws ? fail(FAILURE_TYPES.fatalAws, aws) : undefined;
}

/** The failure type and message of an error that retrying cannot fix; undefined for everything else. */
export function permanentFailure(err: unknown): { type: string; message: string } | undefined {
  const failure = nonRetryableFailure(err);
  return failure && { type: failure.type ?? 'Error', message: failure.message };
}

/** One activity function, with errors no retry can fix turned into non-retryable failures. */
export function failingClearly<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A): Promise<R> => {
    try {
      return await fn(...args);
    } catch (err) {
      throw nonRetryableFailure(err) ?? err;
    }
  };
}

/**
 * Every function of an activity object behind the edge: the worker's activities
 * (activities/index.ts), and the backup functions the `backup` CLI calls in-process.
 */
export function atActivityEdge<T extends object>(activities: T): T {
  return Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [name, typeof fn === 'function' ? failingClearly(fn as (...args: unknown[]) => Promise<unknown>) : fn]),
  ) as T;
}
