// The bootstrap administrator: created at first start (IAM user `admin` with an access key), printed once by
// `gatehouse serve`, kept readable in `{dataDir}/admin-credentials` (mode 0600, a shared-credentials file the aws
// CLI reads), not printed again on later starts, and restored with the same key after a dev-mode reset.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execFile, spawnSync } from 'node:child_process';
import * as IAM from '@aws-sdk/client-iam';
import * as STS from '@aws-sdk/client-sts';
import { ROOT, spawnGatehouse, startGatehouse, tempDataDir } from '../helpers/gatehouse.ts';
import { identityClients } from './helpers.ts';

function credentialsFile(dataDir: string): { accessKeyId: string; secretAccessKey: string; text: string } {
  const text = readFileSync(join(dataDir, 'admin-credentials'), 'utf8');
  return { accessKeyId: /aws_access_key_id = (\S+)/.exec(text)![1]!, secretAccessKey: /aws_secret_access_key = (\S+)/.exec(text)![1]!, text };
}

describe('bootstrap identity', () => {
  it('first start prints the key once and keeps it in the data directory; later starts do not print it', async () => {
    const dataDir = tempDataDir();
    try {
      const first = await spawnGatehouse({ dataDir, env: { GATEHOUSE_REQUIRE_AUTH: '1' } });
      const file = credentialsFile(dataDir);
      assert.match(file.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
      assert.equal(file.secretAccessKey.length, 40);
      assert.equal(statSync(join(dataDir, 'admin-credentials')).mode & 0o777, 0o600);
      await new Promise((r) => setTimeout(r, 200));
      const out1 = first.output();
      assert.ok(out1.includes(`aws_access_key_id = ${file.accessKeyId}`), out1);
      assert.ok(out1.includes(`aws_secret_access_key = ${file.secretAccessKey}`), out1);
      assert.ok(out1.includes('Control APIs verify SigV4 signatures (--require-auth).'), out1);

      // The file works as a shared-credentials file for the aws CLI, against a server that verifies signatures.
      const cli = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          '/usr/bin/aws',
          ['--profile', 'gatehouse', 'sts', 'get-caller-identity', '--endpoint-url', first.endpoint, '--region', 'us-east-1', '--output', 'json'],
          { env: { PATH: process.env.PATH, HOME: dataDir, AWS_SHARED_CREDENTIALS_FILE: join(dataDir, 'admin-credentials'), AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '' } },
          (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }),
        );
      });
      assert.equal(cli.code, 0, cli.stderr);
      assert.equal(JSON.parse(cli.stdout).Arn, 'arn:aws:iam::123456789012:user/admin');
      assert.equal(await first.stop(), 0);

      const second = await spawnGatehouse({ dataDir });
      await new Promise((r) => setTimeout(r, 200));
      assert.ok(!second.output().includes(file.secretAccessKey), 'the secret is printed at first start only');
      assert.ok(second.output().includes('signatures are not verified'), second.output());
      assert.equal(credentialsFile(dataDir).text, file.text);
      assert.equal(await second.stop(), 0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('GATEHOUSE_REQUIRE_AUTH must be a switch; --require-auth is listed by serve --help', async () => {
    const dataDir = tempDataDir();
    try {
      const bad = spawnSync(process.execPath, [join(ROOT, 'src/cli/main.ts'), 'serve', '--port', '0', '--data-dir', dataDir], {
        env: { ...process.env, GATEHOUSE_REQUIRE_AUTH: 'maybe' },
        encoding: 'utf8',
      });
      assert.equal(bad.status, 1);
      assert.equal(bad.stderr.trim(), 'gatehouse: GATEHOUSE_REQUIRE_AUTH="maybe" is not a switch (use 1 or 0, true or false)');
      const help = spawnSync(process.execPath, [join(ROOT, 'src/cli/main.ts'), 'serve', '--help'], { encoding: 'utf8' });
      assert.match(help.stdout, /--require-auth +verify the SigV4 signature of every control\s+request/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('the administrator owns the key, holds an allow-all inline policy, and survives a dev-mode reset with the same key', async () => {
    const gh = await startGatehouse({ dev: true, config: { requireAuth: true } });
    try {
      const file = credentialsFile(gh.dataDir);
      assert.equal(gh.gatehouse.bootstrap!.accessKeyId, file.accessKeyId);
      assert.equal(gh.gatehouse.bootstrap!.created, true);
      const { iam, sts } = identityClients(gh.endpoint, file);
      assert.deepEqual((await iam.send(new IAM.ListAccessKeysCommand({}))).AccessKeyMetadata!.map((k) => [k.UserName, k.AccessKeyId, k.Status]), [['admin', file.accessKeyId, 'Active']]);
      const policy = await iam.send(new IAM.GetUserPolicyCommand({ UserName: 'admin', PolicyName: 'AdministratorAccess' }));
      assert.deepEqual(JSON.parse(decodeURIComponent(policy.PolicyDocument!)), { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
      await iam.send(new IAM.CreateUserCommand({ UserName: 'temp' }));

      const reset = await fetch(`${gh.endpoint}/_gatehouse/reset`, { method: 'POST', headers: { 'x-gatehouse-confirm': 'reset' } });
      assert.equal(reset.status < 300, true, `reset answered ${reset.status}`);
      assert.deepEqual((await iam.send(new IAM.ListUsersCommand({}))).Users!.map((u) => u.UserName), ['admin'], 'state is gone, the administrator is back');
      assert.equal((await sts.send(new STS.GetCallerIdentityCommand({}))).Arn, 'arn:aws:iam::123456789012:user/admin');
      assert.equal(credentialsFile(gh.dataDir).text, file.text);
      iam.destroy();
      sts.destroy();
    } finally {
      await gh.stop();
    }
  });
});
