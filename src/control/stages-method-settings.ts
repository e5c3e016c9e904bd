// Stage method settings, addressed by UpdateStage patch paths `/{resourcePath}/{httpMethod}/{setting}`.
//
// AWS keys Stage.methodSettings by `{resourcePath}/{httpMethod}` with the resource path's slashes kept JSON-pointer
// encoded (`~1pets/GET`, `~1/GET` for the root) or `*/*` for every method of the stage, and a setting entry, once it
// exists, carries every member with its default (see the `aws apigateway update-stage` examples in the AWS CLI
// reference: https://docs.aws.amazon.com/cli/latest/reference/apigateway/update-stage.html).
import { BadRequestException } from '../aws/errors.ts';
import type { MethodSetting } from '../store/entities.ts';
import { booleanValue, integerValue, numberValue, requireValue, type ParsedPatch } from './patch.ts';

/** Account-level throttle AWS applies by default, copied into a new method setting (burst 5000, rate 10000). */
export const DEFAULT_THROTTLE = { burstLimit: 5000, rateLimit: 10000 } as const;

/** What a method setting holds when it is first created (the AWS CLI reference shows exactly these members). */
export function defaultMethodSetting(): MethodSetting {
  return {
    metricsEnabled: false,
    dataTraceEnabled: false,
    throttlingBurstLimit: DEFAULT_THROTTLE.burstLimit,
    throttlingRateLimit: DEFAULT_THROTTLE.rateLimit,
    cachingEnabled: false,
    cacheTtlInSeconds: 300,
    cacheDataEncrypted: false,
    requireAuthorizationForCacheControl: true,
    unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
  };
}

const LOGGING_LEVELS = ['OFF', 'ERROR', 'INFO'];
const CACHE_CONTROL_STRATEGIES = ['FAIL_WITH_403', 'SUCCEED_WITH_RESPONSE_HEADER', 'SUCCEED_WITHOUT_RESPONSE_HEADER'];
// ANY cannot carry a method setting on AWS (UpdateStage rejects `/{path}/ANY/...` as an invalid path); only the
// concrete verbs and the stage-wide `*/*` can.
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

type Apply = (setting: MethodSetting, p: ParsedPatch) => void;

const SETTINGS: Record<string, Apply> = {
  'metrics/enabled': (s, p) => { s.metricsEnabled = booleanValue(p); },
  'logging/dataTrace': (s, p) => { s.dataTraceEnabled = booleanValue(p); },
  'logging/loglevel': (s, p) => {
    const v = requireValue(p);
    if (!LOGGING_LEVELS.includes(v)) {
      throw new BadRequestException(`Invalid logging level specified: ${v}. Valid values are: ${LOGGING_LEVELS.join(', ')}`);
    }
    s.loggingLevel = v;
  },
  'throttling/burstLimit': (s, p) => {
    const v = integerValue(p);
    // -1 is accepted by AWS and means "no stage-level limit" (fall back to the account's).
    if (v < -1) throw new BadRequestException('Burst limit must be a non-negative integer, or -1 for the account default');
    s.throttlingBurstLimit = v;
  },
  'throttling/rateLimit': (s, p) => {
    const v = numberValue(p);
    if (v < 0 && v !== -1) throw new BadRequestException('Rate limit must be a non-negative number, or -1 for the account default');
    s.throttlingRateLimit = v;
  },
  'caching/enabled': (s, p) => { s.cachingEnabled = booleanValue(p); },
  'caching/ttlInSeconds': (s, p) => {
    // AWS's text, as UpdateStage returns it (quoted in DHI/terracotta#142 for a TTL over 3600).
    const v = requireValue(p);
    if (!/^\d+$/.test(v) || Number(v) > 3600) throw new BadRequestException('Invalid time-to-live setting, must be an integer no greater than 3600');
    s.cacheTtlInSeconds = Number(v);
  },
  'caching/dataEncrypted': (s, p) => { s.cacheDataEncrypted = booleanValue(p); },
  'caching/requireAuthorizationForCacheControl': (s, p) => { s.requireAuthorizationForCacheControl = booleanValue(p); },
  'caching/unauthorizedCacheControlHeaderStrategy': (s, p) => {
    const v = requireValue(p);
    if (!CACHE_CONTROL_STRATEGIES.includes(v)) {
      throw new BadRequestException(
        `Invalid unauthorized cache control header strategy specified: ${v}. Valid values are: ${CACHE_CONTROL_STRATEGIES.join(', ')}`,
      );
    }
    s.unauthorizedCacheControlHeaderStrategy = v;
  },
};

// `/{resourcePath}/{httpMethod}/{setting}`: the resource path may come JSON-pointer encoded (`~1pets`, as the AWS
// CLI and CloudFormation send it) or plain (`pets/{id}`, as Terraform's method_path does); AWS keys the setting by
// exactly what was sent, minus the leading slash (`~1pets/GET`, `pets/{id}/GET`), which is what clients read back.
const SETTING_RE = new RegExp(`^/(.+)/([^/]+)/(${Object.keys(SETTINGS).join('|')})$`);
const WHOLE_SETTING_RE = /^\/(.+)\/([^/]+)$/;

/** The stage's methodSettings key for a patch path's resource and method parts, or undefined if they name no method. */
function settingKey(resource: string, method: string): string | undefined {
  if (resource === '*' && method === '*') return '*/*';
  if (!METHODS.has(method) || resource === '*') return undefined;
  return `${resource}/${method}`;
}

/** The stage paths AWS lists when a patch path is not one of them, in AWS's own (oddly punctuated) wording. */
const STAGE_PATHS_TEXT =
  '[/deploymentId, /description, /cacheClusterEnabled, /cacheClusterSize, /clientCertificateId, /accessLogSettings, ' +
  '/accessLogSettings/destinationArn, /accessLogSettings/format, /{resourcePath}/{httpMethod}/metrics/enabled, ' +
  '/{resourcePath}/{httpMethod}/logging/dataTrace, /{resourcePath}/{httpMethod}/logging/loglevel, ' +
  '/{resourcePath}/{httpMethod}/throttling/burstLimit/{resourcePath}/{httpMethod}/throttling/rateLimit/{resourcePath}/{httpMethod}/caching/ttlInSeconds, ' +
  '/{resourcePath}/{httpMethod}/caching/enabled, /{resourcePath}/{httpMethod}/caching/dataEncrypted, ' +
  '/{resourcePath}/{httpMethod}/caching/requireAuthorizationForCacheControl, ' +
  '/{resourcePath}/{httpMethod}/caching/unauthorizedCacheControlHeaderStrategy, /*/*/metrics/enabled, ' +
  '/*/*/logging/dataTrace, /*/*/logging/loglevel, /*/*/throttling/burstLimit /*/*/throttling/rateLimit /*/*/caching/ttlInSeconds, ' +
  '/*/*/caching/enabled, /*/*/caching/dataEncrypted, /*/*/caching/requireAuthorizationForCacheControl, ' +
  '/*/*/caching/unauthorizedCacheControlHeaderStrategy, /variables/{variable_name}, /tracingEnabled]';

/** AWS's answer to an UpdateStage path it does not know (text as recorded against AWS by localstack's snapshot tests). */
export function invalidStagePath(path: string): BadRequestException {
  return new BadRequestException(`Invalid method setting path: ${path}. Must be one of: ${STAGE_PATHS_TEXT}`);
}

/**
 * Applies one method-setting patch to `settings` (mutated). Returns false when the path is not a method-setting
 * path at all, so the caller can try the stage's other paths.
 */
export function applyMethodSettingPatch(settings: Record<string, MethodSetting>, p: ParsedPatch): boolean {
  const one = SETTING_RE.exec(p.path);
  if (one) {
    const key = settingKey(one[1]!, one[2]!);
    if (!key) throw invalidStagePath(p.path);
    if (p.op === 'remove') {
      // AWS removes method settings only as a whole (`remove /{resourcePath}/{httpMethod}`).
      throw new BadRequestException(`Cannot remove method setting ${p.path.slice(1)} because there is no method setting for this method `);
    }
    if (p.op !== 'replace' && p.op !== 'add') {
      throw new BadRequestException(`Invalid patch operation specified. Must be one of: [replace]`);
    }
    // A new per-method setting starts from the stage-wide `*/*` one as it stands then, and keeps its values when `*/*`
    // changes later (recorded: update-stage and update-stage-override in localstack's AWS-validated
    // test_apigateway_common.snapshot.json, TestStages::test_create_update_stages).
    const setting = settings[key] ?? (key !== '*/*' && settings['*/*'] ? { ...settings['*/*'] } : defaultMethodSetting());
    SETTINGS[one[3]!]!(setting, p);
    settings[key] = setting;
    return true;
  }
  const whole = WHOLE_SETTING_RE.exec(p.path);
  if (whole && p.op === 'remove') {
    const key = settingKey(whole[1]!, whole[2]!);
    if (!key) return false;
    if (!settings[key]) {
      // Trailing space as AWS writes it.
      throw new BadRequestException(`Cannot remove method setting ${key} because there is no method setting for this method `);
    }
    delete settings[key];
    return true;
  }
  return false;
}
