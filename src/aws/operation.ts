// The contract between the protocol layer and the services' operation handlers.
//
// The protocol layer (src/aws/rest-json.ts) routes a raw HTTP request to an operation of a service model, binds its
// input (path labels, query, headers, JSON or blob body) into a plain object keyed by the model's member names,
// validates it against the model, and calls the operation's handler. The handler returns a plain object keyed by
// the output shape's member names (Date for timestamps, Buffer/Uint8Array for blobs); the protocol layer serialises it.
import type { Store } from '../store/store.ts';

export interface OperationContext {
  /** Service endpoint prefix: 'apigateway' | 'lambda'. */
  readonly service: string;
  readonly operation: string;
  /** From the SigV4 credential scope; default 'us-east-1'. */
  readonly region: string;
  readonly accountId: string;
  readonly requestId: string;
  /** Access key id of the caller, when the request was signed. */
  readonly accessKeyId: string | undefined;
  /** The store, scoped to the caller's region: keys a handler uses are prefixed with `${region}/` underneath. */
  readonly db: Store;
  /** The store without region scoping, for global indexes. */
  readonly globalDb: Store;
  /** Everything else the process owns (function runtime, data plane, ...), by name. */
  readonly services: Services;
  /** Injected clock. */
  now(): Date;
  /** Whether the request arrived over TLS (GetSdk bakes the scheme into generated clients). */
  readonly secure?: boolean;
  /** The raw request, for the rare handler that needs it (blob payload content type, Accept). */
  readonly rawHeaders: Record<string, string | string[] | undefined>;
}

/** Long-lived components shared by handlers. Filled in by src/server/app.ts. */
export interface Services {
  [name: string]: unknown;
}

export type OperationInput = Record<string, any>;
export type OperationOutput = Record<string, any> | void;
export type OperationHandler = (input: OperationInput, ctx: OperationContext) => OperationOutput | Promise<OperationOutput>;
export type HandlerTable = Partial<Record<string, OperationHandler>>;
