/** The id map's claim check: stored once per run, paged to the parent, cached per worker. */
import type { IdPair } from '../../src/idmap/types';
import type { IdMapRef } from '../../workflows/types';
import type { AwsClients } from '../aws/clients';
import { putIdMapClaimCheck, type IdMapCache } from '../dynamo/idMapClaimCheck';

/** `cache`: the worker's one id-map cache (created where the activities are composed, activities/index.ts). */
export function createIdMapActivities(clients: AwsClients, cache: IdMapCache) {
  return {
    async storeIdMap(input: { bucket: string; pairs: IdPair[] }): Promise<IdMapRef> {
      const claim = await putIdMapClaimCheck(clients, input.bucket, input.pairs);
      return { ...claim, count: input.pairs.length, changesAnyId: input.pairs.some((p) => p.oldId !== p.newId) };
    },

    async loadIdMapPage(input: { ref: IdMapRef; offset: number; limit: number }): Promise<IdPair[]> {
      const ids = await cache.resolve(clients, input.ref);
      return ids.pairs.slice(input.offset, input.offset + input.limit).map(({ oldId, newId }) => ({ oldId, newId }));
    },
  };
}
