// Rules a stage's own fields obey, shared by CreateStage, UpdateStage and CreateDeployment (which creates or
// updates the stage it names).
import { BadRequestException, NotFoundException } from '../aws/errors.ts';
import type { Tx } from '../store/store.ts';
import type { CanarySettings, Stage, StoredDeployment } from '../store/entities.ts';

// AWS: "Stage names can only contain alphanumeric characters, hyphens, and underscores" (API Gateway developer
// guide, "Set up a stage for a REST API"); the error text is the one CreateStage/CreateDeployment return.
const STAGE_NAME_RE = /^[a-zA-Z0-9_-]+$/;

export function validateStageName(name: string): void {
  if (!STAGE_NAME_RE.test(name) || name.length > 128) {
    throw new BadRequestException('Stage name only allows a-zA-Z0-9_-');
  }
}

// Stage variables: names are word characters; values are non-empty and use alphanumerics and -._~:/?#&=, (API
// reference, Stage.variables) or spaces. The texts are AWS's own, as users quote them (serverless/serverless#6133,
// sirceljm/aws-lambda-blog#10), including the two spaces and the missing quote before `-`.
const VAR_NAME_RE = /^\w{1,64}$/;
const VAR_VALUE_RE = /^[A-Za-z0-9 \-._~:/?#&=,]{1,512}$/;

export function validateVariable(name: string, value: string): void {
  if (!VAR_NAME_RE.test(name)) {
    throw new BadRequestException(`Invalid stage variable name: ${name}.  Please use names with only word characters.`);
  }
  if (!VAR_VALUE_RE.test(value)) {
    throw new BadRequestException(
      `Invalid stage variable value: ${value}.  Please use values with alphanumeric characters and the symbols ' ', -', '.', '_', ':', '/', '?', '&', '=', and ','.`,
    );
  }
}

export function validateVariables(vars: Record<string, string> | undefined): void {
  for (const [k, v] of Object.entries(vars ?? {})) validateVariable(k, v);
}

export function validatePercentTraffic(p: number): void {
  if (!Number.isFinite(p) || p < 0 || p > 100) {
    throw new BadRequestException('Canary traffic percentage must be between 0.0 and 100.0');
  }
}

export async function requireDeployment(tx: Tx, apiId: string, deploymentId: string): Promise<StoredDeployment> {
  const d = await tx.get<StoredDeployment>('deployments', `${apiId}/${deploymentId}`);
  if (!d) throw new NotFoundException('Invalid Deployment identifier specified');
  return d;
}

export async function requireStage(tx: Tx, apiId: string, stageName: string): Promise<Stage> {
  const s = await tx.get<Stage>('stages', `${apiId}/${stageName}`);
  if (!s) throw new NotFoundException('Invalid stage identifier specified');
  return s;
}

/** A canary as AWS stores it: every member present, its deployment defaulting to the stage's. */
export function completeCanary(c: CanarySettings, stageDeploymentId: string): CanarySettings {
  const out: CanarySettings = {
    deploymentId: c.deploymentId ?? stageDeploymentId,
    percentTraffic: c.percentTraffic ?? 0,
    useStageCache: c.useStageCache ?? false,
  };
  if (c.stageVariableOverrides && Object.keys(c.stageVariableOverrides).length) out.stageVariableOverrides = { ...c.stageVariableOverrides };
  return out;
}

// The model's CacheClusterSize enum; patch values arrive as plain strings, so UpdateStage checks them here.
const CACHE_SIZES = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'];
export const DEFAULT_CACHE_SIZE = '0.5';

export function validateCacheClusterSize(size: string | undefined): void {
  if (size !== undefined && !CACHE_SIZES.includes(size)) throw new BadRequestException(`Invalid cache cluster size specified: ${size}`);
}
