// The awsJson1.1 protocol (CloudWatch Logs): every call is `POST /` with `X-Amz-Target: {targetPrefix}.{Operation}`
// and a JSON body of the input shape's members; answers are `application/x-amz-json-1.1` documents of the output
// shape, errors `{"__type": "ResourceNotFoundException", "message": "…"}` (botocore's and the JS SDK's JSON
// parsers read the code from `__type`, or from `x-amzn-ErrorType`, which is sent too). The model drives binding
// and validation exactly as for rest-json (src/aws/binding.ts: every member is a body member here), and output
// serialisation (src/aws/serialize.ts). Adding an awsJson service means adding its model and handlers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError, ValidationException } from './errors.ts';
import { bindInput } from './binding.ts';
import { loadServiceModel, type Operation, type ServiceModel } from './model.ts';
import type { HandlerTable } from './operation.ts';
import { serializeOutput, type WireResponse } from './serialize.ts';
import { authorizedContext, readBody, RegionStores, serveCall, type ServiceEnv } from './service.ts';

const CONTENT_TYPE = 'application/x-amz-json-1.1';

export interface JsonServiceOptions {
  modelFile: string;
  handlers: HandlerTable;
  maxBodyBytes: number;
  /** The error for an operation of the model that has no handler. */
  unavailable: (operation: string) => AwsError;
}

export class JsonService {
  readonly model: ServiceModel;
  readonly name: string;
  private readonly opts: JsonServiceOptions;
  private readonly targetPrefix: string;
  private readonly stores = new RegionStores();

  constructor(opts: JsonServiceOptions) {
    this.opts = opts;
    this.model = loadServiceModel(opts.modelFile);
    this.name = this.model.metadata.endpointPrefix;
    this.targetPrefix = `${(this.model.metadata as { targetPrefix?: string }).targetPrefix}.`;
  }

  handle(req: IncomingMessage, res: ServerResponse, env: ServiceEnv, rawPath: string, query: URLSearchParams): Promise<void> {
    return serveCall(req, res, env, (requestId) => this.invoke(req, env, rawPath, query, requestId), (err) => this.renderError(err));
  }

  private async invoke(req: IncomingMessage, env: ServiceEnv, rawPath: string, query: URLSearchParams, requestId: string): Promise<WireResponse> {
    const body = await readBody(req, this.opts.maxBodyBytes);
    await env.authenticate?.(req, rawPath, query, body, this.name);
    const targetHeader = req.headers['x-amz-target'];
    const target = Array.isArray(targetHeader) ? targetHeader[0] : targetHeader;
    // AWS's JSON front end answers a missing or foreign target with UnknownOperationException and no message.
    if (req.method !== 'POST' || !target?.startsWith(this.targetPrefix)) throw new AwsError('UnknownOperationException', 400, '');
    const op = this.model.operations[target.slice(this.targetPrefix.length)];
    if (!op) throw new AwsError('UnknownOperationException', 400, '');
    const handler = this.opts.handlers[op.name];
    if (!handler) throw this.opts.unavailable(op.name);
    const input = bindJsonInput(this.model, op, req.headers, body);
    const ctx = await authorizedContext(env, req, { service: this.name, operation: op.name, input, rawPath, query, requestId }, (region) => this.stores.of(env.store, region));
    const output = await handler(input, ctx);
    const wire = serializeOutput(this.model, op, output);
    // Operations without output answer an empty body; botocore reads it as `{}`.
    return { status: 200, headers: { 'Content-Type': CONTENT_TYPE }, body: op.output ? wire.body : '' };
  }


  renderError(err: unknown): WireResponse {
    const e = err instanceof AwsError ? err : internalError(err);
    const doc: Record<string, unknown> = { __type: e.code, ...e.extra };
    if (e.message !== '') doc.message = e.message;
    return {
      status: e.status,
      headers: { 'Content-Type': CONTENT_TYPE, 'x-amzn-ErrorType': e.code, ...e.headers },
      body: JSON.stringify(doc),
    };
  }
}

/**
 * The body against the input shape. CloudWatch Logs reports constraint failures as InvalidParameterException with
 * the member's own name (`Value '10001' at 'limit' failed to satisfy constraint: …`, recorded on AWS), where the
 * rest-json services say ValidationException and `'filterLogEventsInput.limit'`.
 */
function bindJsonInput(model: ServiceModel, op: Operation, headers: IncomingMessage['headers'], body: Buffer): Record<string, unknown> {
  try {
    return bindInput(model, op, { labels: {}, query: new URLSearchParams(), headers, body });
  } catch (err) {
    if (err instanceof ValidationException) throw new AwsError('InvalidParameterException', 400, err.message.replace(/at '[A-Za-z0-9]+Input\./g, "at '"));
    throw err;
  }
}

function internalError(err: unknown): AwsError {
  console.error('internal error', err);
  return new AwsError('ServiceUnavailableException', 500, 'The service cannot complete the request.');
}
