// AWS and AWS_PROXY integrations Gatehouse cannot run (AWS services other than Lambda, or Lambda without the
// embedded function runtime): answered as AWS answers an integration it cannot run, 500 "Internal server error",
// with the reason in the execution log.
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
          : `AWS service integrations are not available in this version of Gatehouse (${inv.method.integration.uri})`,
      );
    },
  };
}
