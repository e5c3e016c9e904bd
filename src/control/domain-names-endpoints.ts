// The names AWS generates for a custom domain name's endpoint: the regional API Gateway domain
// (`d-{10}.execute-api.{region}.amazonaws.com`) with the Route 53 hosted zone of that region's regional endpoints, or,
// for edge-optimized domains, a CloudFront distribution (`d{13}.cloudfront.net`) in CloudFront's global hosted zone.
// Users copy these into alias records, so they have AWS's shapes.
import { newId } from './ids.ts';

/** CloudFront's hosted zone, the same for every distribution (Route 53 alias target documentation). */
export const CLOUDFRONT_HOSTED_ZONE_ID = 'Z2FDTNDATAQYW2';

/** Hosted zones of the regional execute-api endpoints (Amazon API Gateway endpoints and quotas, AWS General Reference). */
const REGIONAL_HOSTED_ZONES: Record<string, string> = {
  'us-east-1': 'Z1UJRXOUMOOFQ8',
  'us-east-2': 'ZOJJZC49E0EPZ',
  'us-west-1': 'Z2MUQ32089INYE',
  'us-west-2': 'Z2OJLYMUO9EFXC',
  'ca-central-1': 'Z19DQILCV0OWEC',
  'sa-east-1': 'ZCMLWB8V5SYIT',
  'eu-west-1': 'ZLY8HYME6SFDD',
  'eu-west-2': 'ZJ5UAJN8Y3Z2Q',
  'eu-west-3': 'Z3KY65QIEKYHQQ',
  'eu-central-1': 'Z1U9ULNL0V5AJ3',
  'eu-north-1': 'Z3UWIKFBOOGXPP',
  'ap-south-1': 'Z3VO1THU9YC4UR',
  'ap-northeast-1': 'Z1YSHQZHG15GKL',
  'ap-northeast-2': 'Z20JF4UZKIW1U8',
  'ap-southeast-1': 'ZL327KTPIQFUL',
  'ap-southeast-2': 'Z2RPCDW04V8134',
};

/**
 * The regional hosted zone id. Regions missing from the table get a stable made-up id of the same shape (a Gatehouse
 * region name need not be a real AWS region, and no Route 53 exists here to resolve it anyway).
 */
export function regionalHostedZoneId(region: string): string {
  const known = REGIONAL_HOSTED_ZONES[region];
  if (known) return known;
  let h = 0;
  for (const c of region) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `Z${h.toString(36).toUpperCase().padStart(12, '0')}`;
}

export function newRegionalDomainName(region: string): string {
  return `d-${newId(10)}.execute-api.${region}.amazonaws.com`;
}

export function newDistributionDomainName(): string {
  return `d${newId(13)}.cloudfront.net`;
}
