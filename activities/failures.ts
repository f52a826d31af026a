/**
 * The one place that decides which errors no retry can fix. Every engine raises its own
 * error classes; an activity turns them into non-retryable failures, and a coarse activity
 * records them as the failure of one step while its other steps go on.
 */
import { ApplicationFailure } from '@temporalio/common';
import { describeFatalAwsError } from './aws/errors';
import { ClaimCheckIntegrityError } from './dynamo/idMapClaimCheck';
import { RewriteConflictError, RewriteRuleError } from './dynamo/rewrite';
import { UdsConflictError } from './uds/conditionalPut';
import { ExportMissingError } from './uds/exportSource';

/** The failure type and message of an error that retrying cannot fix; undefined for everything else. */
export function permanentFailure(err: unknown): { type: string; message: string } | undefined {
  if (err instanceof ApplicationFailure && err.nonRetryable) return { type: err.type ?? 'Error', message: err.message };
  if (err instanceof RewriteConflictError) return { type: 'RewriteConflict', message: err.message };
  if (err instanceof UdsConflictError) return { type: 'UdsConflict', message: err.message };
  if (err instanceof RewriteRuleError || err instanceof ClaimCheckIntegrityError || err instanceof ExportMissingError) return { type: err.name, message: err.message };
  const fatal = describeFatalAwsError(err);
  return fatal ? { type: 'FatalAwsError', message: fatal } : undefined;
}
