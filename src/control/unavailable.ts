// Operations whose behaviour belongs to later work (OpenAPI import/export, SDK generation, test invocations,
// usage records). They answer an AWS-shaped 400 that says so, after the same identifier checks
// AWS makes first, and never pretend to succeed.
//
// NOTE for whoever implements one of them: remove it here, since src/control/index.ts spreads this table after
// most families and would otherwise shadow the real handler.
import { BadRequestException } from '../aws/errors.ts';
import type { HandlerTable, OperationContext, OperationHandler, OperationInput } from '../aws/operation.ts';
import { requireRestApi } from './common.ts';
import { requireStage } from './stages-validation.ts';
import { requireUsagePlan } from './usage-plans-keys.ts';

export function notAvailable(operation: string): BadRequestException {
  return new BadRequestException(`${operation} is not available in this version of Gatehouse`);
}

function unavailable(operation: string): OperationHandler {
  return async (input: OperationInput, ctx: OperationContext) => {
    await ctx.db.read(async (tx) => {
      if (typeof input.restApiId === 'string') await requireRestApi(tx, ctx, input.restApiId);
      if (typeof input.restApiId === 'string' && typeof input.stageName === 'string') await requireStage(tx, input.restApiId, input.stageName);
      if (typeof input.usagePlanId === 'string') await requireUsagePlan(tx, input.usagePlanId);
    });
    throw notAvailable(operation);
  };
}

// Empty since GetSdk (src/sdk) was built: kept for operations of later work.
export const UNAVAILABLE_OPERATIONS: readonly string[] = [];

export const handlers: HandlerTable = Object.fromEntries(UNAVAILABLE_OPERATIONS.map((op) => [op, unavailable(op)]));
