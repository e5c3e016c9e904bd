// The API Gateway account settings of a region: the CloudWatch role used for logging, the account-level
// throttle (AWS defaults: burst 5000, rate 10000 requests per second), enabled features and the API key version.
// Stored in `account`/`current` once changed; GetAccount answers the defaults before that.
import { BadRequestException } from '../aws/errors.ts';
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import type { Tx } from '../store/store.ts';
import { invalidPatchPath, parsePatchOperations, requireValue } from './patch.ts';
import { DEFAULT_THROTTLE } from './stages-method-settings.ts';

export interface Account {
  cloudwatchRoleArn?: string;
  throttleSettings: { burstLimit: number; rateLimit: number };
  features: string[];
  apiKeyVersion: string;
}

/** What a fresh AWS account answers to `aws apigateway get-account` (usage plans are on for every new account). */
export function defaultAccount(): Account {
  return { throttleSettings: { ...DEFAULT_THROTTLE }, features: ['UsagePlans'], apiKeyVersion: '4' };
}

export async function loadAccount(tx: Tx): Promise<Account> {
  return (await tx.get<Account>('account', 'current')) ?? defaultAccount();
}

const ROLE_ARN_RE = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const PATHS = ['/cloudwatchRoleArn', '/features'];
const FEATURES = ['UsagePlans'];

async function GetAccount(_input: OperationInput, ctx: OperationContext) {
  return ctx.db.read(async (tx) => ({ ...(await loadAccount(tx)) }));
}

async function UpdateAccount(input: OperationInput, ctx: OperationContext) {
  const ops = parsePatchOperations(input.patchOperations);
  return ctx.db.write(async (tx) => {
    const account = structuredClone(await loadAccount(tx));
    for (const p of ops) {
      if (p.path === '/cloudwatchRoleArn') {
        if (p.op !== 'replace') throw invalidPatchPath(p, PATHS);
        if (!p.value) {
          delete account.cloudwatchRoleArn;
          continue;
        }
        if (!ROLE_ARN_RE.test(p.value)) throw new BadRequestException(`Invalid ARN specified in the request: ${p.value}`);
        account.cloudwatchRoleArn = p.value;
      } else if (p.path === '/features') {
        const v = requireValue(p);
        if (!FEATURES.includes(v)) throw new BadRequestException(`Invalid feature specified: ${v}. Must be one of: [${FEATURES.join(', ')}]`);
        // Usage plans, once enabled, stay enabled on AWS: the feature can be added but not removed.
        if (p.op === 'add') {
          if (!account.features.includes(v)) account.features.push(v);
        } else if (p.op === 'remove') {
          throw new BadRequestException(`The feature ${v} cannot be disabled once it has been enabled`);
        } else throw invalidPatchPath(p, PATHS);
      } else {
        throw invalidPatchPath(p, PATHS);
      }
    }
    await tx.put('account', 'current', account);
    return { ...account };
  });
}

export const handlers: HandlerTable = { GetAccount, UpdateAccount };
