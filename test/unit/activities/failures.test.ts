/**
 * One list decides what no retry can fix: every failure type an activity raises as
 * non-retryable is in the list the workflows' retry policies name, so the policy is right on
 * its own (it once listed 'RewriteConflictError' while the conversions threw 'RewriteConflict').
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { atActivityEdge, nonRetryableFailure, permanentFailure } from '../../../activities/failures';
import { FAILURE_TYPES, NON_RETRYABLE_ERROR_TYPES } from '../../../activities/failureTypes';
import { ClaimCheckIntegrityError } from '../../../activities/dynamo/idMapClaimCheck';
import { RewriteConflictError, RewriteRuleError } from '../../../activities/dynamo/rewrite';
import { UdsConflictError } from '../../../activities/uds/conditionalPut';
import { ExportMissingError } from '../../../activities/uds/exportSource';

const ACTIVITIES = path.resolve(__dirname, '../../../activities');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? sourceFiles(file) : file.endsWith('.ts') ? [file] : [];
  });
}

describe('non-retryable failure types', () => {
  it('names every type an activity raises as non-retryable, with no string spelled at a throw site', () => {
    const literalTypes: string[] = [];
    for (const file of sourceFiles(ACTIVITIES)) {
      const text = readFileSync(file, 'utf8');
      if (!text.includes('ApplicationFailure')) continue;
      for (const m of text.matchAll(/nonRetryable\([^;]*?,\s*'([A-Za-z]+)'\s*,?\s*\)/gs)) literalTypes.push(`${path.basename(file)}: ${m[1]}`);
      for (const m of text.matchAll(/\btype:\s*'([A-Za-z]+)'/g)) literalTypes.push(`${path.basename(file)}: ${m[1]}`);
    }
    expect(literalTypes).toEqual([]);
  });

  it.each([
    ['a rewrite conflict', new RewriteConflictError({ table: 'T', oldKey: { id: 'a' }, newKey: { id: 'b' }, reason: 'targetExists' } as never), FAILURE_TYPES.rewriteConflict],
    ['a USER_DATA_STORAGE conflict', new UdsConflictError('T', { PK: 'p', SK: 's' }), FAILURE_TYPES.udsConflict],
    ['a broken rule', new RewriteRuleError('drops a key attribute'), FAILURE_TYPES.rewriteRule],
    ['a corrupt claim check', new ClaimCheckIntegrityError('sha256 mismatch'), FAILURE_TYPES.claimCheckIntegrity],
    ['a missing export', new ExportMissingError('export gone'), FAILURE_TYPES.exportMissing],
    ['missing credentials', Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), FAILURE_TYPES.fatalAws],
    ['access denied', Object.assign(new Error('no'), { name: 'AccessDeniedException' }), FAILURE_TYPES.fatalAws],
    ['a missing table', Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' }), FAILURE_TYPES.fatalAws],
    ['an invalid request', Object.assign(new Error('One or more parameter values were invalid'), { name: 'ValidationException' }), FAILURE_TYPES.fatalAws],
  ])('%s becomes a non-retryable failure of a listed type', (_what, err, type) => {
    const failure = nonRetryableFailure(err);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type, nonRetryable: true });
    expect(failure?.message).toBeTruthy();
    expect(NON_RETRYABLE_ERROR_TYPES).toContain(type);
  });

  it('keeps the conflict as the failure details', () => {
    const conflict = { table: 'T', oldKey: { id: 'a' }, newKey: { id: 'b' }, reason: 'targetExists' };
    expect(nonRetryableFailure(new RewriteConflictError(conflict as never))?.details).toEqual([conflict]);
  });

  it('treats a listed type as permanent even without the nonRetryable flag, and passes on the flagged ones', () => {
    const listed = ApplicationFailure.create({ message: 'gone', type: FAILURE_TYPES.tableMissing });
    expect(nonRetryableFailure(listed)).toBe(listed);
    const flagged = ApplicationFailure.nonRetryable('bad input', 'SomethingElse');
    expect(permanentFailure(flagged)).toEqual({ type: 'SomethingElse', message: 'bad input' });
  });

  it.each([
    ['a throttle', Object.assign(new Error('slow down'), { name: 'ThrottlingException' })],
    ['a server error', Object.assign(new Error('internal'), { name: 'InternalServerError', $metadata: { httpStatusCode: 500 } })],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a retryable ApplicationFailure', ApplicationFailure.retryable('try again', 'Transient')],
  ])('leaves %s to the retry policy', (_what, err) => {
    expect(nonRetryableFailure(err)).toBeUndefined();
  });
});

describe('the activity edge', () => {
  it('converts what an activity throws, and passes results and retryable errors through', async () => {
    const throttle = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    const activities = atActivityEdge({
      ok: async (n: number) => n + 1,
      denied: async () => {
        throw Object.assign(new Error('not yours'), { name: 'AccessDenied' });
      },
      throttled: async () => {
        throw throttle;
      },
    });
    await expect(activities.ok(1)).resolves.toBe(2);
    await expect(activities.denied()).rejects.toMatchObject({ type: FAILURE_TYPES.fatalAws, nonRetryable: true, message: 'AWS refused the request (AccessDenied): not yours' });
    await expect(activities.throttled()).rejects.toBe(throttle);
  });
});
