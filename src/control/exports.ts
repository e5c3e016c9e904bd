// GetExport: a stage's deployed API as an OpenAPI document (src/openapi/export.ts builds it). The stage's
// deployment snapshot is exported, never the live API, so edits not yet deployed do not show, as on AWS; the
// stage's documentation version, when it has one, supplies x-amazon-apigateway-documentation.
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import { exportDeployment } from '../openapi/export.ts';
import { exportOptions } from '../openapi/export-options.ts';
import { requireRestApi } from './common.ts';
import { DOCUMENTATION_VERSIONS } from './documentation-parts-store.ts';
import type { StoredDocumentationVersion } from './documentation-versions.ts';
import { requireDeployment, requireStage } from './stages-validation.ts';

async function GetExport(input: OperationInput, ctx: OperationContext) {
  const apiId: string = input.restApiId;
  const source = await ctx.db.read(async (tx) => {
    await requireRestApi(tx, ctx, apiId);
    const stage = await requireStage(tx, apiId, input.stageName);
    const deployment = await requireDeployment(tx, apiId, stage.deploymentId);
    const doc = stage.documentationVersion === undefined
      ? undefined
      : await tx.get<StoredDocumentationVersion>(DOCUMENTATION_VERSIONS, `${apiId}/${stage.documentationVersion}`);
    return {
      snapshot: deployment.snapshot,
      deploymentCreatedDate: deployment.createdDate,
      stageName: stage.stageName,
      region: ctx.region,
      ...(doc ? { documentation: { version: doc.version, createdDate: doc.createdDate, parts: doc.parts } } : {}),
    };
  });
  const options = exportOptions(input.exportType, input.accepts, input.parameters);
  return exportDeployment(source, options);
}

export const handlers: HandlerTable = { GetExport };
