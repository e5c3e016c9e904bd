// Stages: the API's stages and, for the chosen one, its details and invoke URL, stage variables, method settings,
// canary, deployment history and logs (tabs in the URL: `?tab=variables`).
import { DeleteStageCommand } from '@aws-sdk/client-api-gateway';
import { allStages, apigw } from '../apigw/calls.ts';
import type { PageProps } from '../routes.tsx';
import { hashQuery, href, navigate, pathOf } from '../router.ts';
import { CanaryEditor } from '../stage/canary.tsx';
import { DeploymentHistory } from '../stage/deployments.tsx';
import { StageDetails } from '../stage/details.tsx';
import { StageLogs } from '../stage/logs.tsx';
import { MethodSettingsEditor } from '../stage/method-settings.tsx';
import { StageVariables } from '../stage/variables.tsx';
import { Button, ErrorNote, Loading } from '../ui/controls.tsx';
import { useAction, useAws } from '../ui/use-aws.ts';

const TABS = [['details', 'Stage details'], ['variables', 'Stage variables'], ['settings', 'Method settings'], ['canary', 'Canary'], ['deployments', 'Deployment history'], ['logs', 'Logs']] as const;

export default function StagesPage({ params }: PageProps) {
  const apiId = params.apiId!;
  const stages = useAws(() => allStages(apiId), [apiId]);
  const del = useAction();
  const selected = stages.data?.find((s) => s.stageName === params.stageName) ?? (params.stageName ? undefined : stages.data?.[0]);
  const tab = hashQuery().get('tab') ?? 'details';
  const here = selected ? pathOf('apis', apiId, 'stages', selected.stageName!) : '';
  // Editors start from the stored stage when it is opened; after a save they keep what was typed (now stored).
  const version = selected?.stageName;
  return (
    <>
      <div class="page-head">
        <h1>Stages</h1>
        <a class="btn primary" href={href(pathOf('apis', apiId, 'deploy'))}>Deploy API</a>
      </div>
      <ErrorNote error={stages.error ?? del.error} />
      {stages.loading && !stages.data && <Loading what="stages" />}
      {stages.data?.length === 0 && <p class="muted">No stages yet: deploy the API to create one.</p>}
      {params.stageName && stages.data && !selected && <p class="note error" role="alert">NotFoundException: Invalid stage identifier specified</p>}
      {stages.data && selected && (
        <div class="split">
          <nav class="panel" aria-label="Stages">
            <ul class="tree" style={{ paddingLeft: 0 }}>
              {stages.data.map((s) => <li key={s.stageName}><a href={href(pathOf('apis', apiId, 'stages', s.stageName!))} aria-current={s === selected ? 'true' : undefined}>{s.stageName}</a></li>)}
            </ul>
          </nav>
          <div>
            <div class="page-head">
              <h2>Stage {selected.stageName}</h2>
              <Button variant="danger" busy={del.busy} onClick={async () => {
                if (!window.confirm(`Delete stage ${selected.stageName}? Its invoke URL stops answering.`)) return;
                if (await del.run(() => apigw().send(new DeleteStageCommand({ restApiId: apiId, stageName: selected.stageName! })))) {
                  navigate(pathOf('apis', apiId, 'stages'));
                  stages.reload();
                }
              }}>Delete stage</Button>
            </div>
            <nav class="tabs" aria-label="Stage">
              {TABS.map(([t, label]) => <a key={t} class="tab" href={href(t === 'details' ? here : `${here}?tab=${t}`)} aria-current={t === tab ? 'page' : undefined}>{label}</a>)}
            </nav>
            {tab === 'details' && <StageDetails key={version} apiId={apiId} stage={selected} onSaved={stages.reload} />}
            {tab === 'variables' && <StageVariables key={version} apiId={apiId} stage={selected} onSaved={stages.reload} />}
            {tab === 'settings' && <MethodSettingsEditor apiId={apiId} stage={selected} onSaved={stages.reload} />}
            {tab === 'canary' && <CanaryEditor key={version} apiId={apiId} stage={selected} onSaved={stages.reload} />}
            {tab === 'deployments' && <DeploymentHistory apiId={apiId} stage={selected} onSaved={stages.reload} />}
            {tab === 'logs' && <StageLogs apiId={apiId} stage={selected} />}
          </div>
        </div>
      )}
    </>
  );
}
