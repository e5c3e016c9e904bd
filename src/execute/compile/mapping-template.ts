// Mapping templates (request, integration response and gateway response templates) compiled once per deployment.
// A template without `$` or `#` is plain text to Velocity and renders as itself, so it skips the engine (the
// canonical MOCK template `{"statusCode": 200}` is one); the others are compiled by src/vtl.
//
// Templates render inline, on the event loop, within a small slice of their budget (a few ms of work, a few MB);
// one that needs more is rendered again from the same inputs in the render pool's worker threads with the full
// budget (src/vtl/render-pool.ts), and render() returns a promise. Over budget there: VtlLimitError, which the
// pipeline answers with AWS's 500 and an execution-log line naming the cause.
import { compileTemplate, DEFAULT_SLICE, SliceExhausted, VtlLimitError, type CompiledTemplate } from '../../vtl/index.ts';
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
  /** What the template set in $context.requestOverride (request templates). */
  requestOverride?: { header: Record<string, string>; querystring: Record<string, string>; path: Record<string, string> };
  /** What the template set in $context.responseOverride (response templates). */
  responseOverride?: { status: number | null; header: Record<string, string> };
}

export interface MappingTemplate {
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
  constructor(text: string) {
    this.#out = { output: text, bytes: Buffer.from(text) };
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
      return { output: r.output, requestOverride: r.requestOverride, responseOverride: r.responseOverride };
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
    });
  }
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
