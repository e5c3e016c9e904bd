// IAM's wildcards: `*` matches any run of characters (including none, and across `:` and `/`), `?` exactly one.
// Actions compare case-insensitively, resources and condition values case-sensitively.
//
// Never with a regex: `.*.*.*…a` backtracks polynomially in the number of stars, and a policy author (a resource
// policy on an API, an identity policy) could stall the process with one Resource such as 200 `*` and an `a`
// (test/security/execute-iam.test.ts). A pattern is compiled once (cached) into the literal runs between its stars:
// the first must start the value, the last end it, the others are found left to right with indexOf — the leftmost
// match is always the right choice for `*`, so this is linear. Patterns with `?` take the two-pointer glob walk
// (on a mismatch, retry from just after the last `*`), at most pattern × value steps.

interface Glob {
  /** The runs between stars (`a*b*c` → a, b, c); a single run when there is no star. */
  runs: string[];
  /** Whether the pattern has a `?` (then the two-pointer walk decides). */
  question: boolean;
  /** The sum of the runs' lengths: shorter values cannot match. */
  minLength: number;
}

const globs = new Map<string, Glob>();

function globOf(pattern: string): Glob {
  let g = globs.get(pattern);
  if (g === undefined) {
    const runs = pattern.split('*');
    g = { runs, question: pattern.includes('?'), minLength: runs.reduce((n, r) => n + r.length, 0) };
    if (globs.size >= 10_000) globs.clear();
    globs.set(pattern, g);
  }
  return g;
}

export function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  if (pattern === '*' || pattern === value) return true;
  if (ignoreCase && (hasUpper(pattern) || hasUpper(value))) {
    pattern = pattern.toLowerCase();
    value = value.toLowerCase();
    if (pattern === value) return true;
  }
  const g = globOf(pattern);
  if (g.runs.length === 1 && !g.question) return false; // no wildcard, and not equal
  if (value.length < g.minLength) return false;
  if (g.question) return walk(pattern, value);
  const runs = g.runs;
  const first = runs[0]!;
  const last = runs[runs.length - 1]!;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;
  let at = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < runs.length - 1; i++) {
    const run = runs[i]!;
    if (run === '') continue;
    const found = value.indexOf(run, at);
    if (found === -1 || found + run.length > end) return false;
    at = found + run.length;
  }
  return at <= end;
}

/** The two-pointer glob walk, for patterns with `?`. */
function walk(pattern: string, value: string): boolean {
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

/** Whether lowering could change the text (actions are mostly written in their canonical case already). */
function hasUpper(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c > 127) return true;
  }
  return false;
}
