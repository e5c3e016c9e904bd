// The invocation pipeline: the order of the steps, written once. `parse` (./parse.ts) builds the Invocation from
// the raw request; each step after it reads what earlier ones left and adds its part, synchronously where it can.
// Any step ends the request by throwing a GatewayError, rendered in one place (../responses/gateway-response.ts).
import type { Invocation, Responded, Step } from '../invocation.ts';
import { route } from './route.ts';
import { authorize } from './authorize.ts';
import { throttle } from './throttle.ts';
import { methodRequest } from './method-request.ts';
import { cacheLookup } from './cache-lookup.ts';
import { integrationRequest } from './integration-request.ts';
import { integration } from './integration.ts';
import { integrationResponse } from './integration-response.ts';
import { methodResponse } from './method-response.ts';

// Each step's parameter type is what the previous steps guarantee (Invocation → Routed → ... → Responded).
export const PIPELINE: readonly Step<never>[] = [
  route,
  authorize,
  throttle,
  methodRequest,
  cacheLookup,
  integrationRequest,
  integration,
  integrationResponse,
  methodResponse,
];

const METHOD_RESPONSE = PIPELINE.indexOf(methodResponse as Step<never>);

/**
 * The step after step `i`: the next one, or the method response once a step has made it early (a cache hit makes it
 * in cacheLookup: the integration steps are skipped, the method-response step still finishes it).
 */
function nextStep(inv: Invocation, i: number): number {
  return i < METHOD_RESPONSE - 1 && (inv as Responded).methodResponse !== undefined ? METHOD_RESPONSE : i + 1;
}

/**
 * Where TestInvokeMethod's pipeline starts (its caller routes): as on AWS, a test invocation skips the resource
 * policy, authorizers, API keys and throttling, and begins with request validation.
 */
export const TEST_INVOKE_FROM = PIPELINE.indexOf(methodRequest as Step<never>);

/** Runs the steps from `from`; returns a promise only when a step is asynchronous. Throws GatewayError. */
export function runPipeline(inv: Invocation, from = 0): void | Promise<void> {
  for (let i = from; i < PIPELINE.length; i = nextStep(inv, i)) {
    const result = (PIPELINE[i] as Step<Invocation>)(inv);
    if (result instanceof Promise) return result.then(() => runPipeline(inv, nextStep(inv, i)));
  }
}

/**
 * Runs the steps from `from`, then `done(inv, ctx)` (or `failed(inv, err, ctx)` with what a step threw or rejected
 * with), and returns what `done`/`failed` returned. Synchronous when every step is; otherwise one promise reaction per
 * asynchronous step, with no promise for the pipeline as a whole (the server's hot path: a proxied request has one
 * async step). `ctx` is passed through so that callers need no closure per request.
 */
export function runPipelineThen<C, R>(
  inv: Invocation,
  ctx: C,
  done: (inv: Invocation, ctx: C) => R,
  failed: (inv: Invocation, err: unknown, ctx: C) => R,
  from = 0,
): R | Promise<Awaited<R>> {
  for (let i = from; i < PIPELINE.length; i = nextStep(inv, i)) {
    let result: void | Promise<void>;
    try {
      result = (PIPELINE[i] as Step<Invocation>)(inv);
    } catch (err) {
      return failed(inv, err, ctx);
    }
    if (result instanceof Promise) {
      return result.then(
        () => runPipelineThen(inv, ctx, done, failed, nextStep(inv, i)),
        (err: unknown) => failed(inv, err, ctx),
      ) as Promise<Awaited<R>>;
    }
  }
  return done(inv, ctx);
}
