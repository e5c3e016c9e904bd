// awsJson1.0 with `awsQueryCompatible`: the JSON protocol current AWS SDKs may speak to a service that began as awsQuery
// (CloudWatch: `POST /` with `X-Amz-Target: GraniteServiceVersion20100801.GetMetricData`, Content-Type
// `application/x-amz-json-1.0`, a JSON body of the input shape's members). Answers are JSON documents of the output
// shape; errors carry `__type` (the error shape's name, `InvalidParameterValueException`) and the
// `x-amzn-query-error: {query code};Sender` header from which query-compatible clients take the awsQuery error code
// (`InvalidParameterValue`), so both protocols report the same codes. The handlers are the awsQuery service's own.
//
// The Debian CLI's botocore model declares only `query` (it predates the JSON protocol): the target prefix is given
// by the caller. Smithy RPC v2 CBOR, which the newest SDKs prefer for CloudWatch, is not served.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError, ValidationException } from './errors.ts';
import { bindInput } from './binding.ts';
import { loadServiceModel, type ServiceModel } from './model.ts';
import type { HandlerTable } from './operation.ts';
import { serializeOutput, type WireResponse } from './serialize.ts';
import { authorizedContext, readBody, serveCall, type ServiceEnv } from './service.ts';

const CONTENT_TYPE = 'application/x-amz-json-1.0';

export interface QueryCompatibleJsonOptions {
  modelFile: string;
  handlers: HandlerTable;
  maxBodyBytes: number;
  /** `GraniteServiceVersion20100801` for CloudWatch. */
  targetPrefix: string;
}

export class QueryCompatibleJsonService {
  readonly model: ServiceModel;
  readonly name: string;
  private readonly opts: QueryCompatibleJsonOptions;
  /** awsQuery error code → the error shape's name (`InvalidParameterValue` → `InvalidParameterValueException`). */
  private readonly shapeOfCode = new Map<string, string>();

  constructor(opts: QueryCompatibleJsonOptions) {
    this.opts = opts;
    this.model = loadServiceModel(opts.modelFile);
    this.name = this.model.metadata.endpointPrefix;
    for (const [name, shape] of Object.entries(this.model.shapes)) {
      const code = (shape as { error?: { code?: string } }).error?.code;
      if (code) this.shapeOfCode.set(code, name);
    }
  }

  /** Whether a request to this service speaks this protocol (its X-Amz-Target names this service). */
  accepts(req: IncomingMessage): boolean {
    const target = req.headers['x-amz-target'];
    return typeof target === 'string' && target.startsWith(`${this.opts.targetPrefix}.`);
  }

  handle(req: IncomingMessage, res: ServerResponse, env: ServiceEnv, rawPath: string, query: URLSearchParams): Promise<void> {
    return serveCall(req, res, env, (requestId) => this.invoke(req, env, rawPath, query, requestId), (err) => this.renderError(err));
  }

  private async invoke(req: IncomingMessage, env: ServiceEnv, rawPath: string, query: URLSearchParams, requestId: string): Promise<WireResponse> {
    const body = await readBody(req, this.opts.maxBodyBytes);
    await env.authenticate?.(req, rawPath, query, body, this.name);
    const target = req.headers['x-amz-target'] as string;
    const op = req.method === 'POST' ? this.model.operations[target.slice(this.opts.targetPrefix.length + 1)] : undefined;
    if (!op) throw new AwsError('UnknownOperationException', 400, '');
    const handler = this.opts.handlers[op.name];
    if (!handler) throw new AwsError('InvalidAction', 400, `${op.name} is not available in this version of Gatehouse`);
    let input: Record<string, unknown>;
    try {
      input = bindInput(this.model, op, { labels: {}, query: new URLSearchParams(), headers: req.headers, body: body.length ? body : Buffer.from('{}') });
    } catch (err) {
      // The awsQuery code and member naming (`'statistics.1.member'` → `'statistics'`), as the query protocol says it.
      if (err instanceof ValidationException) throw new AwsError('ValidationError', 400, err.message.replace(/at '[A-Za-z0-9]+Input\./g, "at '"));
      throw err;
    }
    const ctx = await authorizedContext(env, req, { service: this.name, operation: op.name, input, rawPath, query, requestId }, () => env.store);
    const output = await handler(input, ctx);
    const wire = serializeOutput(this.model, op, output);
    return { status: 200, headers: { 'Content-Type': CONTENT_TYPE }, body: op.output ? wire.body || '{}' : '{}' };
  }

  renderError(err: unknown): WireResponse {
    const e = err instanceof AwsError ? err : internalError(err);
    const doc: Record<string, unknown> = { __type: this.shapeOfCode.get(e.code) ?? e.code };
    if (e.message !== '') doc.message = e.message;
    return {
      status: e.status,
      headers: { 'Content-Type': CONTENT_TYPE, 'x-amzn-query-error': `${e.code};${e.status >= 500 ? 'Receiver' : 'Sender'}`, ...e.headers },
      body: JSON.stringify(doc),
    };
  }
}

function internalError(err: unknown): AwsError {
  console.error('internal error', err);
  return new AwsError('InternalServiceError', 500, 'An internal error occurred.');
}
