// OpenAPI benchmark (issue 12, Performance): against one Gatehouse pinned to CPU 0, from this process:
//   1. ImportRestApi of the corpus's 500-path definition (target ≤ 1 s), and PutRestApi overwrite of it; the
//      baseline in the same run is the import of a 1-path definition (the fixed cost of a call).
//   2. GetExport of that API deployed, Swagger 2.0 and OpenAPI 3.0 with extensions (target ≤ 200 ms).
//   3. `gatehouse import --watch` (watchDefinition, the code the CLI runs) on a 50-path YAML file: time from the
//      write of a changed file to the printed line, the new deployment being in place (target ≤ 300 ms). It
//      includes the 25 ms debounce.
// Medians of several runs (after one warm-up). Run: ./node_modules/.bin/node bench/openapi/openapi.bench.ts
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import * as AG from '@aws-sdk/client-api-gateway';
import { startPinnedServer } from '../execute/bench-server.ts';
import { tempDataDir } from '../../test/helpers/temp.ts';
import { largeDefinition } from '../../test/openapi/corpus/generate-large.ts';
import { readDefinition, watchDefinition } from '../../src/cli/import.ts';

function writeThen(file: string, bytes: Buffer): string {
  writeFileSync(file, bytes);
  return file;
}

const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(0)} ms`;

async function timed(run: () => Promise<unknown>): Promise<number[]> {
  await run(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await run();
    out.push(performance.now() - t0);
  }
  return out;
}

const server = await startPinnedServer([join(import.meta.dirname, 'server.ts')]);
const endpoint = `http://127.0.0.1:${server.port}`;
const ag = new AG.APIGatewayClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 1 });
const large = readFileSync(join(import.meta.dirname, '..', '..', 'test', 'openapi', 'corpus', 'large-500-paths.json'));
const small = Buffer.from(JSON.stringify(largeDefinition(1)));

try {
  const rows: Array<[string, number[], string]> = [];
  rows.push(['ImportRestApi, 1 path (baseline)', await timed(() => ag.send(new AG.ImportRestApiCommand({ body: small }))), '']);
  let id = '';
  rows.push(['ImportRestApi, 500 paths', await timed(async () => (id = (await ag.send(new AG.ImportRestApiCommand({ body: large }))).id!)), '≤ 1000 ms']);
  rows.push(['PutRestApi overwrite, 500 paths', await timed(() => ag.send(new AG.PutRestApiCommand({ restApiId: id, mode: 'overwrite', body: large }))), '']);
  await ag.send(new AG.CreateDeploymentCommand({ restApiId: id, stageName: 'bench' }));
  for (const exportType of ['swagger', 'oas30']) {
    rows.push([
      `GetExport ${exportType} (extensions=apigateway), 500 paths`,
      await timed(() => ag.send(new AG.GetExportCommand({ restApiId: id, stageName: 'bench', exportType, parameters: { extensions: 'apigateway' }, accepts: 'application/json' }))),
      '≤ 200 ms',
    ]);
  }

  // --watch: each save changes one method's template; the line arrives once redeployed. Its parts first: reading
  // the YAML here (for the change summary), PutRestApi and CreateDeployment of the 50-path API.
  const dir = tempDataDir();
  const file = join(dir, 'api.yaml');
  const doc = largeDefinition(50) as any;
  const yaml50 = Buffer.from(stringify(doc));
  rows.push(['  part: reading the 50-path YAML in the CLI', await timed(async () => readDefinition(writeThen(join(dir, 'parts.yaml'), yaml50))), '']);
  const id50 = (await ag.send(new AG.ImportRestApiCommand({ body: yaml50 }))).id!;
  rows.push(['  part: PutRestApi overwrite, 50 paths', await timed(() => ag.send(new AG.PutRestApiCommand({ restApiId: id50, mode: 'overwrite', body: yaml50 }))), '']);
  rows.push(['  part: CreateDeployment, 50 paths', await timed(() => ag.send(new AG.CreateDeploymentCommand({ restApiId: id50, stageName: 'dev' }))), '']);
  const save = (n: number) => {
    doc.paths['/v1/accounts/search'].get['x-amazon-apigateway-integration'].responses.default.responseTemplates['application/json'] = `{"save": ${n}}`;
    writeFileSync(file, stringify(doc));
  };
  save(0);
  let onLine: ((line: string) => void) | undefined;
  const lines: string[] = [];
  const w = await watchDefinition(
    { file, stage: 'dev', endpoint, region: 'us-east-1' },
    { line: (l) => (lines.push(l), onLine?.(l)), error: () => undefined },
  );
  await w.idle();
  const latencies: number[] = [];
  for (let n = 1; n <= RUNS + 1; n++) {
    const printed = new Promise<void>((r) => (onLine = () => r()));
    const t0 = performance.now();
    save(n);
    await printed;
    if (n > 1) latencies.push(performance.now() - t0);
  }
  w.close();
  rmSync(dir, { recursive: true, force: true });
  if (!lines.slice(1).every((l) => / ~1 method; deployed /.test(l))) throw new Error(`unexpected watch output:\n${lines.join('\n')}`);
  rows.push(['--watch: save → redeployed, 50 paths (25 ms debounce included)', latencies, '≤ 300 ms']);

  console.log('| measurement | median | min | max | target |\n|---|---|---|---|---|');
  for (const [name, xs, target] of rows) console.log(`| ${name} | ${ms(median(xs))} | ${ms(Math.min(...xs))} | ${ms(Math.max(...xs))} | ${target} |`);
  console.log(`(${RUNS} runs after a warm-up; server pinned to CPU 0, server CPU time ${(await server.cpu()) / 1e6} s in all)`);
} finally {
  ag.destroy();
  server.child.kill('SIGTERM');
}
