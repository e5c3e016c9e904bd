// What the embedded Lambda keeps in the store, per region (the store handed in is region-scoped):
//   functions        {name}                 FunctionRecord ($LATEST's configuration and the function's own settings)
//   functionversions {name}/{0000000001}    VersionRecord (a frozen copy of $LATEST at PublishVersion)
//   aliases          {name}/{alias}         AliasRecord
//   policies         {name}/{qualifier|$}   PolicyRecord (resource policy of the function, a version or an alias)
import type { Tx } from '../store/store.ts';
import { versionKey } from './names.ts';

export const COLLECTIONS = ['functions', 'functionversions', 'aliases', 'policies'] as const;

/** Where a version's code lives: an unpacked zip under the data dir, or a local directory (`functions deploy`). */
export type CodeLocation =
  | { kind: 'zip'; /** relative to the data dir */ dir: string; /** relative; absent for a snapshot of a directory */ zipFile?: string }
  | { kind: 'directory'; path: string };

/** The configuration of one version ($LATEST or published), in the Lambda API's member names. */
export interface VersionConfig {
  Version: string;
  Runtime: string;
  Role: string;
  Handler: string;
  Description: string;
  Timeout: number;
  MemorySize: number;
  CodeSize: number;
  CodeSha256: string;
  LastModified: string;
  RevisionId: string;
  Environment?: { Variables: Record<string, string> };
  Architectures: string[];
  EphemeralStorage: { Size: number };
  LoggingConfig: { LogFormat: string; LogGroup: string };
  TracingConfig: { Mode: string };
  code: CodeLocation;
}

export interface FunctionRecord {
  name: string;
  latest: VersionConfig;
  /** Last published version number (versions are never reused, even after deletion). */
  lastVersion: number;
  tags: Record<string, string>;
  reservedConcurrency?: number;
}

export type VersionRecord = VersionConfig;

export interface AliasRecord {
  Name: string;
  FunctionVersion: string;
  Description: string;
  RoutingConfig?: { AdditionalVersionWeights: Record<string, number> };
  RevisionId: string;
}

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: string | Record<string, string>;
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

export interface PolicyRecord {
  statements: PolicyStatement[];
  RevisionId: string;
}

export const policyKey = (name: string, qualifier: string | undefined): string => `${name}/${qualifier ?? '$'}`;

export const getFunction = (tx: Tx, name: string) => tx.get<FunctionRecord>('functions', name);
export const getVersion = (tx: Tx, name: string, version: string) => tx.get<VersionRecord>('functionversions', versionKey(name, version));
export const getAlias = (tx: Tx, name: string, alias: string) => tx.get<AliasRecord>('aliases', `${name}/${alias}`);

export async function listVersions(tx: Tx, name: string): Promise<VersionRecord[]> {
  return (await tx.list<VersionRecord>('functionversions', `${name}/`)).map((i) => i.value);
}

export async function listAliases(tx: Tx, name: string): Promise<AliasRecord[]> {
  return (await tx.list<AliasRecord>('aliases', `${name}/`)).map((i) => i.value);
}
