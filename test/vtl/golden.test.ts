// The golden corpus: every case in golden/cases-*.json was rendered by real Apache Velocity 1.7 (golden/render.sh),
// once as plain Velocity (cases-X.velocity.json) and once with API Gateway's null rendering (cases-X.aws.json).
// Gatehouse must produce the same bytes in both modes; where API Gateway is documented to differ from Velocity,
// golden/aws-differences.json gives the AWS output and its source (see AWS-DIFFERENCES.md).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { JavaDouble, parseJavaJson, type JavaValue } from '../../src/jsonpath/json.ts';
import { VtlLimitError, VtlRuntimeError, VtlSyntaxError, compileTemplate } from '../../src/vtl/index.ts';

const dir = join(import.meta.dirname, 'golden');
const defaults = parseJavaJson(readFileSync(join(dir, 'defaults.json'), 'utf8')) as Map<string, JavaValue>;
const differences = JSON.parse(readFileSync(join(dir, 'aws-differences.json'), 'utf8')) as Record<
  string, { aws: string; source: string }
>;

function record(v: JavaValue | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (v instanceof Map) for (const [k, val] of v) out[k] = String(val);
  return out;
}

/** A deep copy: templates mutate lists and maps, and every render starts from the case's data. */
function clone(v: JavaValue): JavaValue {
  if (Array.isArray(v)) return v.map(clone);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, clone(x)]));
  return v instanceof JavaDouble ? v : v;
}

/** Plain Velocity has no loop limit; API Gateway's 1,000-iteration limit is the engine's default. */
function options(mode: 'empty' | 'literal') {
  return mode === 'literal' ? { dialect: 'velocity' as const, limits: { maxLoopIterations: Number.MAX_SAFE_INTEGER } } : { dialect: 'api-gateway' as const };
}

function render(c: Map<string, JavaValue>, mode: 'empty' | 'literal'): string {
  const field = (k: string) => (c.has(k) ? c.get(k)! : defaults.get(k)!);
  const params = field('params') as Map<string, JavaValue>;
  const vars = field('vars');
  const t = compileTemplate(c.get('tpl') as string, options(mode));
  try {
    return t.render({
      input: {
        body: field('body') as string,
        params: { path: record(params.get('path')), querystring: record(params.get('querystring')), header: record(params.get('header')) },
      },
      // A context map is used as given (the oracle's $context is the plain map, without override maps).
      context: clone(field('context')) as Map<string, unknown>,
      stageVariables: record(field('stageVariables')),
      variables: vars instanceof Map ? Object.fromEntries(clone(vars) as Map<string, JavaValue>) : {},
    });
  } catch (e) {
    if (e instanceof VtlRuntimeError) return `ERROR: ${e.javaException}`;
    if (e instanceof VtlLimitError) return `ERROR: limit`;
    throw e;
  }
}

function renderSafe(c: Map<string, JavaValue>, mode: 'empty' | 'literal'): string {
  try {
    return render(c, mode);
  } catch (e) {
    if (e instanceof VtlSyntaxError) return 'ERROR: ParseErrorException';
    throw e;
  }
}

/** Oracle errors are compared by Velocity exception class only; messages are Java's. */
function normalize(expected: string): string {
  const m = /^ERROR: (\w+):/.exec(expected);
  return m ? `ERROR: ${m[1]}` : expected;
}

const files = readdirSync(dir).filter((f) => /^cases-[\w-]+\.json$/.test(f) && !/\.(velocity|aws)\.json$/.test(f)).sort();

let total = 0;
for (const file of files) {
  const cases = parseJavaJson(readFileSync(join(dir, file), 'utf8')) as Map<string, JavaValue>[];
  const velocity = JSON.parse(readFileSync(join(dir, file.replace(/\.json$/, '.velocity.json')), 'utf8')) as Record<string, string>;
  const aws = JSON.parse(readFileSync(join(dir, file.replace(/\.json$/, '.aws.json')), 'utf8')) as Record<string, string>;
  total += cases.length;
  describe(file, () => {
    for (const c of cases) {
      const name = c.get('name') as string;
      test(name, () => {
        assert.ok(Object.hasOwn(velocity, name), `no Velocity output for ${name}: run golden/render.sh`);
        assert.equal(renderSafe(c, 'literal'), normalize(velocity[name]!), 'plain Velocity 1.7 rendering');
        const expectedAws = Object.hasOwn(differences, name) ? differences[name]!.aws : normalize(aws[name]!);
        assert.equal(renderSafe(c, 'empty'), expectedAws, 'API Gateway rendering');
      });
    }
  });
}

test('the corpus has at least 300 cases, all named uniquely', () => {
  assert.ok(total >= 300, `only ${total} cases`);
  const names = files.flatMap((f) =>
    (parseJavaJson(readFileSync(join(dir, f), 'utf8')) as Map<string, JavaValue>[]).map((c) => c.get('name')));
  assert.equal(new Set(names).size, names.length);
});
