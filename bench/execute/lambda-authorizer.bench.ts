// What a cached Lambda-authorizer decision costs per request (issue 10: ≤ 20 µs CPU): authorizer-cost.ts against
// authorizer-server.ts (a TOKEN authorizer whose function allows everything for an hour).
// Usage: ./node_modules/.bin/node bench/execute/lambda-authorizer.bench.ts [seconds per run, default 5] [rounds, default 3]
import { join } from 'node:path';
import { measureAuthorizerCost } from './authorizer-cost.ts';

await measureAuthorizerCost(join(import.meta.dirname, 'authorizer-server.ts'), 'cached authorizer', Number(process.argv[2] ?? 5), Number(process.argv[3] ?? 3));
