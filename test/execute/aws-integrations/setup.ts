// One Gatehouse with every AWS service endpoint pointed at local implementations (dynalite, kinesalite, s3rver and
// the SQS/SNS/Step Functions/EventBridge doubles), and an IAM role API Gateway may assume, as the guide's tutorials
// set up ("Create an IAM role … trusted entity: API Gateway").
import { IAMClient, CreateRoleCommand } from '@aws-sdk/client-iam';
import { request } from 'undici';
import { startGatehouse, TEST_CREDENTIALS, type Running } from '../../helpers/gatehouse.ts';
import type { GatehouseConfig } from '../../../src/server/config.ts';

export const TRUST_API_GATEWAY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

export async function startWithEndpoints(endpoints: Record<string, string>, config: Partial<GatehouseConfig> = {}): Promise<Running> {
  return startGatehouse({ config: { awsEndpointUrls: endpoints, ...config } });
}

/** Creates a role in Gatehouse's IAM that trusts API Gateway; returns its ARN. */
export async function createApiGatewayRole(gh: Running, name: string, trust = TRUST_API_GATEWAY): Promise<string> {
  const iam = new IAMClient({ endpoint: gh.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  try {
    const r = await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust }));
    return r.Role!.Arn!;
  } finally {
    iam.destroy();
  }
}

/** A JSON-protocol call straight to a local service (test set-up: tables, streams), with a SigV4-shaped header. */
export async function awsJson(url: string, target: string, body: unknown, version = '1.0'): Promise<any> {
  const service = target.startsWith('DynamoDB') ? 'dynamodb' : 'kinesis';
  const res = await request(url, {
    method: 'POST',
    headers: {
      'content-type': `application/x-amz-json-${version}`,
      'x-amz-target': target,
      authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00`,
      'x-amz-date': '20260101T000000Z',
    },
    body: JSON.stringify(body),
  });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`${target}: ${res.statusCode} ${text}`);
  return text === "" ? {} : JSON.parse(text);
}
