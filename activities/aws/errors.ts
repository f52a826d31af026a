/**
 * Names the AWS SDK errors that no retry can fix (no credentials, unreachable endpoint, access
 * denied; at the activity edge also a missing resource or an invalid request) in one line an
 * operator can act on. The CLI prints them; activities/failures.ts turns them into
 * non-retryable failures. Everything else is left to Temporal's retry policy.
 */
export function describeFatalAwsError(err: unknown): string | undefined {
  const e = err as { name?: string; message?: string; code?: string; cause?: { code?: string } };
  const name = e?.name ?? '';
  const code = e?.code ?? e?.cause?.code ?? '';
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(e?.message ?? '')) {
    return 'AWS credentials not found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY';
  }
  // A connection reset is a network blip (or an endpoint restarting), not a wrong endpoint:
  // retried like any transient error.
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) {
    return `AWS endpoint unreachable (${code})${process.env.AWS_ENDPOINT_URL ? ` at AWS_ENDPOINT_URL=${process.env.AWS_ENDPOINT_URL}` : ''}`;
  }
  if (['AccessDenied', 'AccessDeniedException', 'UnrecognizedClientException', 'InvalidClientTokenId', 'ExpiredToken', 'ExpiredTokenException'].includes(name)) {
    return `AWS refused the request (${name}): ${e?.message ?? ''}`.trim();
  }
  return undefined;
}

/**
 * AWS errors that say the request itself can never succeed as sent: a table that does not
 * exist, a request DynamoDB or SSM refuses as invalid. At the activity edge they are
 * non-retryable like the fatal ones (a retry would only repeat them for hours); code that
 * expects one (a missing legacy table is nothing to migrate) catches it before the edge.
 */
const REFUSED_REQUESTS = ['ResourceNotFoundException', 'ValidationException'];

/** describeFatalAwsError, plus the requests AWS refuses as such: what no activity retry can fix. */
export function describePermanentAwsError(err: unknown): string | undefined {
  const fatal = describeFatalAwsError(err);
  if (fatal) return fatal;
  const e = err as { name?: string; message?: string };
  if (REFUSED_REQUESTS.includes(e?.name ?? '')) return `AWS refused the request (${e.name}): ${e.message ?? ''}`.trim();
  return undefined;
}
