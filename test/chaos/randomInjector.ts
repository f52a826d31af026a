/**
 * The chaos run's fault draws: each worker request is faulted with probability `rate`, the
 * kind drawn uniformly from the proxy's non-kill kinds. Kills are not proxy faults here: a
 * real worker dies by SIGKILL (see workers.ts), so the proxy only throttles and fails.
 */
import { mulberry32 } from '../../src/seed';
import type { FaultKind, Injector, RequestInfo } from '../faults/faultProxy';

export const CHAOS_FAULT_KINDS = ['throttle', 'errorBefore', 'errorAfter'] as const satisfies readonly FaultKind[];

export interface RandomInjector {
  injector: Injector;
  /** Time (ms since the epoch) of the latest request the proxy saw, faulted or not. */
  lastRequestAt(): number;
  /** Times of every request, for "first AWS request after a kill". */
  requestTimes: number[];
}

export function randomInjector(rate: number, seed: number, services: ReadonlySet<RequestInfo['service']> = new Set(['dynamodb', 's3', 'ssm', 'other'])): RandomInjector {
  const next = mulberry32(seed);
  const requestTimes: number[] = [];
  return {
    requestTimes,
    lastRequestAt: () => requestTimes[requestTimes.length - 1] ?? 0,
    injector: (request) => {
      requestTimes.push(Date.now());
      // Draw twice for every request, faulted or not, so one seed gives one sequence of decisions.
      const hit = next() < rate;
      const kind = CHAOS_FAULT_KINDS[Math.floor(next() * CHAOS_FAULT_KINDS.length)];
      return hit && services.has(request.service) ? kind : undefined;
    },
  };
}
