// binaryMediaTypes matching: exact media types and wildcards (`image/*`, `*/*`), case-insensitive.

export function compileMediaTypeMatcher(types: readonly string[]): (mediaType: string | undefined) => boolean {
  if (types.length === 0) return () => false;
  const exact = new Set<string>();
  const prefixes: string[] = [];
  let any = false;
  for (const raw of types) {
    const t = raw.replace(/~1/g, '/').toLowerCase().trim();
    if (t === '*/*') any = true;
    else if (t.endsWith('/*')) prefixes.push(t.slice(0, -1));
    else exact.add(t);
  }
  return (mediaType) => {
    if (mediaType === undefined) return false;
    if (any || exact.has(mediaType)) return true;
    for (const p of prefixes) if (mediaType.startsWith(p)) return true;
    return false;
  };
}

/** Picks the template whose media type the Accept header asks for first; else application/json; else the first. */
export function selectByAccept<T>(table: Map<string, T>, accept: string | undefined): [string, T] {
  if (accept) {
    for (const entry of accept.split(',')) {
      const mt = entry.split(';')[0]!.trim().toLowerCase();
      if (mt === '') continue;
      const hit = table.get(mt);
      if (hit !== undefined) return [mt, hit];
      if (mt === '*/*') break;
      if (mt.endsWith('/*')) {
        const prefix = mt.slice(0, -1);
        for (const [k, v] of table) if (k.startsWith(prefix)) return [k, v];
      }
    }
  }
  const json = table.get('application/json');
  if (json !== undefined) return ['application/json', json];
  return table.entries().next().value as [string, T];
}
