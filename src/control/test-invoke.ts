// TestInvokeMethod: runs the data plane's pipeline against the current (undeployed) API.
import type { HandlerTable } from '../aws/operation.ts';
import type { DataPlane } from '../execute/data-plane.ts';
import type { TestInvokeInput } from '../execute/test-invoke.ts';

export const handlers: HandlerTable = {
  TestInvokeMethod: (input, ctx) => (ctx.services.dataPlane as DataPlane).testInvoke(ctx.db, input as TestInvokeInput),
};
