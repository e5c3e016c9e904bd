// The embedded Lambda service as the rest of Gatehouse sees it (issue 5 fills this in): the Lambda API handlers
// use it, and the data plane's Lambda integrations call `invoke`.
import type { Store } from '../store/store.ts';

export interface InvokeRequest {
  /** Function name, full or partial ARN, optionally with `:qualifier`. */
  functionName: string;
  qualifier?: string;
  region: string;
  payload: Buffer;
  invocationType: 'RequestResponse' | 'Event' | 'DryRun';
  logType?: 'None' | 'Tail';
  clientContext?: string;
}

export interface InvokeResult {
  statusCode: number;
  payload: Buffer;
  functionError?: 'Unhandled' | 'Handled';
  /** Base64 of the last 4 KB of the invocation's log, when logType was Tail. */
  logResult?: string;
  executedVersion?: string;
}

export interface FunctionsService {
  invoke(req: InvokeRequest): Promise<InvokeResult>;
  close(): Promise<void>;
  reset(): Promise<void>;
}

export interface FunctionsDeps {
  store: Store;
  dataDir: string;
  accountId: string;
  now: () => Date;
}

/** Replaced by the embedded runtime; returns undefined while Gatehouse has none. */
export function createFunctionsService(_deps: FunctionsDeps): FunctionsService | undefined {
  return undefined;
}
