// The iteration order of a java.util.HashMap<String, …>, which is the order API Gateway writes a Lambda
// authorizer's map in ($context.authorizer, the proxy event's requestContext.authorizer): a recording on real AWS
// (DefinitelyTyped/DefinitelyTyped#69823) shows context {str, num, bool, null} answered as
// {"str","bool","null","num","principalId","integrationLatency"} — exactly HashMap's bucket order for those keys.
// Buckets are (h ^ h >>> 16) & (capacity - 1) of String.hashCode(); the capacity starts at 16 and doubles whenever
// the size passes 0.75 of it; within a bucket entries keep their insertion order (resizing preserves it). Bins
// that Java turns into trees (8+ colliding keys in a table of 64+) are not modelled.
import { javaHash } from '../../vtl/java-methods.ts';

const bucketOf = (key: string, capacity: number): number => {
  const h = javaHash(key);
  return (h ^ (h >>> 16)) & (capacity - 1);
};

/** `keys` (distinct, in insertion order) in the order a HashMap filled in that order iterates them. */
export function hashMapOrder(keys: readonly string[]): string[] {
  let capacity = 16;
  while (keys.length > capacity * 0.75) capacity *= 2;
  return keys
    .map((key, i) => ({ key, i, bucket: bucketOf(key, capacity) }))
    .sort((a, b) => a.bucket - b.bucket || a.i - b.i)
    .map((e) => e.key);
}
