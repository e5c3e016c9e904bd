// Mapping templates (request, integration response and gateway response templates) compiled once per deployment.
// A template without `$` or `#` is plain text to Velocity and renders as itself, so it skips the engine (the
// canonical MOCK template `{"statusCode": 200}` is one); the others are compiled by src/vtl.
import { compileTemplate, type CompiledTemplate } from '../../vtl/index.ts';
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
  /** `bindings` is called only by templates that read them (literal templates do not: no $context built). */
  render(bindings: () => TemplateBindings): RenderOutput;
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
  render(bindings: () => TemplateBindings): RenderOutput {
    const b = bindings();
    const r = this.#template.renderWithOverrides({
      input: { body: b.body, params: new LazyParams(b.params) },
      context: b.context,
      stageVariables: b.stageVariables,
    });
    return { output: r.output, requestOverride: r.requestOverride, responseOverride: r.responseOverride };
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
