// What a Lambda integration needs besides PutIntegration, as the API Gateway console does it: the integration URI for
// a function ARN, and the function's resource-based permission letting this API invoke it (without it the call
// fails with "Invalid permissions on Lambda function").
import { AddPermissionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { awsClient } from '../aws.ts';
import { accountOf, region } from './calls.ts';

export function lambdaUri(functionArn: string): string {
  return `arn:aws:apigateway:${region()}:lambda:path/2015-03-31/functions/${functionArn}/invocations`;
}

/** The function ARN inside a Lambda integration URI, if it is one. */
export function functionOfUri(uri: string | undefined): string | undefined {
  return /:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/.exec(uri ?? '')?.[1];
}

/** Lets API `apiId`'s method `httpMethod` on `path` invoke the function (AddPermission, a fresh statement id). */
export async function allowApiToInvoke(functionArn: string, apiId: string, httpMethod: string, path: string): Promise<void> {
  const method = httpMethod === 'ANY' ? '*' : httpMethod;
  // A path parameter's segment matches any value in the source ARN.
  const resourcePath = path.replace(/\{[^}]+\}/g, '*');
  await awsClient(LambdaClient).send(new AddPermissionCommand({
    FunctionName: functionArn,
    StatementId: `gatehouse-console-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`,
    Action: 'lambda:InvokeFunction',
    Principal: 'apigateway.amazonaws.com',
    SourceArn: `arn:aws:execute-api:${region()}:${accountOf(functionArn) ?? '*'}:${apiId}/*/${method}${resourcePath}`,
  }));
}
