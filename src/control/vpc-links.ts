// VpcLinks: a REST API's private integration target, one Network Load Balancer in the caller's VPC. Stored under
// `vpclinks` / `{vpcLinkId}`; integrations with connectionType VPC_LINK name one by connectionId.
import { BadRequestException, NotFoundException } from '../aws/errors.ts';
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import type { Stage, StoredDeployment, StringMap } from '../store/entities.ts';
import type { Tx } from '../store/store.ts';
import { validateTags } from './common.ts';
import { newId } from './ids.ts';
import { paginate } from './pagination.ts';
import { invalidPatchPath, parsePatchOperations, unsupportedOpForPath } from './patch.ts';

export const VPC_LINKS = 'vpclinks';

export interface VpcLink {
  id: string;
  name: string;
  description?: string;
  targetArns: string[];
  status: string;
  statusMessage?: string;
  tags?: StringMap;
}

// Member presence as recorded from AWS (localstack's validated snapshots, test_vpc_link_lifecycle): GetVpcLink and
// UpdateVpcLink show `"tags": {}` for an untagged link, CreateVpcLink and GetVpcLinks items leave it out.
function present(link: VpcLink): VpcLink {
  return { ...link, tags: link.tags ?? {} };
}

function presentBrief(link: VpcLink): VpcLink {
  const { tags, ...rest } = link;
  return tags && Object.keys(tags).length ? { ...rest, tags } : rest;
}

// Texts recorded from AWS (localstack's validated snapshots, TestApiGatewayVpcLink).
const NOT_FOUND = 'Invalid Vpc Link identifier specified';
const EMPTY_NAME = 'Name cannot be empty';
// What AWS reports once a link is provisioned (AWS CLI reference, update-vpc-link example output).
const READY_MESSAGE = 'Your vpc link is ready for use';
// Network Load Balancer ARN: arn:aws:elasticloadbalancing:{region}:{account}:loadbalancer/net/{name}/{id}
// (AWS checks that the balancer exists asynchronously, failing the link later; without ELB here only the shape is checked.)
const WELL_FORMED_ARN = /^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+$/;
const NLB_ARN = /^arn:aws[a-z-]*:elasticloadbalancing:([a-z0-9-]+):\d{12}:loadbalancer\/net\/[A-Za-z0-9-]{1,32}\/[A-Za-z0-9]{1,32}$/;

function validateTargets(targets: string[], region: string): void {
  // REST API VPC links target exactly one NLB (API reference CreateVpcLink: "currently limited to one").
  if (targets.length !== 1) {
    throw new BadRequestException('A VPC link must target exactly one Network Load Balancer: targetArns must contain exactly one ARN.');
  }
  const arn = targets[0]!;
  if (!WELL_FORMED_ARN.test(arn)) throw new BadRequestException(`Invalid ARN. ARN is not well formed ${arn}`);
  // AWS accepts any well-formed ARN and fails the link later (status FAILED) when it is no NLB of the region; with
  // nothing to provision here, Gatehouse says so at once instead.
  const m = NLB_ARN.exec(arn);
  if (!m) throw new BadRequestException(`Invalid target ARN specified: ${arn}. The target must be a Network Load Balancer ARN.`);
  if (m[1] !== region) {
    throw new BadRequestException(`Invalid target ARN specified: ${arn}. The Network Load Balancer must be in '${region}'.`);
  }
}

async function requireVpcLink(tx: Tx, id: string): Promise<VpcLink> {
  const link = await tx.get<VpcLink>(VPC_LINKS, id);
  if (!link) throw new NotFoundException(NOT_FOUND);
  return link;
}

async function CreateVpcLink(input: OperationInput, ctx: OperationContext) {
  const name: string = input.name;
  if (!name.trim()) throw new BadRequestException(EMPTY_NAME);
  validateTargets(input.targetArns, ctx.region);
  validateTags(input.tags);
  const link: VpcLink = {
    id: newId(6),
    name,
    targetArns: [...input.targetArns],
    // AWS provisions the link in minutes; Gatehouse has nothing to provision (no VPC, no ENIs), so the stored link is
    // usable at once and every read after the create call reports it AVAILABLE rather than pretending to wait.
    status: 'AVAILABLE',
    statusMessage: READY_MESSAGE,
  };
  if (input.tags && Object.keys(input.tags).length) link.tags = { ...input.tags };
  if (input.description !== undefined) link.description = input.description;
  await ctx.db.write((tx) => tx.put(VPC_LINKS, link.id, link));
  // The create call itself answers as AWS's does, PENDING without a status message (recorded: localstack
  // tests/aws/services/apigateway/test_apigateway_api.snapshot.json, test_vpc_link_lifecycle, create_vpc_link);
  // every later read finds the link provisioned.
  const { statusMessage: _ready, ...created } = presentBrief(link);
  return { ...created, status: 'PENDING' };
}

async function GetVpcLink(input: OperationInput, ctx: OperationContext) {
  return present(await ctx.db.read((tx) => requireVpcLink(tx, input.vpcLinkId)));
}

async function GetVpcLinks(input: OperationInput, ctx: OperationContext) {
  const all = await ctx.db.read((tx) => tx.list<VpcLink>(VPC_LINKS));
  const page = paginate(all.map((e) => e.value), input);
  return { items: page.items.map(presentBrief), position: page.position };
}

const PATCH_PATHS = ['/name', '/description'];

async function UpdateVpcLink(input: OperationInput, ctx: OperationContext) {
  const ops = parsePatchOperations(input.patchOperations);
  return ctx.db.write(async (tx) => {
    const link = await requireVpcLink(tx, input.vpcLinkId);
    for (const p of ops) {
      // API reference, UpdateVpcLink patch operations: /name and /description, replaced.
      if (p.op !== 'replace') throw unsupportedOpForPath(p);
      if (!PATCH_PATHS.includes(p.path)) throw invalidPatchPath(p, PATCH_PATHS);
      if (p.path === '/name') {
        if (!p.value || !p.value.trim()) throw new BadRequestException(EMPTY_NAME);
        link.name = p.value;
      } else if (p.value === undefined || p.value === '') delete link.description;
      else link.description = p.value;
    }
    await tx.put(VPC_LINKS, link.id, link);
    return present(link);
  });
}

/**
 * Where deployed APIs still use the link: `METHOD:resourceId:stageName` for each method of a stage's deployment whose
 * integration goes through it, directly or through a stage variable (`${stageVariables.name}` as connectionId).
 */
async function deployedReferences(tx: Tx, vpcLinkId: string): Promise<string[]> {
  const refs: string[] = [];
  for (const { key, value: stage } of await tx.list<Stage>('stages')) {
    const apiId = key.slice(0, key.indexOf('/'));
    const deployment = await tx.get<StoredDeployment>('deployments', `${apiId}/${stage.deploymentId}`);
    for (const resource of deployment?.snapshot.resources ?? []) {
      for (const [httpMethod, method] of Object.entries(resource.resourceMethods ?? {})) {
        const integration = method.methodIntegration;
        if (integration?.connectionType !== 'VPC_LINK' || !integration.connectionId) continue;
        const m = /^\$\{stageVariables\.([A-Za-z0-9_]+)\}$/.exec(integration.connectionId);
        const target = m ? stage.variables?.[m[1]!] : integration.connectionId;
        if (target === vpcLinkId) refs.push(`${httpMethod}:${resource.id}:${stage.stageName}`);
      }
    }
  }
  return refs;
}

async function DeleteVpcLink(input: OperationInput, ctx: OperationContext) {
  await ctx.db.write(async (tx) => {
    await requireVpcLink(tx, input.vpcLinkId);
    const refs = await deployedReferences(tx, input.vpcLinkId);
    if (refs.length) {
      // Text as real AWS returns it (quoted in CloudFormation and Terraform deletion failures).
      throw new BadRequestException(
        `Cannot delete vpc link. Vpc link '${input.vpcLinkId}', is referenced in [${refs.join(', ')}] in format of [Method:Resource:Stage].`,
      );
    }
    await tx.delete(VPC_LINKS, input.vpcLinkId);
  });
}

export const handlers: HandlerTable = {
  CreateVpcLink,
  GetVpcLink,
  GetVpcLinks,
  UpdateVpcLink,
  DeleteVpcLink,
};
