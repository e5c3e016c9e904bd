// The API Gateway account settings of a region: the CloudWatch role used for logging, the account-level
// throttle (AWS defaults: burst 5000, rate 10000 requests per second), enabled features and the API key version.
// Stored in `account`/`current` once changed; GetAccount answers the defaults before that.
import { BadRequestException } from '../aws/errors.ts';
import type { HandlerTable, OperationContext, OperationInput } from '../aws/operation.ts';
import type { Tx } from '../store/store.ts';
import { invalidPatchPath, parsePatchOperations, requireValue } from './patch.ts';
import { DEFAULT_THROTTLE } from './stages-method-settings.ts';
import type { Traffic } from '../traffic/traffic.ts';

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

/**
 * The account as answered: its throttle is the one the data plane enforces (`--account-throttle`, else AWS's
 * default), whatever was stored, since on AWS only a service-quota increase changes it.
 */
function answered(account: Account, ctx: OperationContext): Account {
  const traffic = ctx.services.traffic as Traffic | undefined;
  const limit = traffic?.limits.account;
  return { ...account, throttleSettings: limit ? { burstLimit: limit.burstLimit, rateLimit: limit.rateLimit } : account.throttleSettings };
}

async function GetAccount(_input: OperationInput, ctx: OperationContext) {
  return ctx.db.read(async (tx) => answered(await loadAccount(tx), ctx));
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
    return answered(account, ctx);
  });
}

export const handlers: HandlerTable = { GetAccount, UpdateAccount };
