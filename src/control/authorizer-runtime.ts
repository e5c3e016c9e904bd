// The control operations that reach authorizers at run time: TestInvokeAuthorizer (the data plane's Lambda
// authorizer code path on the current authorizer) and FlushStageAuthorizersCache (empties a stage's Lambda
// authorizer result cache; 202 Accepted, as the model says).
import { AwsError, BadRequestException } from '../aws/errors.ts';
import { CLUSTER_EVENTS, type ClusterEvents } from '../redis/cluster-events.ts';
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import { lambdaAuthorizersOf } from '../execute/authorization/lambda-authorizer.ts';
import { testInvokeAuthorizer, type TestCaller, type TestInvokeAuthorizerInput } from '../execute/authorization/test-invoke-authorizer.ts';
import { callerOf } from '../identity/caller.ts';
import { testInvokeUserPoolAuthorizer } from '../execute/authorization/test-invoke-user-pool-authorizer.ts';
import { GatewayError } from '../execute/responses/gateway-errors.ts';
import { requireAuthorizer } from './authorizers.ts';
import { requireRestApi } from './common.ts';
import { requireStage } from './stages-validation.ts';

function authorizerService(ctx: OperationContext) {
  try {
    return lambdaAuthorizersOf(ctx.services);
  } catch (e) {
    if (e instanceof GatewayError) throw new BadRequestException('Lambda authorizers are not available in this Gatehouse');
    throw e;
  }
}

/** The caller as the test's $context.identity shows it (an unknown or absent key: the account root). */
async function testCaller(ctx: OperationContext): Promise<TestCaller> {
  const caller = await ctx.globalDb.read((tx) => callerOf(tx, ctx.accessKeyId, ctx.accountId));
  const who =
    caller.kind === 'user'
      ? { id: caller.user.UserId, arn: caller.user.Arn }
      : caller.kind === 'session'
        ? { id: caller.session.UserId, arn: caller.session.Arn }
        : { id: ctx.accountId, arn: `arn:aws:iam::${ctx.accountId}:root` };
  return { accountId: ctx.accountId, caller: who.id, user: who.id, userArn: who.arn, accessKey: ctx.accessKeyId ?? null };
}

async function TestInvokeAuthorizer(input: OperationInput, ctx: OperationContext) {
  const authorizer = await ctx.db.read(async (tx) => {
    await requireRestApi(tx, ctx, input.restApiId);
    return requireAuthorizer(tx, input.restApiId, input.authorizerId);
  });
  if (authorizer.type === 'COGNITO_USER_POOLS') {
    return testInvokeUserPoolAuthorizer(ctx.services, authorizer, new Date(), input as TestInvokeAuthorizerInput);
  }
  if (authorizer.type !== 'TOKEN' && authorizer.type !== 'REQUEST') {
    throw new BadRequestException(`TestInvokeAuthorizer for ${authorizer.type} authorizers is not available in this version of Gatehouse`);
  }
  return testInvokeAuthorizer(authorizerService(ctx), authorizer, ctx.region, ctx.now(), await testCaller(ctx), input as TestInvokeAuthorizerInput);
}

async function FlushStageAuthorizersCache(input: OperationInput, ctx: OperationContext) {
  await ctx.db.read(async (tx) => {
    await requireRestApi(tx, ctx, input.restApiId);
    await requireStage(tx, input.restApiId, input.stageName);
  });
  const cluster = ctx.services[CLUSTER_EVENTS] as ClusterEvents | undefined;
  if (!cluster) {
    authorizerService(ctx).cache.flushStage(input.restApiId, input.stageName);
    return {};
  }
  // Scale-out: every node keeps its own results; the flush reaches the others through Redis.
  try {
    await cluster.flushStageAuthorizers(input.restApiId, input.stageName);
  } catch (err) {
    throw new AwsError('ServiceUnavailableException', 503, `The authorizer cache was flushed on this node only: the other nodes could not be told (Redis: ${(err as Error).message}). Retry.`);
  }
  return {};
}

export const handlers: HandlerTable = { TestInvokeAuthorizer, FlushStageAuthorizersCache };
