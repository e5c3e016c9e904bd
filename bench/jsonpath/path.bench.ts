// Micro benchmark: nanoseconds per JSONPath evaluation on a small API Gateway-sized body, for the fast path
// (`$.a.b`), an index path, a cached compile lookup and the generic interpreter (filter, deep scan).
// Run: ./node_modules/.bin/node bench/jsonpath/path.bench.ts   (figures in bench/jsonpath/README.md)

import { compileJsonPath } from '../../src/jsonpath/index.ts';
import { parseJavaJson, type JavaValue } from '../../src/jsonpath/json.ts';

const doc = parseJavaJson(JSON.stringify({
  a: { b: 'value', c: 3 },
  owner: { id: 7, name: 'Ana' },
  items: Array.from({ length: 10 }, (_, i) => ({ sku: `S${i}`, qty: i % 3, price: 2.5 * i })),
}));

interface Case {
  name: string;
  run: (doc: JavaValue) => unknown;
}

const cases: Case[] = [
  { name: '$.a.b (fast path)', run: ((p) => (d) => p.evaluate(d))(compileJsonPath('$.a.b')) },
  { name: "$['owner']['name'] (fast path)", run: ((p) => (d) => p.evaluate(d))(compileJsonPath("$['owner']['name']")) },
  { name: '$.items[3].sku (fast path)', run: ((p) => (d) => p.evaluate(d))(compileJsonPath('$.items[3].sku')) },
  { name: 'compileJsonPath($.a.b) cache hit + evaluate', run: (d) => compileJsonPath('$.a.b').evaluate(d) },
  { name: '$.items[?(@.price < 10)].sku (10 items)', run: ((p) => (d) => p.evaluate(d))(compileJsonPath('$.items[?(@.price < 10)].sku')) },
  { name: '$.items[*].sku (10 items)', run: ((p) => (d) => p.evaluate(d))(compileJsonPath('$.items[*].sku')) },
  { name: '$..sku (deep scan)', run: ((p) => (d) => p.evaluate(d))(compileJsonPath('$..sku')) },
];

function measure(c: Case): number {
  let sink = 0;
  const batch = 20_000;
  for (let i = 0; i < batch * 5; i++) if (c.run(doc) !== undefined) sink++; // warm up (JIT)
  const rounds: number[] = [];
  for (let r = 0; r < 15; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) if (c.run(doc) !== undefined) sink++;
    rounds.push(Number(process.hrtime.bigint() - start) / batch);
  }
  if (sink === -1) console.log('unreachable');
  rounds.sort((x, y) => x - y);
  return rounds[Math.floor(rounds.length / 2)]!;
}

console.log(`node ${process.version}, ${process.arch}`);
for (const c of cases) console.log(`${c.name.padEnd(48)} ${measure(c).toFixed(1).padStart(8)} ns/eval (median of 15 rounds)`);
