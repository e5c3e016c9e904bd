// What templates and parameter mappings of a routed invocation see: $input over the given body and the method
// request parameters, $context (built once per request, shared by templates and mappings), $stageVariables;
// mappings read the body parsed as JSON on first use.
import type { TemplateBindings } from '../compile/mapping-template.ts';
import { contextOf } from '../context-variables.ts';
import type { Routed } from '../invocation.ts';
import type { MappingScope } from '../compile/parameter-mapping.ts';
import { parseJavaJson, type JavaValue } from '../../jsonpath/json.ts';

export function templateBindings(inv: Routed, body: string): TemplateBindings {
  return {
    body,
    params: { path: inv.pathParameters, querystring: inv.query, header: inv.headers },
    context: contextOf(inv),
    stageVariables: inv.stageVariables,
  };
}

/** The body parsed as JSON on first call, then remembered; undefined when it is not JSON. */
export function lazyJson(text: () => string): () => JavaValue | undefined {
  let json: JavaValue | undefined | null = null;
  return () => {
    if (json === null) {
      try {
        json = parseJavaJson(text());
      } catch {
        json = undefined;
      }
    }
    return json;
  };
}

export function mappingScope(inv: Routed, bodyText: () => string): MappingScope {
  return {
    path: inv.pathParameters,
    query: inv.query,
    headers: inv.headers,
    body: bodyText,
    json: lazyJson(bodyText),
    stageVariables: inv.stageVariables,
    context: () => contextOf(inv),
  };
}
