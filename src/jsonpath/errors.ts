// Failures of JSONPath compilation and evaluation, named after the Java exception Jayway JsonPath 2.0.0 raises, so
// callers (and the golden tests) can tell an invalid path from a runtime type error.

export class JsonPathError extends Error {
  /** Simple name of the Java exception Jayway raises here, e.g. `InvalidPathException`, `NumberFormatException`. */
  readonly javaException: string;
  constructor(javaException: string, message: string) {
    super(message);
    this.name = 'JsonPathError';
    this.javaException = javaException;
  }
}

/**
 * Jayway's PathNotFoundException. It is control flow inside evaluation (wildcards over arrays swallow it, filters
 * turn it into `false`), so it is a preallocated sentinel rather than an Error: throwing it captures no stack.
 */
export const PATH_NOT_FOUND: unique symbol = Symbol('PathNotFoundException');

export function invalidPath(message: string): JsonPathError {
  return new JsonPathError('InvalidPathException', message);
}
