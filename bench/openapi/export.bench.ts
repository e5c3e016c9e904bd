// GetExport of a 500-path API (issue 12's target: ≤ 200 ms). The corpus's generated 500-path definition is imported
// and deployed once, then each export type and format is fetched through the SDK 15 times; the median and the
// slowest are printed, with the document's size. The server runs in this process (one event loop: the figures are
// the control call's whole time on loopback, serialisation included).
// Run: ./node_modules/.bin/node bench/openapi/export.bench.ts
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateDeploymentCommand, GetExportCommand, ImportRestApiCommand } from '@aws-sdk/client-api-gateway';
import { startGatehouse } from '../../test/helpers/gatehouse.ts';

const RUNS = 15;
const gh = await startGatehouse({ dev: false });
try {
  const body = readFileSync(join(import.meta.dirname, '..', '..', 'test', 'openapi', 'corpus', 'large-500-paths.json'));
  const api = await gh.apigateway.send(new ImportRestApiCommand({ body }));
  await gh.apigateway.send(new CreateDeploymentCommand({ restApiId: api.id!, stageName: 'bench' }));
  for (const exportType of ['swagger', 'oas30']) {
    for (const accepts of ['application/json', 'application/yaml']) {
      const times: number[] = [];
      let size = 0;
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        const out = await gh.apigateway.send(new GetExportCommand({
          restApiId: api.id!, stageName: 'bench', exportType, accepts, parameters: { extensions: 'apigateway' },
        }));
        times.push(performance.now() - t0);
        size = out.body!.length;
      }
      times.sort((a, b) => a - b);
      console.log(`${exportType} ${accepts} (extensions=apigateway, ${(size / 1024).toFixed(0)} KiB): median ${times[RUNS >> 1]!.toFixed(1)} ms, max ${times[RUNS - 1]!.toFixed(1)} ms`);
    }
  }
} finally {
  await gh.stop();
}
