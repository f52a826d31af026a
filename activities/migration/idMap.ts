/** The id map's claim check: stored once per run, paged to the parent, cached per worker process. */
import type { IdPair } from '../../src/idmap/types';
import type { IdMapRef } from '../../workflows/types';
import type { AwsClients } from '../aws/clients';
import { IdMapCache, putIdMapClaimCheck } from '../dynamo/idMapClaimCheck';

/** One cache per worker process: a big id map is downloaded once, not once per activity. */
export const idMapCache = new IdMapCache();

export function createIdMapActivities(clients: AwsClients, cache: IdMapCache = idMapCache) {
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
