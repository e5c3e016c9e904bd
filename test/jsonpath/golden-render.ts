// Renders a JSONPath golden case file the way the oracle (JpOracle.java) prints Jayway's answers:
// `D <json list of the value>`, `I <json list>`, `NOTFOUND`, or `ERROR: <ExceptionClass>: <message>`.
// Error messages are Jayway's own; comparisons stop at the exception class name.

import { compileJsonPath, JsonPathError } from '../../src/jsonpath/index.ts';
import { parseJavaJson, stringifyJavaJson } from '../../src/jsonpath/json.ts';

export interface GoldenCases {
  doc: string;
  paths: string[];
}

export function renderCase(doc: ReturnType<typeof parseJavaJson>, path: string): string {
  try {
    const compiled = compileJsonPath(path);
    const value = compiled.evaluate(doc);
    if (value === undefined) return 'NOTFOUND';
    return compiled.definite ? `D ${stringifyJavaJson([value])}` : `I ${stringifyJavaJson(value)}`;
  } catch (e) {
    if (e instanceof JsonPathError) return `ERROR: ${e.javaException}: ${e.message}`;
    throw e;
  }
}

/** Reduces `ERROR: Class: message` to `ERROR: Class` so outputs compare on what our implementation reproduces. */
export function comparable(line: string): string {
  const m = /^ERROR: (\w+)/.exec(line);
  return m ? `ERROR: ${m[1]}` : line;
}
