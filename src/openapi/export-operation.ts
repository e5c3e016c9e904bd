// One deployed method as an OpenAPI operation, in the two shapes AWS exports (LocalStack's
// test_apigateway_extended.snapshot.json records both): method request parameters (HashMap order of their
// `method.request.{path|querystring|header}.X` keys) as `parameters`, the request model as a swagger `body`
// parameter named after the model or an oas30 `requestBody`, method responses as `responses` with their headers
// and models; swagger also lists `consumes` (request models' and request templates' media types) and
// `produces` (response models' and response templates' media types).
import type { Method } from '../store/entities.ts';
import { javaHashMapOrder } from './java-order.ts';
import { modelRef } from './export-models.ts';
import type { ExportType } from './export-options.ts';

const LOCATIONS: Record<string, string> = { path: 'path', querystring: 'query', header: 'header' };

interface Parameter {
  name: string;
  in: string;
  required: boolean;
}

function requestParameters(m: Method): Parameter[] {
  const params = m.requestParameters ?? {};
  const out: Parameter[] = [];
  for (const key of javaHashMapOrder(Object.keys(params))) {
    const match = /^method\.request\.(path|querystring|header)\.(.+)$/.exec(key);
    if (!match) continue;
    out.push({ name: match[2]!, in: LOCATIONS[match[1]!]!, required: match[1] === 'path' ? true : params[key] === true });
  }
  return out;
}

function unique(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

/** The request body's model: application/json's if there is one, else the first. */
function bodyModel(m: Method): [string, string] | undefined {
  const models = Object.entries(m.requestModels ?? {});
  return models.find(([ct]) => ct === 'application/json') ?? models[0];
}

function responseHeaders(params: Record<string, boolean> | undefined): string[] {
  const names: string[] = [];
  for (const key of Object.keys(params ?? {})) {
    const match = /^method\.response\.header\.(.+)$/.exec(key);
    if (match) names.push(match[1]!);
  }
  return javaHashMapOrder(names);
}

export function exportOperation(m: Method, type: ExportType, refPrefix: string): Record<string, unknown> {
  const op: Record<string, unknown> = {};
  if (m.operationName !== undefined) op.operationId = m.operationName;
  const integration = m.methodIntegration;
  const responses = m.methodResponses ?? {};
  const codes = javaHashMapOrder(Object.keys(responses));
  if (type === 'swagger') {
    const consumes = unique([...Object.keys(m.requestModels ?? {}), ...Object.keys(integration?.requestTemplates ?? {})]);
    const produces = unique([
      ...codes.flatMap((c) => Object.keys(responses[c]!.responseModels ?? {})),
      ...Object.values(integration?.integrationResponses ?? {}).flatMap((r) => Object.keys(r.responseTemplates ?? {})),
    ]);
    if (consumes.length) op.consumes = consumes;
    if (produces.length) op.produces = produces;
  }
  const parameters: Record<string, unknown>[] = requestParameters(m).map((p) =>
    type === 'swagger'
      ? { name: p.name, in: p.in, required: p.required, type: 'string' }
      : { name: p.name, in: p.in, ...(p.required ? { required: true } : {}), schema: { type: 'string' } },
  );
  const body = bodyModel(m);
  if (body && type === 'swagger') parameters.push({ in: 'body', name: body[1], required: true, schema: modelRef(refPrefix, body[1]) });
  if (parameters.length) op.parameters = parameters;
  if (type === 'oas30' && m.requestModels && Object.keys(m.requestModels).length) {
    const content: Record<string, unknown> = {};
    for (const [ct, name] of Object.entries(m.requestModels)) content[ct] = { schema: modelRef(refPrefix, name) };
    op.requestBody = { content, required: true };
  }
  const out: Record<string, unknown> = {};
  for (const code of codes) {
    const r = responses[code]!;
    const entry: Record<string, unknown> = { description: `${code} response` };
    const models = Object.entries(r.responseModels ?? {});
    const headers = responseHeaders(r.responseParameters);
    if (type === 'swagger') {
      const model = models.find(([ct]) => ct === 'application/json') ?? models[0];
      if (model) entry.schema = modelRef(refPrefix, model[1]);
      if (headers.length) entry.headers = Object.fromEntries(headers.map((h) => [h, { type: 'string' }]));
    } else {
      if (headers.length) entry.headers = Object.fromEntries(headers.map((h) => [h, { schema: { type: 'string' } }]));
      entry.content = Object.fromEntries(models.map(([ct, name]) => [ct, { schema: modelRef(refPrefix, name) }]));
    }
    out[code] = entry;
  }
  op.responses = out;
  return op;
}
