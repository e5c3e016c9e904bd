// Integration modules by integration type. AWS and AWS_PROXY integrations with a Lambda function URI run on the
// embedded function runtime (./lambda.ts); other AWS integrations call the AWS service (./aws-service.ts); AWS_PROXY
// serves only Lambda (./aws-unavailable.ts answers the rest).
import type { IntegrationModule } from './integration.ts';
import { mockIntegration } from './mock.ts';
import { httpIntegration, httpProxyIntegration } from './http.ts';
import { unavailableAwsIntegration } from './aws-unavailable.ts';
import { lambdaAwsIntegration, lambdaProxyIntegration } from './lambda.ts';
import { awsServiceIntegration } from './aws-service.ts';

export type IntegrationType = 'MOCK' | 'HTTP' | 'HTTP_PROXY' | 'AWS' | 'AWS_PROXY';

export const INTEGRATIONS: Readonly<Record<IntegrationType, IntegrationModule>> = {
  MOCK: mockIntegration,
  HTTP: httpIntegration,
  HTTP_PROXY: httpProxyIntegration,
  AWS: lambdaAwsIntegration(awsServiceIntegration),
  AWS_PROXY: lambdaProxyIntegration(unavailableAwsIntegration(true)),
};

export function integrationModule(type: string | undefined): IntegrationModule | undefined {
  return Object.hasOwn(INTEGRATIONS, type ?? '') ? INTEGRATIONS[type as IntegrationType] : undefined;
}
