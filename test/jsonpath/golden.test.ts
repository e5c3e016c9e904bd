// Golden JSONPath cases: every path in golden/cases-*.json was evaluated by real Jayway JsonPath (the oracle in
// ../shared/tools/vtl-oracle, see golden/README.md) and its answer stored in cases-*.out.json. Results must match
// byte for byte; for errors, the Java exception class must match (messages are Jayway's internals).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJavaJson } from '../../src/jsonpath/json.ts';
import { comparable, renderCase, type GoldenCases } from './golden-render.ts';

const dir = join(import.meta.dirname, 'golden');

/**
 * Where Gatehouse differs from Jayway on purpose, with the reason. Filter regexes run on a linear-time engine
 * (src/regex), so what needs backtracking (lookahead, backreferences) is refused as an invalid path instead of
 * matched: a request body must not be able to freeze the server.
 */
const DEVIATIONS: Record<string, string> = {
  '$[?(@ =~ /a(?=b)bc/)]': 'ERROR: InvalidPathException: java.util.regex.PatternSyntaxException: Lookahead (?=…) is not supported (Gatehouse runs regular expressions on RE2, a linear-time engine)',
};
const files = readdirSync(dir).filter((f) => /^cases-[\w-]+\.json$/.test(f) && !f.endsWith('.out.json')).sort();

test('the golden corpus holds at least 150 cases', () => {
  let count = 0;
  for (const f of files) count += (JSON.parse(readFileSync(join(dir, f), 'utf8')) as GoldenCases).paths.length;
  assert.ok(count >= 150, `only ${count} cases`);
});

for (const file of files) {
  describe(file, () => {
    const cases = JSON.parse(readFileSync(join(dir, file), 'utf8')) as GoldenCases;
    const expected = JSON.parse(readFileSync(join(dir, file.replace(/\.json$/, '.out.json')), 'utf8')) as Record<string, string>;
    const doc = parseJavaJson(cases.doc);
    for (const path of cases.paths) {
      test(JSON.stringify(path), () => {
        const want = DEVIATIONS[path] ?? expected[path];
        assert.notEqual(want, undefined, 'no oracle output for this path: regenerate the golden file');
        const got = renderCase(doc, path);
        if (want!.startsWith('ERROR: ')) assert.equal(comparable(got), comparable(want!));
        else assert.equal(got, want);
      });
    }
  });
}
