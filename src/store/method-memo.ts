// Values kept per method of a stage (its merged method settings, caching, throttle buckets), found by resource path
// and HTTP method. Two lookups of strings that come from the compiled deployment and the request line, whose hashes
// V8 has already computed, rather than a `${resourcePath}/${httpMethod}` key built and hashed on every request.
export class MethodMemo<V> {
  readonly #byPath = new Map<string, Map<string, V>>();

  get(resourcePath: string, httpMethod: string): V | undefined {
    return this.#byPath.get(resourcePath)?.get(httpMethod);
  }

  set(resourcePath: string, httpMethod: string, value: V): V {
    let byMethod = this.#byPath.get(resourcePath);
    if (byMethod === undefined) this.#byPath.set(resourcePath, (byMethod = new Map()));
    byMethod.set(httpMethod, value);
    return value;
  }
}
