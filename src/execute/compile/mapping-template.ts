// Mapping templates (request, integration response and gateway response templates) compiled once per deployment.
// A template without `$` or `#` is plain text to Velocity and renders as itself, so it skips the engine (the
// canonical MOCK template `{"statusCode": 200}` is one); the others are compiled by src/vtl.
//
// Templates render inline, on the event loop, within a small slice of their budget (a few ms of work, a few MB);
// one that needs more is rendered again from the same inputs in the render pool's worker threads with the full
// budget (src/vtl/render-pool.ts), and render() returns a promise. Over budget there: VtlLimitError, which the
// pipeline answers with AWS's 500 and an execution-log line naming the cause.
import {
  compileTemplate, DEFAULT_SLICE, NO_REQUEST_OVERRIDE, NO_RESPONSE_OVERRIDE, SliceExhausted, VtlLimitError,
  type CompiledTemplate, type RequestOverride, type ResponseOverride,
} from '../../vtl/index.ts';
import { renderPool } from '../../vtl/render-pool.ts';
import type { MultiMap } from '../headers.ts';

/** What a template sees: $input (body and parameters), $context, $stageVariables (and $util, from the engine). */
export interface TemplateBindings {
  body: string;
  params: { path: Record<string, string>; querystring: MultiMap; header: MultiMap };
  context: Record<string, unknown>;
  stageVariables: Record<string, string>;
}

export interface RenderOutput {
  output: string;
  /** `output` as UTF-8, when known ahead (literal templates): shared between requests, never to be modified. */
  bytes?: Buffer;
  /** What the template (and the request's earlier templates) set in $context.requestOverride. */
  requestOverride?: RequestOverride;
  /** What the template (and the request's earlier templates) set in $context.responseOverride. */
  responseOverride?: ResponseOverride;
}

export interface MappingTemplate {
  /**
   * An empty template (stored as "", answered as null by the control API). A response template that is empty passes
   * the integration response body through unchanged, as on AWS (the Lambda-over-HTTPS tutorial's
   * `"application/json": ""` returns the function's output).
   */
  readonly empty: boolean;
  /**
   * `bindings` is called only by templates that read them (literal templates do not: no $context built). A promise
   * when the template outgrew its inline slice and renders in the pool; with `inlineOnly` (gateway responses,
   * rendered on the synchronous error path) such a template fails with VtlLimitError instead.
   */
  render(bindings: () => TemplateBindings, inlineOnly: true): RenderOutput;
  render(bindings: () => TemplateBindings, inlineOnly?: boolean): RenderOutput | Promise<RenderOutput>;
}

class LiteralTemplate implements MappingTemplate {
  readonly #out: RenderOutput;
  readonly empty: boolean;
  constructor(text: string) {
    this.#out = { output: text, bytes: Buffer.from(text) };
    this.empty = text === '';
  }
  render(): RenderOutput {
    return this.#out;
  }
}

/** $input's parameter maps, converted to single-value records only when a template reads them. */
class LazyParams {
  readonly path: Record<string, string>;
  readonly #source: TemplateBindings['params'];
  #querystring: Record<string, string> | undefined;
  #header: Record<string, string> | undefined;
  constructor(source: TemplateBindings['params']) {
    this.#source = source;
    this.path = source.path;
  }
  get querystring(): Record<string, string> {
    return (this.#querystring ??= this.#source.querystring.single());
  }
  get header(): Record<string, string> {
    return (this.#header ??= this.#source.header.single());
  }
}

class VelocityTemplate implements MappingTemplate {
  readonly empty = false;
  readonly #template: CompiledTemplate;
  constructor(source: string) {
    this.#template = compileTemplate(source);
  }
  render(bindings: () => TemplateBindings, inlineOnly: true): RenderOutput;
  render(bindings: () => TemplateBindings, inlineOnly?: boolean): RenderOutput | Promise<RenderOutput>;
  render(bindings: () => TemplateBindings, inlineOnly = false): RenderOutput | Promise<RenderOutput> {
    const b = bindings();
    try {
      const r = this.#template.renderWithOverrides({
        input: { body: b.body, params: new LazyParams(b.params) },
        context: b.context,
        stageVariables: b.stageVariables,
      }, DEFAULT_SLICE);
      return carry(b.context, { output: r.output, requestOverride: r.requestOverride, responseOverride: r.responseOverride });
    } catch (e) {
      if (!(e instanceof SliceExhausted)) throw e;
      if (inlineOnly) throw new VtlLimitError('time', `Template rendering exceeded the ${e.reason} budget of a synchronous render`);
    }
    return renderPool().render({
      source: this.#template.source,
      body: b.body,
      params: { path: b.params.path, querystring: b.params.querystring.single(), header: b.params.header.single() },
      context: b.context,
      stageVariables: b.stageVariables,
    }).then((r) => carry(b.context, { output: r.output, requestOverride: r.requestOverride, responseOverride: r.responseOverride }));
  }
}

// ---- overrides carried from template to template

/**
 * `$context` is one per request: what a template sets in `$context.requestOverride` / `responseOverride` is seen by
 * the request's later templates (the response template reads what the request template set), and a response
 * override the request template set applies even when no response template runs (recorded on AWS: LocalStack's
 * test_integration_mock_with_request_overrides_in_response_template and
 * test_integration_mock_with_response_override_in_request_template[True|False]). The request's plain $context data
 * (TemplateBindings.context, one object per request) carries them: the next render seeds its override maps from
 * it (src/vtl/bindings/context.ts). Typed copies are kept here, keyed by that object, for the pipeline to apply.
 */
const carried = new WeakMap<object, { request: RequestOverride; response: ResponseOverride }>();

function isEmpty(r: Record<string, string>): boolean {
  for (const _ in r) return false;
  return true;
}

/** What a render set, merged over what earlier renders of the request set, and left in the request's $context. */
function carry(context: Record<string, unknown>, r: RenderOutput): RenderOutput {
  const req = r.requestOverride!;
  const res = r.responseOverride!;
  // Nearly every render: the template never touched its overrides (shared constants), and no earlier one did.
  if (req === NO_REQUEST_OVERRIDE && res === NO_RESPONSE_OVERRIDE && !carried.has(context)) return r;
  const before = carried.get(context);
  if (before === undefined && isEmpty(req.header) && isEmpty(req.querystring) && isEmpty(req.path)
    && res.status === null && isEmpty(res.header) && isEmpty(res.others)) return r;
  const request: RequestOverride = {
    header: { ...before?.request.header, ...req.header },
    querystring: { ...before?.request.querystring, ...req.querystring },
    path: { ...before?.request.path, ...req.path },
  };
  const response: ResponseOverride = {
    status: res.status ?? before?.response.status ?? null,
    header: { ...before?.response.header, ...res.header },
    others: { ...before?.response.others, ...res.others },
  };
  carried.set(context, { request, response });
  // The plain shape templates read back: $context.responseOverride.status, .header.NAME, .custom…
  context.requestOverride = request;
  context.responseOverride = response.status === null
    ? { ...response.others, header: response.header }
    : { ...response.others, header: response.header, status: response.status };
  return { ...r, requestOverride: request, responseOverride: response };
}

/**
 * The response override earlier templates of the request set (its request template), for an integration response
 * without a template of its own; undefined when none (and always when no template built the request's $context).
 */
export function carriedResponseOverride(context: Record<string, unknown> | undefined): ResponseOverride | undefined {
  return context === undefined ? undefined : carried.get(context)?.response;
}

/** Compiles a template; throws VtlSyntaxError (with line and column) on invalid syntax. */
export function compileMappingTemplate(source: string): MappingTemplate {
  if (source.indexOf('$') === -1 && source.indexOf('#') === -1) return new LiteralTemplate(source);
  return new VelocityTemplate(source);
}

/** Templates keyed by lowercased media type; undefined when the table is empty. */
export function compileTemplateTable(table: Record<string, string> | undefined): Map<string, MappingTemplate> | undefined {
  if (!table) return undefined;
  const entries = Object.entries(table);
  if (entries.length === 0) return undefined;
  const out = new Map<string, MappingTemplate>();
  for (const [contentType, source] of entries) out.set(contentType.toLowerCase(), compileMappingTemplate(source));
  return out;
}
