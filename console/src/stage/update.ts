// UpdateStage for the stage editors.
import { UpdateStageCommand, type PatchOperation } from '@aws-sdk/client-api-gateway';
import { apigw } from '../apigw/calls.ts';

export function updateStage(restApiId: string, stageName: string, patchOperations: PatchOperation[]) {
  return apigw().send(new UpdateStageCommand({ restApiId, stageName, patchOperations }));
}
