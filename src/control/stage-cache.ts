// FlushStageCache, and the one way control operations drop a stage's cached responses (a cache disabled, resized or
// deleted with its stage): through the data plane, which owns the cache (src/cache, src/execute/data-plane.ts).
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import type { DataPlane } from '../execute/data-plane.ts';
import { flushStarted } from '../cache/cluster-status.ts';
import { requireRestApi } from './common.ts';
import { requireStage } from './stages-validation.ts';

export async function flushStageCacheData(ctx: OperationContext, apiId: string, stageName: string): Promise<void> {
  const dataPlane = ctx.services.dataPlane as DataPlane | undefined;
  await dataPlane?.flushStageCache(apiId, stageName);
}

/**
 * DELETE /restapis/{id}/stages/{stage}/cache/data: 202 with no body. An available cache reports FLUSH_IN_PROGRESS for
 * the transition (src/cache/cluster-status.ts); its entries are gone at once. A stage without a cache has nothing to
 * flush and answers the same.
 */
async function FlushStageCache(input: OperationInput, ctx: OperationContext) {
  const apiId: string = input.restApiId;
  await ctx.db.write(async (tx) => {
    await requireRestApi(tx, ctx, apiId);
    const stage = structuredClone(await requireStage(tx, apiId, input.stageName));
    if (flushStarted(stage, ctx.now().getTime())) await tx.put('stages', `${apiId}/${input.stageName}`, stage);
  });
  await flushStageCacheData(ctx, apiId, input.stageName);
}

export const handlers: HandlerTable = { FlushStageCache };
