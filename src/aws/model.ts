// The official AWS service models (botocore's service-2.json, kept as data in models/), typed just enough for the
// protocol layer to route, bind, validate and serialise from them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MemberRef {
  shape: string;
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  locationName?: string;
  jsonvalue?: boolean;
  idempotencyToken?: boolean;
}

export interface Shape {
  type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'boolean' | 'timestamp' | 'blob' | 'double' | 'float';
  members?: Record<string, MemberRef>;
  required?: string[];
  payload?: string;
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  timestampFormat?: string;
  error?: { httpStatusCode: number; code?: string };
  exception?: boolean;
}

export interface Operation {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: { shape: string };
  output?: { shape: string };
  errors?: Array<{ shape: string }>;
}

export interface ServiceModel {
  metadata: { endpointPrefix: string; apiVersion: string; protocol: string; signingName?: string };
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

const cache = new Map<string, ServiceModel>();

const MODELS_DIR = join(import.meta.dirname, '..', '..', 'models');

/** Loads `models/{service}-{version}.json` once per process. */
export function loadServiceModel(file: string): ServiceModel {
  let model = cache.get(file);
  if (!model) {
    model = JSON.parse(readFileSync(join(MODELS_DIR, file), 'utf8')) as ServiceModel;
    cache.set(file, model);
  }
  return model;
}

export function shapeOf(model: ServiceModel, ref: { shape: string }): Shape {
  const s = model.shapes[ref.shape];
  if (!s) throw new Error(`service model has no shape ${ref.shape}`);
  return s;
}

const patterns = new Map<string, RegExp>();

/**
 * A model's `pattern` constraint as a RegExp over the whole value, compiled once per pattern (the models' patterns
 * are Java regexes; their \u00XX ranges read the same in JavaScript, and the few that 'u' mode refuses compile
 * without it). The patterns are AWS's own, not user input.
 */
export function modelPattern(p: string): RegExp {
  let re = patterns.get(p);
  if (!re) {
    try {
      re = new RegExp(`^(?:${p})$`, 'u');
    } catch {
      re = new RegExp(`^(?:${p})$`);
    }
    patterns.set(p, re);
  }
  return re;
}
