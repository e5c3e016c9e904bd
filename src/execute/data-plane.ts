// The data plane's entry point, as the server sees it. Filled in by the execute-api work (issue 4); until then
// every invocation is answered honestly with an AWS-shaped 501 rather than a fake response.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from '../store/store.ts';
import type { Services } from '../aws/operation.ts';

/** Where an execute-api request goes, as the dispatcher resolved it from the Host or the path. */
export interface ExecuteTarget {
  apiId: string;
  stage: string;
  /** The raw (still percent-encoded) resource path after the stage, starting with '/'. */
  rawPath: string;
  /** The raw query string without '?', '' when none. */
  rawQuery: string;
  /** 'host': {apiId}.execute-api.* ; 'path': /restapis/{apiId}/{stage}/_user_request_/... */
  style: 'host' | 'path';
}

export interface DataPlaneDeps {
  store: Store;
  accountId: string;
  now: () => Date;
  services: Services;
}

export interface DataPlane {
  handle(req: IncomingMessage, res: ServerResponse, target: ExecuteTarget): void | Promise<void>;
  close(): Promise<void>;
}

export function createDataPlane(_deps: DataPlaneDeps): DataPlane {
  return {
    handle(_req, res) {
      const body = JSON.stringify({ message: 'Invoking deployed APIs is not available in this version of Gatehouse' });
      res.writeHead(501, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'NotImplementedException', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    },
    async close() {},
  };
}
