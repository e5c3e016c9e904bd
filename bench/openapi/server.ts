// A Gatehouse for bench/openapi/openapi.bench.ts, in its own process (pinned to CPU 0 by startPinnedServer): a fresh
// data directory, prints {"port"} once listening, SIGUSR2 → {"cpuMicros"}.
import { rmSync } from 'node:fs';
import { createGatehouse } from '../../src/server/app.ts';
import { configFromEnv } from '../../src/server/config.ts';
import { tempDataDir } from '../../test/helpers/temp.ts';
import { answerCpuSignals } from '../execute/bench-server.ts';

const dataDir = tempDataDir();
const gh = createGatehouse({ ...configFromEnv({}), port: 0, host: '127.0.0.1', dataDir, accountId: '123456789012', defaultRegion: 'us-east-1' });
const port = await gh.listen();
answerCpuSignals(undefined, async () => {
  await gh.close();
  rmSync(dataDir, { recursive: true, force: true });
});
process.stdout.write(`${JSON.stringify({ port })}\n`);
