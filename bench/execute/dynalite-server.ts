// dynalite (a DynamoDB implementation) in its own process for bench/execute/aws-integration.bench.ts, with table
// `Bench` holding item `k1`; prints {port} once ready.
import { request } from 'undici';
import dynalite from 'dynalite';

const server = dynalite({ createTableMs: 0 });
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
const port = (server.address() as { port: number }).port;
const call = async (target: string, body: unknown) => {
  const res = await request(`http://127.0.0.1:${port}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${target}`,
      authorization: 'AWS4-HMAC-SHA256 Credential=AKIDBENCH/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
      'x-amz-date': '20260101T000000Z',
    },
    body: JSON.stringify(body),
  });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`${target}: ${text}`);
};
await call('CreateTable', {
  TableName: 'Bench',
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
});
await call('PutItem', { TableName: 'Bench', Item: { id: { S: 'k1' }, name: { S: 'bench item' } } });
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.on('SIGTERM', () => process.exit(0));
