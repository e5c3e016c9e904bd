// Remote Lambda: with AWS_ENDPOINT_URL_LAMBDA set, FunctionsService.invoke (what API Gateway's Lambda integrations
// call) goes to that endpoint with SigV4 through @aws-sdk/client-lambda, so Gatehouse can front functions hosted
// elsewhere (real Lambda, another Gatehouse). Credentials come from the SDK's default chain (AWS_ACCESS_KEY_ID, ...).
import { AwsError, ServiceException } from '../aws/errors.ts';
import type { InvokeRequest, InvokeResult } from './index.ts';

type LambdaModule = typeof import('@aws-sdk/client-lambda');

export class RemoteLambda {
  readonly endpoint: string;
  private sdk: Promise<LambdaModule> | undefined;
  private readonly clients = new Map<string, InstanceType<LambdaModule['LambdaClient']>>();

  constructor(endpoint: string) {
    this.endpoint = endpoint;
  }

  async invoke(req: InvokeRequest): Promise<InvokeResult> {
    // Loaded on first use: the SDK costs startup time that a purely local Gatehouse should not pay.
    const sdk = await (this.sdk ??= import('@aws-sdk/client-lambda'));
    let client = this.clients.get(req.region);
    if (!client) {
      client = new sdk.LambdaClient({ endpoint: this.endpoint, region: req.region, maxAttempts: 1 });
      this.clients.set(req.region, client);
    }
    try {
      const out = await client.send(
        new sdk.InvokeCommand({
          FunctionName: req.functionName,
          Qualifier: req.qualifier,
          InvocationType: req.invocationType,
          LogType: req.logType,
          ClientContext: req.clientContext,
          Payload: req.payload,
        }),
      );
      return {
        statusCode: out.StatusCode ?? 200,
        payload: Buffer.from(out.Payload ?? new Uint8Array()),
        functionError: out.FunctionError as InvokeResult['functionError'],
        logResult: out.LogResult,
        executedVersion: out.ExecutedVersion,
      };
    } catch (err) {
      // Keep the remote's own error (type, status, message) so callers see what Lambda said.
      const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; Type?: string };
      if (e.$metadata?.httpStatusCode) {
        throw new AwsError(e.name ?? 'ServiceException', e.$metadata.httpStatusCode, e.message ?? 'Remote Lambda error', { extra: { Type: e.Type ?? 'User' } });
      }
      throw new ServiceException(`Remote Lambda at ${this.endpoint} failed: ${e.message ?? String(err)}`);
    }
  }

  close(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
  }
}
