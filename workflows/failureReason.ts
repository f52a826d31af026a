/**
 * What a report says about a step that failed. A failed activity reaches the workflow as an
 * ActivityFailure whose own message is only "Activity task failed"; a failed child as a
 * ChildWorkflowFailure. The reason an operator can act on is the message at the root of the
 * cause chain (the ApplicationFailure the activity raised, or the error under it).
 *
 * Pure: it only reads the errors, so it is safe in workflow code and changes no command.
 */
export function failureReason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  let reason = err.message;
  for (let current: unknown = err.cause; current instanceof Error; current = current.cause) {
    // A wrapper deeper down with no message of its own does not hide the one above it.
    if (current.message) reason = current.message;
  }
  return reason;
}
