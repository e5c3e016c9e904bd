// Rendering a GatewayError as AWS's gateway response: the API's override for the type if any, else its
// DEFAULT_4XX / DEFAULT_5XX override (by the type's status class), else AWS's default; status, response
// parameters (`gatewayresponse.header.X`) and templates chosen by Accept, with $context.error.* bound.
import type { GatewayResponse } from '../../store/entities.ts';
import { MultiMap } from '../headers.ts';
import { compileMappings, type CompiledMapping, type MappingScope } from '../compile/parameter-mapping.ts';
import { compileTemplateTable, type MappingTemplate, type TemplateBindings } from '../compile/mapping-template.ts';
import { selectByAccept } from '../compile/media-types.ts';
import { GATEWAY_RESPONSE_TYPES, type GatewayError, type GatewayResponseType } from './gateway-errors.ts';

interface CompiledGatewayResponse {
  statusCode: number | undefined;
  parameters: CompiledMapping[];
  templates: Map<string, MappingTemplate> | undefined;
}

export type GatewayResponseTable = ReadonlyMap<string, CompiledGatewayResponse>;

const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';

export function compileGatewayResponses(responses: readonly GatewayResponse[]): GatewayResponseTable {
  const table = new Map<string, CompiledGatewayResponse>();
  for (const r of responses) {
    if (r.defaultResponse === true && !r.statusCode && !r.responseParameters && !r.responseTemplates) continue;
    let templates: Map<string, MappingTemplate> | undefined;
    let parameters: CompiledMapping[];
    try {
      const own = r.responseTemplates ?? {};
      // The default template is rendered natively below; only user templates need compiling.
      const userTemplates = Object.fromEntries(Object.entries(own).filter(([, t]) => t !== DEFAULT_TEMPLATE));
      templates = Object.keys(own).length === 0 ? undefined : (compileTemplateTable(userTemplates) ?? new Map());
      if (templates) for (const [k, t] of Object.entries(own)) if (t === DEFAULT_TEMPLATE) templates.set(k.toLowerCase(), DEFAULT);
      parameters = compileMappings(r.responseParameters, 'gatewayresponse.', ['header'], 'gateway');
    } catch {
      // A broken override must not take the error path down with it: AWS's default answers instead.
      continue;
    }
    table.set(r.responseType, { statusCode: r.statusCode ? Number(r.statusCode) : undefined, parameters, templates });
  }
  return table;
}

/** AWS's default body for a response type (see GATEWAY_RESPONSE_TYPES' `spaced`). */
function defaultBody(type: GatewayResponseType, message: string | null, key: 'message' | 'Message' = 'message'): string {
  if (key === 'Message') return `{"Message":${JSON.stringify(message)}}`;
  return GATEWAY_RESPONSE_TYPES[type].spaced ? `{"message": ${JSON.stringify(message)}}` : `{"message":${JSON.stringify(message)}}`;
}

/** An error's $context.error.message: null for the errors AWS answers without one (AuthorizerConfigurationError). */
const messageOf = (err: GatewayError): string | null => ((err as { messageIsNull?: boolean }).messageIsNull ? null : err.message);

/** Marker for the default template, rendered without the template engine. */
const DEFAULT: MappingTemplate = {
  empty: false,
  render: (bindings) => {
    const error = (bindings().context.error ?? { message: '', responseType: 'DEFAULT_4XX' }) as { message: string | null; responseType: GatewayResponseType };
    return { output: defaultBody(error.responseType, error.message) };
  },
};

export interface RenderedResponse {
  statusCode: number;
  headers: MultiMap;
  body: string;
}

export interface GatewayResponseScope {
  /** Method request parameters and stage variables for response parameters; undefined before routing. */
  mapping: MappingScope | undefined;
  bindings: () => TemplateBindings;
  accept: string | undefined;
}

export function renderGatewayResponse(err: GatewayError, table: GatewayResponseTable | undefined, scope: GatewayResponseScope): RenderedResponse {
  const type = err.responseType;
  const info = GATEWAY_RESPONSE_TYPES[type];
  const own = table?.get(type);
  const inherited = own ?? table?.get(info.status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX');
  const statusCode = own?.statusCode ?? err.status ?? (type === 'DEFAULT_4XX' || type === 'DEFAULT_5XX' ? inherited?.statusCode : undefined) ?? info.status;
  const headers = new MultiMap(true);
  let body: string;
  let contentType = 'application/json';
  if (inherited?.templates && inherited.templates.size > 0) {
    const [mediaType, template] = selectByAccept(inherited.templates, scope.accept);
    contentType = mediaType;
    try {
      // Inline only: the error path is synchronous (a template that outgrows its slice gets the default body).
      body = template.render(scope.bindings, true).output;
    } catch {
      body = defaultBody(type, messageOf(err), err.bodyKey);
    }
  } else {
    body = defaultBody(type, messageOf(err), err.bodyKey);
  }
  headers.set('Content-Type', contentType);
  if (inherited && inherited.parameters.length > 0 && scope.mapping) {
    for (const m of inherited.parameters) {
      const v = m.read(scope.mapping);
      if (v !== undefined) headers.set(m.targetName, v.join(','));
    }
  } else if (inherited && scope.mapping === undefined) {
    // Before routing only static values can be mapped.
    for (const m of inherited.parameters) {
      const v = m.read({ stageVariables: {}, context: () => ({}) });
      if (v !== undefined) headers.set(m.targetName, v.join(','));
    }
  }
  headers.set('x-amzn-ErrorType', err.errorType ?? errorTypeOf(type));
  return { statusCode, headers, body };
}

function errorTypeOf(type: GatewayResponseType): string {
  return GATEWAY_RESPONSE_TYPES[type].errorType;
}
