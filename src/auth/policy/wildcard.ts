// IAM's wildcards: `*` matches any run of characters (including none, and across `:` and `/`), `?` exactly one.
// Actions compare case-insensitively, resources and condition values case-sensitively. Compiled regexes are cached
// per pattern.

const cache = new Map<string, RegExp>();

export function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  const id = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let re = cache.get(id);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
    if (cache.size >= 10_000) cache.clear();
    cache.set(id, re);
  }
  return re.test(value);
}
