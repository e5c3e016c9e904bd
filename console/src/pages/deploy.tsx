// Deploy API: a deployment to an existing stage (to its canary when it has one, as the console offers) or to a new
// stage; then the stage opens with its invoke URL.
import { CreateDeploymentCommand } from '@aws-sdk/client-api-gateway';
import { useState } from 'preact/hooks';
import { allStages, apigw } from '../apigw/calls.ts';
import type { PageProps } from '../routes.tsx';
import { navigate, pathOf } from '../router.ts';
import { Button, Checkbox, ErrorNote, Loading, SelectField, TextField } from '../ui/controls.tsx';
import { useAction, useAws } from '../ui/use-aws.ts';

const NEW = '\u0000new';

export default function DeployPage({ params }: PageProps) {
  const apiId = params.apiId!;
  const stages = useAws(() => allStages(apiId), [apiId]);
  const [stage, setStage] = useState<string>();
  const [newName, setNewName] = useState('');
  const [description, setDescription] = useState('');
  const [toCanary, setToCanary] = useState(true);
  const deploy = useAction();
  const chosen = stage ?? stages.data?.[0]?.stageName ?? NEW;
  const existing = stages.data?.find((s) => s.stageName === chosen);
  const canary = existing?.canarySettings;
  return (
    <>
      <h1>Deploy API</h1>
      <ErrorNote error={stages.error} />
      {stages.loading && !stages.data && <Loading />}
      {stages.data && (
        <form class="panel" onSubmit={async (e) => {
          e.preventDefault();
          const stageName = chosen === NEW ? newName.trim() : chosen;
          if (await deploy.run(() => apigw().send(new CreateDeploymentCommand({
            restApiId: apiId, stageName, description: description || undefined,
            canarySettings: canary && toCanary ? { percentTraffic: canary.percentTraffic, stageVariableOverrides: canary.stageVariableOverrides, useStageCache: canary.useStageCache } : undefined,
          })))) navigate(pathOf('apis', apiId, 'stages', stageName));
        }}>
          <SelectField label="Stage" value={chosen} onChange={setStage} options={[...stages.data.map((s) => s.stageName!), [NEW, '*New stage*'] as const]} />
          {chosen === NEW && <TextField label="Stage name" name="stageName" value={newName} onInput={setNewName} required placeholder="dev" />}
          {canary && <Checkbox label={`Deploy to the canary (${canary.percentTraffic ?? 0}% of requests); the stage keeps its deployment until promoted`} checked={toCanary} onChange={setToCanary} />}
          <TextField label="Deployment description" name="description" value={description} onInput={setDescription} />
          <ErrorNote error={deploy.error} />
          <Button type="submit" variant="primary" busy={deploy.busy}>Deploy</Button>
        </form>
      )}
    </>
  );
}
