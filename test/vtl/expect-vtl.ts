// A small fluent bench for template tests: expectVtl(src).withBody('{"a":1}').toRender('1').
import assert from 'node:assert/strict';
import { compileTemplate, type CompileOptions, type RenderResult, type TemplateBindings } from '../../src/vtl/index.ts';

type Params = { path?: Record<string, string>; querystring?: Record<string, string>; header?: Record<string, string> };

class Expectation {
  private readonly source: string;
  private body = '';
  private params: Params = {};
  private context: Record<string, unknown> | Map<string, unknown> = {};
  private stageVariables: Record<string, string> = {};
  private variables: Record<string, unknown> = {};
  private options: CompileOptions = {};

  constructor(source: string) {
    this.source = source;
  }

  withBody(body: string): this {
    this.body = body;
    return this;
  }
  withParams(params: Params): this {
    this.params = params;
    return this;
  }
  withContext(context: Record<string, unknown> | Map<string, unknown>): this {
    this.context = context;
    return this;
  }
  withStageVariables(vars: Record<string, string>): this {
    this.stageVariables = vars;
    return this;
  }
  withVariables(vars: Record<string, unknown>): this {
    this.variables = vars;
    return this;
  }
  withOptions(options: CompileOptions): this {
    this.options = options;
    return this;
  }

  bindings(): TemplateBindings {
    return {
      input: { body: this.body, params: { path: {}, querystring: {}, header: {}, ...this.params } },
      context: this.context,
      stageVariables: this.stageVariables,
      variables: this.variables,
    };
  }

  render(): RenderResult {
    return compileTemplate(this.source, this.options).renderWithOverrides(this.bindings());
  }

  toRender(expected: string): RenderResult {
    const result = this.render();
    assert.equal(result.output, expected);
    return result;
  }

  toThrow(check: (e: unknown) => boolean | void): void {
    assert.throws(() => this.render(), (e) => check(e) !== false);
  }
}

export function expectVtl(source: string): Expectation {
  return new Expectation(source);
}
