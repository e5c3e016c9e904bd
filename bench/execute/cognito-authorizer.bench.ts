// What a cached Cognito-token check costs per request (issue 10: ≤ 20 µs CPU): authorizer-cost.ts against
// cognito-authorizer-server.ts (a COGNITO_USER_POOLS authorizer on a local pool, one ID token verified before
// measuring, so every measured request finds it in the verified-token cache).
// Usage: ./node_modules/.bin/node bench/execute/cognito-authorizer.bench.ts [seconds per run, default 5] [rounds, default 3]
import { join } from 'node:path';
import { measureAuthorizerCost } from './authorizer-cost.ts';

await measureAuthorizerCost(join(import.meta.dirname, 'cognito-authorizer-server.ts'), 'cached Cognito token', Number(process.argv[2] ?? 5), Number(process.argv[3] ?? 3));
