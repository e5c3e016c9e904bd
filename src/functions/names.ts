// Function names as the Lambda API accepts them — `name`, `name:qualifier`, `123456789012:function:name[:q]`,
// `arn:aws:lambda:region:123456789012:function:name[:q]` — and the ARNs Lambda answers with.
import { InvalidParameterValueException, ResourceNotFoundException } from '../aws/errors.ts';

export const LATEST = '$LATEST';

export interface FunctionRef {
  name: string;
  /** From the name itself or the Qualifier parameter; undefined = unqualified. */
  qualifier: string | undefined;
}

const FULL_ARN = /^arn:(aws[a-zA-Z-]*):lambda:([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d):(\d{12}):function:([a-zA-Z0-9-_.]+)(?::([a-zA-Z0-9-_$.]+))?$/;
const PARTIAL_ARN = /^(\d{12}):function:([a-zA-Z0-9-_.]+)(?::([a-zA-Z0-9-_$.]+))?$/;
const PLAIN = /^([a-zA-Z0-9-_.]+)(?::([a-zA-Z0-9-_$.]+))?$/;

/**
 * Splits a FunctionName parameter. The region and account of an ARN must be the caller's (Lambda answers a
 * foreign one as an unknown function); a qualifier both in the name and in Qualifier must agree.
 */
export function parseFunctionName(value: string, qualifierParam: string | undefined, region: string, accountId: string): FunctionRef {
  let name: string;
  let qualifier: string | undefined;
  let m = FULL_ARN.exec(value);
  if (m) {
    if (m[2] !== region || m[3] !== accountId) {
      throw new ResourceNotFoundException(`Function not found: ${value}`);
    }
    name = m[4]!;
    qualifier = m[5];
  } else if ((m = PARTIAL_ARN.exec(value))) {
    if (m[1] !== accountId) throw new ResourceNotFoundException(`Function not found: ${functionArn(region, accountId, m[2]!, m[3])}`);
    name = m[2]!;
    qualifier = m[3];
  } else if ((m = PLAIN.exec(value))) {
    name = m[1]!;
    qualifier = m[2];
  } else {
    throw new InvalidParameterValueException(`Invalid function name: ${value}`);
  }
  if (qualifier !== undefined && qualifierParam !== undefined && qualifier !== qualifierParam) {
    throw new InvalidParameterValueException('The derived qualifier from the function name does not match the specified qualifier.');
  }
  return { name, qualifier: qualifier ?? qualifierParam };
}

/** Operations that act on the unqualified function only (UpdateFunctionCode, aliases, concurrency, ...). */
export function parseUnqualifiedName(value: string, region: string, accountId: string): string {
  const ref = parseFunctionName(value, undefined, region, accountId);
  if (ref.qualifier !== undefined) {
    throw new InvalidParameterValueException(`Unqualified function name expected: ${value}`);
  }
  return ref.name;
}

export function functionArn(region: string, accountId: string, name: string, qualifier?: string): string {
  const base = `arn:aws:lambda:${region}:${accountId}:function:${name}`;
  return qualifier === undefined ? base : `${base}:${qualifier}`;
}

export const isVersionNumber = (q: string): boolean => /^[0-9]+$/.test(q);

/** Store keys order as strings; padding keeps versions in numeric order. */
export const versionKey = (name: string, version: string): string => `${name}/${version.padStart(10, '0')}`;
