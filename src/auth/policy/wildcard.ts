// IAM's wildcards: `*` matches any run of characters (including none, and across `:` and `/`), `?` exactly one.
// Actions compare case-insensitively, resources and condition values case-sensitively.
//
// Matched with the two-pointer glob walk (on a mismatch, retry from just after the last `*`), at most
// pattern × value steps whatever the pattern. Not with a regex: `.*.*.*…a` backtracks polynomially in the number of
// stars, and a policy author (a resource policy on an API, an identity policy) could stall the process with one
// Resource such as 200 `*` and an `a` (test/security/execute-iam.test.ts).

export function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  if (pattern === '*') return true;
  if (ignoreCase) {
    pattern = pattern.toLowerCase();
    value = value.toLowerCase();
  }
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === value;
  let p = 0;
  let v = 0;
  let star = -1;
  let resume = 0;
  while (v < value.length) {
    const c = p < pattern.length ? pattern.charCodeAt(p) : -1;
    if (c === 42 /* * */) {
      star = p++;
      resume = v;
    } else if (c !== -1 && (c === 63 /* ? */ || c === value.charCodeAt(v))) {
      p++;
      v++;
    } else if (star !== -1) {
      p = star + 1;
      v = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === 42) p++;
  return p === pattern.length;
}
