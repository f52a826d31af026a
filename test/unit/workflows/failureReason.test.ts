/** A failed step's reason is the root cause's message, not "Activity task failed". */
import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure, RetryState } from '@temporalio/common';
import { failureReason } from '../../../workflows/failureReason';

const activityFailure = (cause: Error) => new ActivityFailure('Activity task failed', 'copyBulkObjects', '7', RetryState.NON_RETRYABLE_FAILURE, 'worker', cause);

describe('failureReason', () => {
  it('names the ApplicationFailure under an ActivityFailure', () => {
    const err = activityFailure(ApplicationFailure.nonRetryable('AWS refused the request (AccessDenied): no', 'FatalAwsError'));
    expect(err.message).toBe('Activity task failed');
    expect(failureReason(err)).toBe('AWS refused the request (AccessDenied): no');
  });

  it('goes to the root of a deeper chain (a child workflow whose activity failed)', () => {
    const root = ApplicationFailure.create({ message: 'NoSuchBucket: the bucket does not exist', type: 'NoSuchBucket' });
    const child = new ChildWorkflowFailure('default', { workflowId: 'w', runId: 'r' }, 'tableScanWorkflow', RetryState.NON_RETRYABLE_FAILURE, activityFailure(root));
    expect(failureReason(child)).toBe('NoSuchBucket: the bucket does not exist');
  });

  it('keeps a message above a cause that has none', () => {
    expect(failureReason(new Error('outer', { cause: new Error('') }))).toBe('outer');
  });

  it('takes a plain error or a thrown value as it is', () => {
    expect(failureReason(new Error('plain'))).toBe('plain');
    expect(failureReason('a string')).toBe('a string');
  });
});
