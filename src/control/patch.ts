// PatchOperations, the body of every apigateway Update* call: {op, path, value, from}, `value` always a string,
// paths are JSON pointers with `~1` for '/' and `~0` for '~'. Each entity family decides what its paths mean;
// this module gives them one way to walk the operations and AWS's error texts for bad ones.
import { type AwsError, BadRequestException } from '../aws/errors.ts';

export interface PatchOperation {
  op?: string;
  path?: string;
  value?: string;
  from?: string;
}

export type PatchOp = 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';

export interface ParsedPatch {
  op: PatchOp;
  /** The raw path as sent. */
  path: string;
  /** Path segments with `~1` / `~0` decoded; `/a/b~1c` → ['a', 'b/c']. */
  segments: string[];
  value: string | undefined;
  from: string | undefined;
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

export function decodePointerSegment(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function encodePointerSegment(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Validates the op and splits the path. */
export function parsePatchOperations(ops: readonly PatchOperation[] | undefined): ParsedPatch[] {
  return (ops ?? []).map((o) => {
    const op = o.op ?? '';
    if (!OPS.has(op)) {
      throw new BadRequestException(`Invalid patch operation specified. Must be one of: [add, remove, replace, move, copy, test]`);
    }
    const path = o.path ?? '';
    if (!path.startsWith('/')) throw new BadRequestException(`Invalid patch path ${path}`);
    return {
      op: op as PatchOp,
      path,
      segments: path.slice(1).split('/').map(decodePointerSegment),
      value: o.value,
      from: o.from,
    };
  });
}

/** AWS's answer to a path the entity does not support for that op. */
export function invalidPatchPath(p: ParsedPatch, allowed?: readonly string[]): AwsError {
  const tail = allowed && allowed.length ? ` Must be one of: [${allowed.join(', ')}]` : '';
  return new BadRequestException(`Invalid patch path  '${p.path}' specified for op '${p.op}'.${tail}`);
}

/** AWS's answer to an op the path does not support. */
export function unsupportedPatchOp(p: ParsedPatch, allowedOps: readonly string[]): AwsError {
  return new BadRequestException(
    `Invalid patch operation specified. Must be one of: [${allowedOps.join(', ')}]`,
  );
}

/** AWS's answer to an op the entity supports on none of its paths (e.g. `add` where only `replace` exists). */
export function unsupportedOpForPath(p: ParsedPatch): AwsError {
  return new BadRequestException(`Invalid patch path  '${p.path}' specified for op '${p.op}'. Please choose supported operations`);
}

/**
 * For entities whose only patch op is `replace` on a fixed list of paths (resources, models, validators): any other
 * op is refused whatever its path, then an unknown path names the allowed ones (AWS's order of checks).
 */
export function requireReplaceOf(p: ParsedPatch, paths: readonly string[]): void {
  if (p.op !== 'replace') throw unsupportedOpForPath(p);
  if (!paths.includes(p.path)) throw invalidPatchPath(p, paths);
}

/** Refuses an op the path does not support, naming the ones it does. */
export function requireOp(p: ParsedPatch, ops: readonly string[]): void {
  if (!ops.includes(p.op)) throw unsupportedPatchOp(p, ops);
}

export function requireValue(p: ParsedPatch): string {
  if (p.value === undefined) throw new BadRequestException(`Invalid null or empty value in patch operation '${p.op}' for path '${p.path}'`);
  return p.value;
}

/**
 * A boolean patch value read as API Gateway reads it, with Java's Boolean.parseBoolean: `true` in any case is true,
 * anything else false. The developer guide's own CLI examples send `value=True`; recorded: UpdateApiKey with
 * `/enabled` = `not-a-boolean` answers 200 with `enabled: false` (LocalStack's AWS-validated
 * test_apigateway_extended.snapshot.json, test_update_api_key_invalid_enabled_type).
 */
export function booleanValue(p: ParsedPatch): boolean {
  return requireValue(p).toLowerCase() === 'true';
}

export function integerValue(p: ParsedPatch): number {
  const v = requireValue(p);
  if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(Number(v))) {
    throw new BadRequestException(`Invalid value '${v}' for integer field '${p.path}'`);
  }
  return Number(v);
}

export function numberValue(p: ParsedPatch): number {
  const v = requireValue(p);
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new BadRequestException(`Invalid value '${v}' for number field '${p.path}'`);
  return n;
}
