// AWS_PROXY integrations Gatehouse cannot run: AWS_PROXY serves Lambda functions (and Firehose streams, which
// Gatehouse does not offer), and Lambda needs the embedded function runtime. Answered as AWS answers an integration
// it cannot run, 500 "Internal server error", with the reason in the execution log.
import { ConfigurationError } from '../responses/gateway-errors.ts';
import type { IntegrationModule } from './integration.ts';

export function unavailableAwsIntegration(proxy: boolean): IntegrationModule {
  return {
    proxy,
    invoke(inv) {
      const lambda = /:lambda:path\//.test(inv.method.integration.uri);
      throw new ConfigurationError(
        lambda
          ? 'Lambda integrations are not available yet in this version of Gatehouse'
          : `Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations. (${inv.method.integration.uri})`,
      );
    },
  };
}
