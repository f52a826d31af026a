/**
 * Temporal connection settings, Temporal's own way: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_API_KEY, TEMPORAL_TLS_* and the TOML profile file (TEMPORAL_CONFIG_FILE /
 * TEMPORAL_PROFILE), through @temporalio/envconfig. The same settings serve the dev server,
 * a self-hosted cluster and Temporal Cloud.
 */
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';

export interface TemporalSettings {
  connectionOptions: NativeConnectionOptions;
  namespace: string;
}

export function temporalSettings(overrides: { address?: string; namespace?: string } = {}): TemporalSettings {
  const loaded = loadClientConnectConfig();
  const connectionOptions: NativeConnectionOptions = { ...loaded.connectionOptions };
  if (overrides.address) connectionOptions.address = overrides.address;
  connectionOptions.address ??= 'localhost:7233';
  return { connectionOptions, namespace: overrides.namespace ?? loaded.namespace ?? 'default' };
}
