// API Gateway builds its exports with Java maps: most maps of an export (oas30 paths, models, method request
// parameters, response codes, integration parameters and templates) come out in java.util.HashMap iteration
// order, not in the order they were written. Reproducing that order keeps an export byte-comparable with AWS's
// (checked against the exports AWS recorded in LocalStack's tests/aws/services/apigateway/
// test_apigateway_extended.snapshot.json: oas30 paths `/pets`, `/pets/{petId}`, `/`; integration
// requestParameters `…page` before `…type`; responseParameters Methods, Headers, Origin).

/** Java's String.hashCode over UTF-16 code units, as a signed 32-bit int. */
function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** The table size a HashMap filled one put at a time reaches (16, doubled whenever size > 0.75 × capacity). */
function capacityFor(size: number): number {
  let cap = 16;
  while (size > cap * 0.75) cap *= 2;
  return cap;
}

/**
 * Keys in the order a java.util.HashMap<String, …> that received them in this order iterates them: by bucket
 * (the spread hash masked by the capacity), then in insertion order within a bucket (resizes keep that order).
 */
export function javaHashMapOrder(keys: readonly string[]): string[] {
  const mask = capacityFor(keys.length) - 1;
  const bucketOf = (k: string) => {
    const h = javaStringHash(k);
    return (h ^ (h >>> 16)) & mask;
  };
  return keys
    .map((k, i) => ({ k, i, b: bucketOf(k) }))
    .sort((x, y) => x.b - y.b || x.i - y.i)
    .map((e) => e.k);
}

/** A copy of a string-keyed record with its keys in HashMap order. */
export function inHashMapOrder<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(javaHashMapOrder(Object.keys(record)).map((k) => [k, record[k]!]));
}
