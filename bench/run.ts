// `npm run bench [-- area ...]`: runs the benchmarks one after another (control, vtl, jsonpath, execute, lambda, cache, traffic, scale-out, export, openapi, observe),
// or only the named areas. Each prints its own figures; bench/README.md records them.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const BENCHES: Record<string, string[]> = {
  control: ['bench/control/control.bench.ts'],
  vtl: ['bench/vtl/render.bench.ts'],
  jsonpath: ['bench/jsonpath/path.bench.ts'],
  execute: ['bench/execute/pipeline.bench.ts', 'bench/execute/resource-policy.bench.ts', 'bench/execute/run.ts', 'bench/execute/https.ts', 'bench/execute/aws-integration.bench.ts'],
  lambda: ['bench/lambda/lambda.bench.ts'],
  cache: ['bench/cache/cache.bench.ts'],
  traffic: ['bench/traffic/run.ts'],
  'scale-out': ['bench/scale-out/run.ts', 'bench/scale-out/nodes.bench.ts', 'bench/scale-out/control.bench.ts'],
  export: ['bench/openapi/export.bench.ts'],
  openapi: ['bench/openapi/openapi.bench.ts'],
  observe: ['bench/observe/metrics.bench.ts', 'bench/observe/logging.bench.ts'],
};

const root = join(import.meta.dirname, '..');
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !BENCHES[w]);
if (unknown.length) {
  console.error(`unknown benchmark area(s): ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
let failed = false;
for (const area of wanted.length ? wanted : Object.keys(BENCHES)) {
  for (const script of BENCHES[area]!) {
    console.log(`\n=== ${area}: ${script}`);
    const r = spawnSync(process.execPath, [join(root, script)], { stdio: 'inherit', cwd: root });
    if (r.status !== 0) failed = true;
  }
}
process.exit(failed ? 1 : 0);
