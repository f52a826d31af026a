/** The worker side of OnTheWire (activities/contract.ts): expands compacted deployments. */
import { expandDeployment, type CompactDeployment } from '../src/deployment/catalogue';
import type { OnTheWire } from './contract';

function isCompact(value: unknown): value is CompactDeployment {
  return typeof value === 'object' && value !== null && 'overrides' in value && 'depName' in value;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a mapped wrapper over heterogeneous activity signatures
type AnyActivity = (input: any) => Promise<unknown>;

export function onTheWire<A extends { [K in keyof A]: AnyActivity }>(activities: A): OnTheWire<A> {
  const wrapped: Record<string, AnyActivity> = {};
  for (const [name, activity] of Object.entries(activities) as [string, AnyActivity][]) {
    wrapped[name] = (input: unknown) =>
      activity(
        typeof input === 'object' && input !== null && isCompact((input as { deployment?: unknown }).deployment)
          ? { ...input, deployment: expandDeployment((input as { deployment: CompactDeployment }).deployment) }
          : input,
      );
  }
  return wrapped as OnTheWire<A>;
}
