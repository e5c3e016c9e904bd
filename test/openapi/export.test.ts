import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CreateDeploymentCommand, GetExportCommand } from '@aws-sdk/client-api-gateway';
import { startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { buildPetStore } from './export-petstore.ts';

const RECORDED = readFileSync(new URL('./fixtures/petstore-export-aws.json', import.meta.url), 'utf8');
const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** AWS's recorded export with this API's id and version filled in. */
function recorded(kind: 'swagger' | 'swaggerExt' | 'oas30' | 'oas30Ext', apiId: string, version: string): unknown {
  return JSON.parse(RECORDED.replaceAll('{apiId}', apiId).replaceAll('{version}', version))[kind];
}

/** Deep equality including the order of every object's keys. */
function assertSameOrdered(actual: unknown, expected: unknown): void {
  assert.equal(JSON.stringify(actual, null, 1), JSON.stringify(expected, null, 1));
}

describe('GetExport of the PetStore API matches the export AWS recorded, key order included', () => {
  let gh: Running;
  let apiId: string;
  let version: string;
  before(async () => {
    gh = await startGatehouse();
    apiId = await buildPetStore(gh.apigateway);
    const d = await gh.apigateway.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'local' }));
    version = isoSeconds(d.createdDate!);
  });
  after(() => gh.stop());

  for (const [exportType, withExt, kind] of [
    ['swagger', false, 'swagger'],
    ['swagger', true, 'swaggerExt'],
    ['oas30', false, 'oas30'],
    ['oas30', true, 'oas30Ext'],
  ] as const) {
    test(`${exportType}${withExt ? ' with extensions=apigateway' : ''}`, async () => {
      const out = await gh.apigateway.send(new GetExportCommand({
        restApiId: apiId, stageName: 'local', exportType, ...(withExt ? { parameters: { extensions: 'apigateway' } } : {}),
      }));
      assert.equal(out.contentType, 'application/octet-stream');
      assert.equal(out.contentDisposition, `attachment; filename="${exportType}_${version}.json"`);
      const body = JSON.parse(Buffer.from(out.body!).toString('utf8'));
      assertSameOrdered(body, recorded(kind, apiId, version));
    });
  }
});
