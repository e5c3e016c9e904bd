// One AWS service served over the rest-json protocol: a model, its operation handlers, and the request cycle
// read body → route → bind + validate → handler → serialise, with every failure rendered as an AWS error
// (status, `x-amzn-ErrorType`, `{"message": ...}`). No request, however malformed, escapes as a crash.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { AwsError, InternalFailure, SerializationException } from './errors.ts';
import { bindInput, type BindingOptions } from './binding.ts';
import { loadServiceModel, type ServiceModel } from './model.ts';
import { OperationRouter } from './routing.ts';
import { serializeOutput, type WireResponse } from './serialize.ts';
import { credentialScope } from './sigv4.ts';
import type { HandlerTable, OperationContext, Services } from './operation.ts';
import type { Store } from '../store/store.ts';
import { scopedStore } from '../store/scoped.ts';

export interface ServiceEnv {
  store: Store;
  accountId: string;
  defaultRegion: string;
  services: Services;
  now: () => Date;
  /** Where debug lines go (clients that disconnect before their answer); off when absent. */
  debug?: (line: string) => void;
  /**
   * SigV4 verification (`--require-auth`, src/auth): called once the body is read, before routing; throws the
   * service's AWS error for a request that is not signed by a known identity. Absent: signatures are not verified.
   */
  authenticate?: (req: IncomingMessage, rawPath: string, query: URLSearchParams, body: Buffer, service: string) => Promise<void>;
  /**
   * Management permissions (`--require-auth`, src/identity/control-permissions.ts): called with the bound input,
   * before the handler; throws the service's AccessDenied error. Absent: every caller may do everything.
   */
  authorize?: (call: ControlCall) => Promise<void>;
  /**
   * Told about every answered control call (src/observe: the audit trail and the process log's line): the call when
   * its operation and input were known, else undefined, and how it ended.
   */
  observe?: (req: IncomingMessage, call: ControlCall | undefined, outcome: CallOutcome) => void;
}

/** How a control call ended, for the audit trail and the process log. */
export interface CallOutcome {
  requestId: string;
  status: number;
  /** The AWS error it answered, if any. */
  errorCode?: string;
  errorMessage?: string;
  /** Milliseconds from the request to the answer. */
  latencyMs: number;
}

/** Each request's call once bound (read back when it is answered: every protocol builds its call with controlCall). */
const calls = new WeakMap<IncomingMessage, ControlCall>();

/** A control call as permission checks see it. */
export interface ControlCall {
  service: string;
  operation: string;
  input: Record<string, unknown>;
  method: string;
  /** The path as sent (API Gateway's management ARNs keep its encoding). */
  rawPath: string;
  region: string;
  accessKeyId: string | undefined;
  sourceIp: string | undefined;
  secure: boolean;
}

/** The ControlCall of a request whose operation and input are known. */
export function controlCall(req: IncomingMessage, service: string, operation: string, input: Record<string, unknown>, rawPath: string, region: string, accessKeyId: string | undefined): ControlCall {
  const call: ControlCall = {
    service,
    operation,
    input,
    method: req.method ?? 'GET',
    rawPath,
    region,
    accessKeyId,
    sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, ''),
    secure: (req.socket as { encrypted?: boolean }).encrypted === true,
  };
  calls.set(req, call);
  return call;
}

/** Region-scoped stores, one per region, made on first use (the rest-json and JSON services' `ctx.db`). */
export class RegionStores {
  private readonly scoped = new Map<string, Store>();
  of(store: Store, region: string): Store {
    let s = this.scoped.get(region);
    if (!s) {
      s = scopedStore(store, region);
      this.scoped.set(region, s);
    }
    return s;
  }
}

/**
 * What every protocol does once an operation's input is bound: the caller's region from the SigV4 scope, the
 * management-permission check (`--require-auth`), and the handler's context. `storeFor` gives `ctx.db`: a
 * region-scoped store for regional services, the whole store for global ones (IAM, STS, CloudWatch here).
 */
export async function authorizedContext(
  env: ServiceEnv,
  req: IncomingMessage,
  call: { service: string; operation: string; input: Record<string, unknown>; rawPath: string; query: URLSearchParams; requestId: string },
  storeFor: (region: string) => Store,
): Promise<OperationContext> {
  const auth = req.headers.authorization;
  const scope = credentialScope(typeof auth === 'string' ? auth : undefined, call.query);
  const region = scope?.region ?? env.defaultRegion;
  // Built whether or not permissions are checked: the audit trail reads it back (`env.authorize?.(controlCall(…))`
  // would skip building it when there is no check).
  const control = controlCall(req, call.service, call.operation, call.input, call.rawPath, region, scope?.accessKeyId);
  await env.authorize?.(control);
  return {
    service: call.service,
    operation: call.operation,
    region,
    accountId: env.accountId,
    requestId: call.requestId,
    accessKeyId: scope?.accessKeyId,
    db: storeFor(region),
    globalDb: env.store,
    services: env.services,
    now: env.now,
    secure: (req.socket as { encrypted?: boolean }).encrypted === true,
    rawHeaders: req.headers,
  };
}

export interface AwsServiceOptions {
  modelFile: string;
  handlers: HandlerTable;
  /** The JSON member carrying the error message for errors the model does not describe. */
  messageKey?: string;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** The error for a request that matches no operation. */
  unknownOperation: (method: string, path: string) => AwsError;
  /** Validation details where AWS's texts differ from what the model alone gives. */
  binding?: BindingOptions;
  /** The error for an operation of the model that has no handler. */
  unavailable?: (operation: string) => AwsError;
  /** The error for a body over maxBodyBytes, given the operation the path names (if any); default a generic 413. */
  tooLarge?: (operation: string | undefined) => AwsError;
}

export class AwsService {
  readonly model: ServiceModel;
  readonly name: string;
  private readonly router: OperationRouter;
  private readonly opts: AwsServiceOptions;
  private readonly stores = new RegionStores();

  constructor(opts: AwsServiceOptions) {
    this.opts = opts;
    this.model = loadServiceModel(opts.modelFile);
    this.name = this.model.metadata.endpointPrefix;
    this.router = new OperationRouter(this.model);
  }

  private operationName(method: string, rawPath: string, query: URLSearchParams): string | undefined {
    try {
      return this.router.match(method, rawPath, query)?.operation.name;
    } catch {
      return undefined;
    }
  }

  /** Whether the path could belong to this service (used by dispatch when the request carries no SigV4 scope). */
  routes(method: string, rawPath: string, query: URLSearchParams): boolean {
    try {
      return this.router.match(method, rawPath, query) !== undefined;
    } catch {
      return false;
    }
  }

  handle(req: IncomingMessage, res: ServerResponse, env: ServiceEnv, rawPath: string, query: URLSearchParams): Promise<void> {
    return serveCall(req, res, env, (requestId) => this.invoke(req, env, rawPath, query, requestId), (err) => this.renderError(err));
  }

  private async invoke(req: IncomingMessage, env: ServiceEnv, rawPath: string, query: URLSearchParams, requestId: string): Promise<WireResponse> {
    const method = req.method ?? 'GET';
    // The body is read before anything can fail, so a keep-alive connection never carries leftovers.
    const body = await readBody(req, this.opts.maxBodyBytes).catch((err: unknown) => {
      throw err instanceof PayloadTooLargeError && this.opts.tooLarge ? this.opts.tooLarge(this.operationName(method, rawPath, query)) : err;
    });
    await env.authenticate?.(req, rawPath, query, body, this.name);
    let match;
    try {
      match = this.router.match(method, rawPath, query);
    } catch {
      throw new SerializationException('Malformed percent-encoding in the request path');
    }
    if (!match) throw this.opts.unknownOperation(method, rawPath);
    const op = match.operation;
    const handler = this.opts.handlers[op.name];
    if (!handler) {
      throw this.opts.unavailable?.(op.name) ?? new InternalFailure(`${op.name} is not available`);
    }
    const input = bindInput(this.model, op, { labels: match.labels, query, headers: req.headers, body }, this.opts.binding);
    const ctx = await authorizedContext(env, req, { service: this.name, operation: op.name, input, rawPath, query, requestId }, (region) => this.stores.of(env.store, region));
    const output = await handler(input, ctx);
    return serializeOutput(this.model, op, output);
  }


  renderError(err: unknown): WireResponse {
    const e = err instanceof AwsError ? err : internalError(err);
    // The model's error shape says how the message member is spelled (Lambda uses both 'Message' and 'message').
    const members = this.model.shapes[e.code]?.members;
    const key = members?.message ? 'message' : members?.Message ? 'Message' : (this.opts.messageKey ?? 'message');
    const body = JSON.stringify({ ...e.extra, [key]: e.message });
    return {
      status: e.status,
      headers: { 'Content-Type': 'application/json', 'x-amzn-ErrorType': e.code, ...e.headers },
      body,
    };
  }
}

/**
 * One control call's cycle, whatever the protocol: `invoke` answers it or throws, `renderError` turns what was thrown
 * into the protocol's error shape; the answer carries its request id. A client gone mid-request gets nothing.
 */
export async function serveCall(
  req: IncomingMessage,
  res: ServerResponse,
  env: ServiceEnv,
  invoke: (requestId: string) => Promise<WireResponse>,
  renderError: (err: unknown, requestId: string) => WireResponse,
): Promise<void> {
  const requestId = randomUUID();
  const started = Date.now();
  let wire: WireResponse;
  let failure: unknown;
  try {
    wire = await invoke(requestId);
  } catch (err) {
    failure = err;
    if (!req.complete && (req.destroyed || res.destroyed)) {
      // The client went away mid-request: nobody to answer, and not a failure of ours.
      env.debug?.(`(${requestId}) client disconnected before the response`);
      res.destroy();
      return;
    }
    wire = renderError(err, requestId);
  }
  if (env.observe) {
    const e = failure instanceof AwsError ? failure : failure === undefined ? undefined : { code: 'InternalFailure', message: 'Internal server error' };
    env.observe(req, calls.get(req), { requestId, status: wire.status, errorCode: e?.code, errorMessage: e?.message, latencyMs: Date.now() - started });
  }
  if (!req.complete) req.resume();
  if (!res.headersSent) {
    res.statusCode = wire.status;
    for (const [k, v] of Object.entries(wire.headers)) res.setHeader(k, v);
    res.setHeader('x-amzn-RequestId', requestId);
    res.setHeader('Content-Length', Buffer.byteLength(wire.body));
  }
  res.end(wire.body);
}

function internalError(err: unknown): AwsError {
  // A bug, not the caller's fault: say so in AWS's shape and keep the detail in the server log.
  console.error('internal error', err);
  return new InternalFailure('Internal server error');
}

export class PayloadTooLargeError extends AwsError {
  constructor(limit: number) {
    super('RequestEntityTooLargeException', 413, `Request body exceeds the maximum size of ${limit} bytes`);
  }
}

/** Reads the whole request body, refusing more than `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      reject(new PayloadTooLargeError(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(new PayloadTooLargeError(limit));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!failed) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!failed) {
        failed = true;
        reject(e);
      }
    });
  });
}
