// The contract of an integration type (MOCK, HTTP, HTTP_PROXY, AWS, AWS_PROXY). The registry in ./index.ts maps
// each type to its module; the pipeline's `integration` step calls `invoke` once per request, wrapped with the
// timeout, latency and execution-log handling every integration shares.
import type { Integration } from '../../store/entities.ts';
import type { EndpointResponse, IntegrationRequested } from '../invocation.ts';
import type { Upstreams } from './upstreams.ts';

export interface IntegrationEnv {
  accountId: string;
  /** Long-lived process services (e.g. the embedded function runtime for Lambda integrations). */
  services: Record<string, unknown>;
  /** Keep-alive connection pools to HTTP backends. */
  upstreams: Upstreams;
}

export interface IntegrationModule {
  /**
   * Proxy integrations answer the client directly: no integration response mapping, the endpoint response is the
   * method response (HTTP_PROXY forwards the backend's; AWS_PROXY translates the Lambda result).
   */
  readonly proxy: boolean;
  /** True when invoke enforces the integration timeout itself; otherwise the pipeline races it with a timer. */
  readonly handlesTimeout?: boolean;
  /**
   * True when invoke writes the endpoint request's lines to the execution log itself (AWS service integrations log
   * the signed request they build); the pipeline then writes no "Endpoint request …" / "Sending request to" lines.
   * `uri` is the integration's URI as configured.
   */
  logsEndpointRequest?(uri: string): boolean;
  /** Per-deployment checks of the integration's settings; throws Error with AWS's configuration-error text. */
  compile?(integration: Integration): void;
  /** Calls the endpoint. Throw a GatewayError to end the request (timeouts are handled by the caller). */
  invoke(inv: IntegrationRequested, env: IntegrationEnv, signal: AbortSignal | undefined): Promise<EndpointResponse> | EndpointResponse;
  close?(): Promise<void>;
}
