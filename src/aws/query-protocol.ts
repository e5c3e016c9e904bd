// The awsQuery protocol (IAM, STS): a form-encoded request `Action=CreateUser&Version=2010-05-08&UserName=x`
// (POST body, or the query string of a GET), answered with XML `<CreateUserResponse><CreateUserResult>…` and
// `<ResponseMetadata><RequestId>`, errors as `<ErrorResponse><Error><Type>Sender</Type><Code>…`. Driven by the
// service model as the rest-json services are (src/aws/service.ts): the operation is the `Action`, its input is
// bound from the flattened form keys (`Tags.member.1.Key`, `Attributes.entry.1.key`) by walking the input shape,
// checked against the model's constraints, handed to the handler, and the output shape is written as XML with the
// model's member names, `<member>` list items and ISO-8601 timestamps — the shapes botocore's and the JS SDK's
// query parsers read. One serializer for every awsQuery service: adding one means adding its model and handlers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError } from './errors.ts';
import { lengthProblem, patternProblem, rangeProblem } from './binding.ts';
import { loadServiceModel, type MemberRef, type Operation, type ServiceModel, type Shape } from './model.ts';
import type { HandlerTable } from './operation.ts';
import { authorizedContext, readBody, serveCall, type ServiceEnv } from './service.ts';
import type { WireResponse } from './serialize.ts';

export interface QueryServiceOptions {
  modelFile: string;
  handlers: HandlerTable;
  maxBodyBytes: number;
}

/** awsQuery's own error codes for requests that name no operation or break its constraints. */
export class QueryError extends AwsError {}

const invalidAction = (action: string, version: string) =>
  new QueryError('InvalidAction', 400, `Could not find operation ${action} for version ${version}`);

export class QueryService {
  readonly model: ServiceModel;
  readonly name: string;
  private readonly opts: QueryServiceOptions;
  private readonly xmlns: string;

  constructor(opts: QueryServiceOptions) {
    this.opts = opts;
    this.model = loadServiceModel(opts.modelFile);
    this.name = this.model.metadata.endpointPrefix;
    this.xmlns = (this.model.metadata as { xmlNamespace?: string }).xmlNamespace ?? `https://${this.name}.amazonaws.com/doc/${this.model.metadata.apiVersion}/`;
  }

  handle(req: IncomingMessage, res: ServerResponse, env: ServiceEnv, rawPath: string, query: URLSearchParams): Promise<void> {
    return serveCall(req, res, env, (requestId) => this.invoke(req, env, rawPath, query, requestId), (err, requestId) => this.renderError(err, requestId));
  }

  private async invoke(req: IncomingMessage, env: ServiceEnv, rawPath: string, query: URLSearchParams, requestId: string): Promise<WireResponse> {
    const body = await readBody(req, this.opts.maxBodyBytes);
    await env.authenticate?.(req, rawPath, query, body, this.name);
    // Parameters come from the query string and, for a form POST, the body (the body wins, as botocore sends it).
    const params = new Map<string, string>();
    for (const [k, v] of query) if (!k.startsWith('X-Amz-')) params.set(k, v);
    if (body.length > 0) for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.set(k, v);
    const action = params.get('Action');
    const version = params.get('Version') ?? this.model.metadata.apiVersion;
    if (action === undefined || action === '') throw new QueryError('MissingAction', 400, 'Missing Action');
    const op = this.model.operations[action];
    if (!op || version !== this.model.metadata.apiVersion) throw invalidAction(action, version);
    const handler = this.opts.handlers[op.name];
    if (!handler) throw new QueryError('InvalidAction', 400, `${op.name} is not available in this version of Gatehouse`);
    const input = bindQueryInput(this.model, op, params);
    // IAM and STS are global: their entities live outside every region's scope.
    const ctx = await authorizedContext(env, req, { service: this.name, operation: op.name, input, rawPath, query, requestId }, () => env.store);
    const output = await handler(input, ctx);
    return { status: 200, headers: { 'Content-Type': 'text/xml' }, body: this.serialize(op, output ?? {}, requestId) };
  }

  private serialize(op: Operation, output: Record<string, unknown>, requestId: string): string {
    const wrapper = (op.output as { resultWrapper?: string } | undefined)?.resultWrapper;
    let result = '';
    if (op.output && wrapper) {
      const shape = this.model.shapes[op.output.shape]!;
      result = `<${wrapper}>${structureXml(this.model, shape, output)}</${wrapper}>`;
    }
    return (
      `<${op.name}Response xmlns="${this.xmlns}">${result}` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${op.name}Response>`
    );
  }

  renderError(err: unknown, requestId: string): WireResponse {
    const e = err instanceof AwsError ? err : internalError(err);
    const type = e.status >= 500 ? 'Receiver' : 'Sender';
    const body =
      `<ErrorResponse xmlns="${this.xmlns}"><Error><Type>${type}</Type><Code>${escapeXml(e.code)}</Code>` +
      `<Message>${escapeXml(e.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
    return { status: e.status, headers: { 'Content-Type': 'text/xml', ...e.headers }, body };
  }
}

function internalError(err: unknown): AwsError {
  console.error('internal error', err);
  return new QueryError('InternalFailure', 500, 'An internal error occurred.');
}

// ---------------------------------------------------------------------------------------------------------------
// Input: flattened form keys → a plain object keyed by member names, then the model's constraints.

export function bindQueryInput(model: ServiceModel, op: Operation, params: Map<string, string>): Record<string, unknown> {
  if (!op.input) return {};
  const shape = model.shapes[op.input.shape]!;
  // Every dotted prefix of every key, so "is there anything under `Tags.member.3`" is one lookup, not a scan.
  const prefixes = new Set<string>();
  for (const key of params.keys()) {
    for (let i = key.indexOf('.'); i !== -1; i = key.indexOf('.', i + 1)) prefixes.add(key.slice(0, i));
  }
  const form: Form = { params, prefixes };
  const input = readStructure(model, shape, form, '') ?? {};
  const problems: string[] = [];
  validate(model, shape, input, '', problems);
  if (problems.length) {
    const n = problems.length;
    throw new QueryError('ValidationError', 400, `${n} validation error${n > 1 ? 's' : ''} detected: ${problems.join('; ')}`);
  }
  return input;
}

interface Form {
  params: Map<string, string>;
  prefixes: Set<string>;
}

function readValue(model: ServiceModel, ref: MemberRef, form: Form, key: string): unknown {
  const { params, prefixes } = form;
  const shape = model.shapes[ref.shape]!;
  switch (shape.type) {
    case 'structure':
      return readStructure(model, shape, form, `${key}.`);
    case 'list': {
      const itemName = shape.member!.locationName ?? 'member';
      // An empty list is sent as the bare key with an empty value (botocore: `Tags=`).
      if (params.get(key) === '' && !prefixes.has(key)) return [];
      const out: unknown[] = [];
      for (let i = 1; ; i++) {
        const itemKey = `${key}.${itemName}.${i}`;
        if (!params.has(itemKey) && !prefixes.has(itemKey)) break;
        const item = readValue(model, shape.member!, form, itemKey);
        // An item with only unknown keys (`PolicyArns.member.1.Junk=`) is an empty structure.
        if (item !== undefined) out.push(item);
        else if (model.shapes[shape.member!.shape]!.type === 'structure') out.push({});
      }
      return out.length ? out : undefined;
    }
    case 'map': {
      const out: Record<string, unknown> = {};
      let any = false;
      for (let i = 1; ; i++) {
        const entry = `${key}.entry.${i}`;
        const k = params.get(`${entry}.${shape.key!.locationName ?? 'key'}`);
        if (k === undefined) break;
        out[k] = readValue(model, shape.value!, form, `${entry}.${shape.value!.locationName ?? 'value'}`);
        any = true;
      }
      return any ? out : undefined;
    }
    default: {
      const v = params.get(key);
      return v === undefined ? undefined : scalar(v, shape);
    }
  }
}

function readStructure(model: ServiceModel, shape: Shape, form: Form, prefix: string): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  let any = false;
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const v = readValue(model, ref, form, `${prefix}${ref.locationName ?? name}`);
    if (v !== undefined) {
      out[name] = v;
      any = true;
    }
  }
  return any || prefix === '' ? out : undefined;
}

function scalar(v: string, shape: Shape): unknown {
  switch (shape.type) {
    case 'integer':
    case 'long': {
      if (!/^-?\d+$/.test(v.trim())) throw new QueryError('MalformedInput', 400, `Invalid value for integer parameter: ${v}`);
      return Number(v);
    }
    case 'double':
    case 'float': {
      const n = Number(v);
      if (v.trim() === '' || !Number.isFinite(n)) throw new QueryError('MalformedInput', 400, `Invalid value for number parameter: ${v}`);
      return n;
    }
    case 'boolean':
      if (v !== 'true' && v !== 'false') throw new QueryError('MalformedInput', 400, `Invalid value for boolean parameter: ${v}`);
      return v === 'true';
    case 'timestamp': {
      const d = /^\d+(\.\d+)?$/.test(v) ? new Date(Number(v) * 1000) : new Date(v);
      if (Number.isNaN(d.getTime())) throw new QueryError('MalformedInput', 400, `Invalid value for timestamp parameter: ${v}`);
      return d;
    }
    case 'blob':
      return Buffer.from(v, 'base64');
    default:
      return v;
  }
}

// AWS names members in awsQuery validation texts by their camel-cased member names: `'userName'`, `'tags.1.member.key'`.
const camel = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

function validate(model: ServiceModel, shape: Shape, value: Record<string, unknown>, path: string, problems: string[]): void {
  const at = (name: string) => `${path}${camel(name)}`;
  for (const req of shape.required ?? []) {
    if (value[req] === undefined) problems.push(`Value null at '${at(req)}' failed to satisfy constraint: Member must not be null`);
  }
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const v = value[name];
    if (v !== undefined) validateValue(model, model.shapes[ref.shape]!, v, at(name), problems);
  }
}

function validateValue(model: ServiceModel, shape: Shape, v: unknown, path: string, problems: string[]): void {
  if (v === undefined || v === null) return;
  switch (shape.type) {
    case 'structure':
      validate(model, shape, v as Record<string, unknown>, `${path}.`, problems);
      return;
    case 'list': {
      const list = v as unknown[];
      lengthProblem(shape, list.length, `'[${list.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ')}]'`, path, problems);
      const member = model.shapes[shape.member!.shape]!;
      list.forEach((item, i) => validateValue(model, member, item, `${path}.${i + 1}.member`, problems));
      return;
    }
    case 'map':
      for (const item of Object.values(v as Record<string, unknown>)) validateValue(model, model.shapes[shape.value!.shape]!, item, path, problems);
      return;
    case 'string': {
      const s = v as string;
      if (shape.enum && !shape.enum.includes(s)) {
        problems.push(`Value '${s}' at '${path}' failed to satisfy constraint: Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
        return;
      }
      lengthProblem(shape, [...s].length, `'${s}'`, path, problems);
      patternProblem(shape, s, path, problems);
      return;
    }
    case 'integer':
    case 'long': {
      rangeProblem(shape, v as number, path, problems);
      return;
    }
    default:
      return;
  }
}


// ---------------------------------------------------------------------------------------------------------------
// Output: the model's shapes as XML.

/** Text content escaped (quotes stay as they are: no user data goes into attributes). */
export function escapeXml(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

function structureXml(model: ServiceModel, shape: Shape, value: Record<string, unknown>): string {
  let out = '';
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const v = value[name];
    if (v === undefined || v === null) continue;
    const tag = ref.locationName ?? name;
    out += `<${tag}>${valueXml(model, ref, v)}</${tag}>`;
  }
  return out;
}

function valueXml(model: ServiceModel, ref: MemberRef, v: unknown): string {
  const shape = model.shapes[ref.shape]!;
  switch (shape.type) {
    case 'structure':
      return structureXml(model, shape, v as Record<string, unknown>);
    case 'list': {
      const tag = shape.member!.locationName ?? 'member';
      return (v as unknown[]).map((item) => `<${tag}>${valueXml(model, shape.member!, item)}</${tag}>`).join('');
    }
    case 'map':
      return Object.entries(v as Record<string, unknown>)
        .map(([k, mv]) => `<entry><key>${escapeXml(k)}</key><value>${valueXml(model, shape.value!, mv)}</value></entry>`)
        .join('');
    case 'timestamp':
      return isoSeconds(v instanceof Date ? v : new Date(v as number));
    case 'blob':
      return Buffer.from(v as Uint8Array).toString('base64');
    default:
      return escapeXml(String(v));
  }
}

/** AWS's XML timestamps: ISO 8601 in UTC, whole seconds (`2026-12-05T20:52:01Z`). */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
