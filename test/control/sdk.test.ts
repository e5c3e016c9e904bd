import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { GetSdkTypeCommand, GetSdkTypesCommand } from '@aws-sdk/client-api-gateway';
import { sigv4Headers, startGatehouse, type Running } from '../helpers/gatehouse.ts';
import { awsError } from './deployable-api.ts';

let gh: Running;
before(async () => {
  gh = await startGatehouse();
});
after(async () => {
  await gh.stop();
});

// The SDK types GetSdk accepts: "Currently java, javascript, android, objectivec (for iOS), swift (for iOS), and
// ruby are supported" (GetSdk API reference, sdkType).
test('GetSdkTypes lists the six generators', async () => {
  const r = await gh.apigateway.send(new GetSdkTypesCommand({}));
  assert.deepEqual(r.items!.map((t) => t.id).sort(), ['android', 'java', 'javascript', 'objectivec', 'ruby', 'swift']);
});

test('GetSdkTypes pages on the wire with limit/position', async () => {
  const auth = sigv4Headers();
  const first = (await (await fetch(`${gh.endpoint}/sdktypes?limit=4`, { headers: auth })).json()) as { item: unknown[]; position?: string };
  assert.equal(first.item.length, 4);
  assert.ok(first.position);
  const second = (await (await fetch(`${gh.endpoint}/sdktypes?limit=4&position=${first.position}`, { headers: auth })).json()) as { item: unknown[]; position?: string };
  assert.equal(second.item.length, 2);
  assert.equal(second.position, undefined);
});

test('GetSdkType returns the configuration properties GetSdk requires', async () => {
  // GetSdk reference: android needs groupId, artifactId, artifactVersion and invokerPackage; java needs serviceName
  // and javaPackageName; objectivec and swift need classPrefix.
  const android = await gh.apigateway.send(new GetSdkTypeCommand({ id: 'android' }));
  assert.deepEqual(
    android.configurationProperties!.filter((p) => p.required).map((p) => p.name).sort(),
    ['artifactId', 'artifactVersion', 'groupId', 'invokerPackage'],
  );
  const java = await gh.apigateway.send(new GetSdkTypeCommand({ id: 'java' }));
  assert.deepEqual(java.configurationProperties!.filter((p) => p.required).map((p) => p.name).sort(), ['javaPackageName', 'serviceName']);
  const swift = await gh.apigateway.send(new GetSdkTypeCommand({ id: 'swift' }));
  assert.deepEqual(swift.configurationProperties!.map((p) => [p.name, p.required]), [['classPrefix', true]]);
  const js = await gh.apigateway.send(new GetSdkTypeCommand({ id: 'javascript' }));
  assert.deepEqual(js.configurationProperties, []);
});

test('GetSdkType of an unknown type is a 404', async () => {
  const err = await awsError(() => gh.apigateway.send(new GetSdkTypeCommand({ id: 'cobol' })));
  assert.deepEqual(err, { name: 'NotFoundException', message: 'Invalid SDK type specified: cobol', status: 404 });
});
