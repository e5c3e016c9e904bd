// One import run: the transaction every write goes through, the control handlers called inside it, and the
// errors and warnings found on the way. The control plane's own handlers (PutMethod, PutIntegration, CreateModel,
// CreateAuthorizer, ...) do the writing, so an imported entity obeys exactly the rules and texts of the API call
// that would create it; they run on a store view bound to the import's transaction, so the whole import commits
// or rolls back as one (developer guide: "When an error occurs, the new API definition is discarded and no change
// is made to the existing API").
//
// AWS reports what it could not import as "Unable to create model for 'X': <the CreateModel error>" and the like,
// gathered into one BadRequestException "Errors found during import:\n\t..." (quoted from AWS in
// edx/api-manager#259 and terra-money/fcd-classic#36); warnings fail the import only with failonwarnings=true.
import { AwsError, BadRequestException } from '../aws/errors.ts';
import type { OperationContext, OperationHandler, OperationInput, OperationOutput } from '../aws/operation.ts';
import { apigatewayHandlers } from '../control/index.ts';
import type { Store, Tx } from '../store/store.ts';
import type { Definition } from './import-document.ts';

/** A Store whose read and write run in an already open transaction. */
function boundStore(tx: Tx): Store {
  return {
    read: async (fn) => fn(tx),
    write: async (fn) => fn(tx),
    onCommit: () => () => {},
    wipe: () => Promise.reject(new Error('not available inside an import')),
    close: () => Promise.resolve(),
  };
}

export class ImportSession {
  readonly def: Definition;
  readonly apiId: string;
  readonly tx: Tx;
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  private readonly ctx: OperationContext;

  constructor(def: Definition, apiId: string, tx: Tx, outer: OperationContext) {
    this.def = def;
    this.apiId = apiId;
    this.tx = tx;
    this.ctx = { ...outer, db: boundStore(tx) } as OperationContext;
  }

  get accountId(): string {
    return this.ctx.accountId;
  }

  get region(): string {
    return this.ctx.region;
  }

  /**
   * Runs control operation `operation` for this API inside the import's transaction. An AWS error it answers is
   * recorded as `${what}: ${message}` and undefined returned; anything else is a bug and propagates.
   */
  async call(operation: string, input: OperationInput, what: string): Promise<Record<string, any> | undefined> {
    const handler = apigatewayHandlers[operation];
    if (!handler) throw new Error(`no handler for ${operation}`);
    return this.callWith(handler, input, what, operation);
  }

  /** As `call`, for a handler that is not in the operation table. */
  async callWith(handler: OperationHandler, input: OperationInput, what: string, operation = this.ctx.operation): Promise<Record<string, any> | undefined> {
    try {
      const out: OperationOutput = await handler({ restApiId: this.apiId, ...input }, { ...this.ctx, operation });
      return (out ?? {}) as Record<string, any>;
    } catch (e) {
      if (!(e instanceof AwsError)) throw e;
      this.errors.push(`${what}: ${e.message}`);
      return undefined;
    }
  }

  /**
   * Merge mode's replacement of a named entity (authorizer, request validator) that methods may refer to: the old
   * one is removed, `create` makes the definition's through its control operation (with all its checks), and the
   * result takes the old id, so references from methods the definition does not name stay valid.
   */
  async replaceKeepingId(collection: string, oldId: string, create: () => Promise<Record<string, any> | undefined>): Promise<Record<string, any> | undefined> {
    const oldKey = `${this.apiId}/${oldId}`;
    const old = await this.tx.get(collection, oldKey);
    await this.tx.delete(collection, oldKey);
    const created = await create();
    if (!created) {
      if (old) await this.tx.put(collection, oldKey, old);
      return undefined;
    }
    const stored = await this.tx.get<Record<string, any>>(collection, `${this.apiId}/${created.id}`);
    await this.tx.delete(collection, `${this.apiId}/${created.id}`);
    await this.tx.put(collection, oldKey, { ...stored, id: oldId });
    return { ...created, id: oldId };
  }

  error(text: string): void {
    this.errors.push(text);
  }

  warn(text: string): void {
    this.warnings.push(text);
  }

  /** Throws AWS's import failure when errors were found, or warnings with failonwarnings. */
  finish(failOnWarnings: boolean): void {
    if (this.errors.length) throw new BadRequestException(`Errors found during import:\n\t${this.errors.join('\n\t')}`);
    if (failOnWarnings && this.warnings.length) {
      throw new BadRequestException(`Warnings found during import:\n\t${this.warnings.join('\n\t')}`);
    }
  }
}
