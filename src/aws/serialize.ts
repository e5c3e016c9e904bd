// Output serialisation from the service model: members bound to headers or the status code go there, a payload
// member is the body as it is (blobs) or as JSON, the rest is a JSON document with the wire names
// (`items` → `item`), timestamps as epoch seconds (what the SDKs parse), blobs as base64.
import type { MemberRef, Operation, ServiceModel, Shape } from './model.ts';

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

export function serializeOutput(model: ServiceModel, op: Operation, output: Record<string, unknown> | void): WireResponse {
  const status = op.http.responseCode ?? 200;
  const headers: Record<string, string> = {};
  if (!op.output) return { status, headers, body: '' };
  const shape = model.shapes[op.output.shape]!;
  const out = output ?? {};
  let statusOut = status;
  const doc: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const v = out[name];
    if (v === undefined || v === null) continue;
    const wire = ref.locationName ?? name;
    if (ref.location === 'header') headers[wire] = v instanceof Date ? v.toUTCString() : String(v);
    else if (ref.location === 'headers') {
      for (const [k, hv] of Object.entries(v as Record<string, string>)) headers[`${wire}${k}`] = hv;
    } else if (ref.location === 'statusCode') statusOut = Number(v);
    else if (name !== shape.payload) doc[wire] = toWire(model, ref, v);
  }
  if (shape.payload) {
    const ref = shape.members![shape.payload]!;
    const target = model.shapes[ref.shape]!;
    const v = out[shape.payload];
    if (target.type === 'blob' || target.type === 'string') {
      const body = v === undefined || v === null ? Buffer.alloc(0) : typeof v === 'string' ? Buffer.from(v) : Buffer.from(v as Uint8Array);
      return { status: statusOut, headers, body };
    }
    headers['Content-Type'] = 'application/json';
    return { status: statusOut, headers, body: v === undefined ? '{}' : JSON.stringify(toWire(model, ref, v)) };
  }
  headers['Content-Type'] = 'application/json';
  return { status: statusOut, headers, body: JSON.stringify(doc) };
}

function toWire(model: ServiceModel, ref: MemberRef, v: unknown): unknown {
  const shape: Shape = model.shapes[ref.shape]!;
  switch (shape.type) {
    case 'structure': {
      const src = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [name, mRef] of Object.entries(shape.members ?? {})) {
        const mv = src[name];
        if (mv === undefined || mv === null) continue;
        out[mRef.locationName ?? name] = toWire(model, mRef, mv);
      }
      return out;
    }
    case 'list':
      return (v as unknown[]).map((item) => (item === null || item === undefined ? null : toWire(model, shape.member!, item)));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, mv] of Object.entries(v as Record<string, unknown>)) {
        if (mv !== undefined) out[k] = mv === null ? null : toWire(model, shape.value!, mv);
      }
      return out;
    }
    case 'timestamp': {
      const d = v instanceof Date ? v : new Date(v as number);
      if (shape.timestampFormat === 'iso8601') return d.toISOString();
      return d.getTime() / 1000;
    }
    case 'blob':
      return Buffer.from(v as Uint8Array).toString('base64');
    default:
      return v;
  }
}
