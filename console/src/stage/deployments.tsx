// Deployment history: the API's deployments, newest first, which one the stage (and its canary) serves, and
// switching the stage to another one (UpdateStage /deploymentId, a rollback).
import type { Stage } from '@aws-sdk/client-api-gateway';
import { allDeployments } from '../apigw/calls.ts';
import { Button, ErrorNote, Loading, Section } from '../ui/controls.tsx';
import { formatDate } from '../ui/format.ts';
import { useAction, useAws } from '../ui/use-aws.ts';
import { updateStage } from './update.ts';

export function DeploymentHistory(props: { apiId: string; stage: Stage; onSaved(): void }) {
  const deployments = useAws(() => allDeployments(props.apiId), [props.apiId, props.stage.deploymentId]);
  const act = useAction();
  return (
    <Section title="Deployment history">
      <ErrorNote error={deployments.error ?? act.error} />
      {deployments.loading && !deployments.data && <Loading />}
      {deployments.data && (
        <table class="grid" aria-label="Deployments">
          <thead><tr><th>Deployment</th><th>Created</th><th>Description</th><th>Serves</th><th><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {deployments.data.map((d) => {
              const active = d.id === props.stage.deploymentId;
              const canary = d.id === props.stage.canarySettings?.deploymentId;
              return (
                <tr key={d.id}>
                  <td class="mono">{d.id}</td>
                  <td>{formatDate(d.createdDate)}</td>
                  <td>{d.description}</td>
                  <td>{[active && 'Stage', canary && 'Canary'].filter(Boolean).join(', ')}</td>
                  <td>{!active && <Button busy={act.busy} onClick={async () => {
                    if (await act.run(() => updateStage(props.apiId, props.stage.stageName!, [{ op: 'replace', path: '/deploymentId', value: d.id! }]))) props.onSaved();
                  }}>Make active</Button>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Section>
  );
}
