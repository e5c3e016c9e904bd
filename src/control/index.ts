// Every apigateway operation handler, by operation name. One module per entity family.
import type { HandlerTable } from '../aws/operation.ts';
import { handlers as restapis } from './restapis.ts';
import { handlers as resources } from './resources.ts';
import { handlers as methods } from './methods.ts';
import { handlers as integrations } from './integrations.ts';
import { handlers as models } from './models.ts';
import { handlers as requestValidators } from './request-validators.ts';
import { handlers as authorizers } from './authorizers.ts';
import { handlers as gatewayResponses } from './gateway-responses.ts';
import { handlers as deployments } from './deployments.ts';
import { handlers as stages } from './stages.ts';
import { handlers as stageCache } from './stage-cache.ts';
import { handlers as apiKeys } from './api-keys.ts';
import { handlers as usagePlans } from './usage-plans.ts';
import { handlers as usage } from './usage.ts';
import { handlers as account } from './account.ts';
import { handlers as tags } from './tags.ts';
import { handlers as sdk } from './sdk.ts';
import { handlers as exports } from './exports.ts';
import { handlers as sdkGeneration } from '../sdk/get-sdk.ts';
import { handlers as unavailable } from './unavailable.ts';
import { handlers as domainNames } from './domain-names.ts';
import { handlers as basePathMappings } from './base-path-mappings.ts';
import { handlers as clientCertificates } from './client-certificates.ts';
import { handlers as vpcLinks } from './vpc-links.ts';
import { handlers as documentation } from './documentation.ts';
import { handlers as testInvoke } from './test-invoke.ts';
import { handlers as authorizerRuntime } from './authorizer-runtime.ts';
import { handlers as openapiImport } from '../openapi/import.ts';

export const apigatewayHandlers: HandlerTable = {
  // First, so that a family implementing one of these operations overrides the 'not available' answer.
  ...unavailable,
  ...restapis,
  ...resources,
  ...methods,
  ...integrations,
  ...models,
  ...requestValidators,
  ...authorizers,
  ...gatewayResponses,
  ...deployments,
  ...stages,
  ...stageCache,
  ...apiKeys,
  ...usagePlans,
  ...usage,
  ...account,
  ...tags,
  ...sdk,
  ...exports,
  ...sdkGeneration,
  ...domainNames,
  ...basePathMappings,
  ...clientCertificates,
  ...vpcLinks,
  ...documentation,
  ...testInvoke,
  ...authorizerRuntime,
  ...openapiImport,
};
