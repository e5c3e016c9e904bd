// One usage plan: its settings, its API stages (UpdateUsagePlan add/remove /apiStages), its API keys
// (CreateUsagePlanKey, DeleteUsagePlanKey) and their usage per day (GetUsage), charted and tabulated.
import { CreateUsagePlanKeyCommand, DeleteUsagePlanCommand, DeleteUsagePlanKeyCommand, GetUsageCommand, GetUsagePlanCommand, GetUsagePlanKeysCommand, UpdateUsagePlanCommand } from '@aws-sdk/client-api-gateway';
import { useState } from 'preact/hooks';
import { allApiKeys, allApiStages, apigw } from '../apigw-features/calls.ts';
import type { PageProps } from '../routes.tsx';
import { href, navigate } from '../router.ts';
import { LineChart, type Series } from '../ui/chart.tsx';
import { Button, ErrorNote, Loading, Section, SelectField } from '../ui/controls.tsx';
import { everyItem } from '../ui/paging.ts';
import { useAction, useAws } from '../ui/use-aws.ts';

const DAY = 86_400_000;
const day = (d: Date) => d.toISOString().slice(0, 10);

function Usage(props: { planId: string; keyNames: Map<string, string> }) {
  const [days, setDays] = useState('7');
  const usage = useAws(async () => {
    const end = new Date();
    const start = new Date(end.getTime() - (Number(days) - 1) * DAY);
    const out = await apigw().send(new GetUsageCommand({ usagePlanId: props.planId, startDate: day(start), endDate: day(end), limit: 500 }));
    const startMs = Date.parse(day(start));
    const series: Series[] = Object.entries(out.items ?? {}).map(([keyId, perDay]) => ({
      label: props.keyNames.get(keyId) ?? keyId,
      summary: 'sum',
      points: perDay.map((pair, i) => ({ t: new Date(startMs + i * DAY), v: pair[0] ?? 0 })),
    }));
    return { series, from: new Date(startMs), to: new Date(Date.parse(day(end))), raw: out.items ?? {} };
  }, [props.planId, days, props.keyNames]);
  return (
    <Section title="Usage" actions={<>
      <SelectField label="Days" value={days} options={[['7', 'Last 7 days'], ['14', 'Last 14 days'], ['30', 'Last 30 days']] as const} onChange={setDays} />
      <Button onClick={usage.reload}>Refresh</Button>
    </>}>
      <ErrorNote error={usage.error} />
      {usage.data && (
        <>
          <LineChart title="Requests per day" unit="requests" series={usage.data.series} from={usage.data.from} to={usage.data.to} timeLabel={(d) => day(d).slice(5)} />
          <table class="grid" aria-label="Usage per key">
            <thead><tr><th>API key</th><th>Used</th><th>Remaining (last day)</th></tr></thead>
            <tbody>
              {Object.entries(usage.data.raw).map(([keyId, perDay]) => (
                <tr key={keyId}>
                  <td>{props.keyNames.get(keyId) ?? keyId}</td>
                  <td>{perDay.reduce((a, p) => a + (p[0] ?? 0), 0)}</td>
                  <td>{perDay.at(-1)?.[1] ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {usage.data.series.length === 0 && <p class="muted">No API keys in this plan yet.</p>}
        </>
      )}
    </Section>
  );
}

export default function UsagePlanPage(props: PageProps) {
  const planId = props.params.planId!;
  const plan = useAws(() => apigw().send(new GetUsagePlanCommand({ usagePlanId: planId })), [planId]);
  const planKeys = useAws(() => everyItem((position) => apigw().send(new GetUsagePlanKeysCommand({ usagePlanId: planId, limit: 500, position }))), [planId]);
  const options = useAws(async () => ({ keys: await allApiKeys(), stages: await allApiStages() }), []);
  const [keyChoice, setKeyChoice] = useState('');
  const [stageChoice, setStageChoice] = useState('');
  const action = useAction();
  const keyNames = useAws(async () => new Map((await allApiKeys()).map((k) => [k.id!, k.name ?? k.id!])), [planKeys.data]);
  const p = plan.data;
  const patchStages = async (op: 'add' | 'remove', value: string) => {
    if (await action.run(() => apigw().send(new UpdateUsagePlanCommand({ usagePlanId: planId, patchOperations: [{ op, path: '/apiStages', value }] })))) {
      setStageChoice('');
      plan.reload();
    }
  };
  const inPlan = new Set(planKeys.data?.map((k) => k.id));
  const keyOptions = (options.data?.keys ?? []).filter((k) => !inPlan.has(k.id));
  const stageOptions = (options.data?.stages ?? []).map((s) => `${s.apiId}:${s.stage}`).filter((v) => !p?.apiStages?.some((s) => `${s.apiId}:${s.stage}` === v));
  return (
    <>
      <div class="crumbs"><a href={href('/usageplans')}>Usage plans</a> › {p?.name ?? planId}</div>
      <div class="page-head">
        <h1>{p?.name ?? 'Usage plan'}</h1>
        <Button variant="danger" onClick={async () => {
          if (window.confirm('Delete this usage plan?') && await action.run(() => apigw().send(new DeleteUsagePlanCommand({ usagePlanId: planId })))) navigate('/usageplans');
        }}>Delete usage plan</Button>
      </div>
      <ErrorNote error={plan.error ?? planKeys.error ?? options.error ?? action.error} />
      {plan.loading && !p && <Loading what="the usage plan" />}
      {p && (
        <Section title="Details">
          <dl class="kv">
            <dt>ID</dt><dd class="mono">{p.id}</dd>
            <dt>Throttle</dt><dd>{p.throttle ? `${p.throttle.rateLimit ?? '–'} requests per second, burst ${p.throttle.burstLimit ?? '–'}` : 'none'}</dd>
            <dt>Quota</dt><dd>{p.quota ? `${p.quota.limit} requests per ${p.quota.period?.toLowerCase()}` : 'none'}</dd>
          </dl>
        </Section>
      )}
      {p && (
        <Section title="Associated stages">
          <table class="grid" aria-label="Associated stages">
            <thead><tr><th>API</th><th>Stage</th><th /></tr></thead>
            <tbody>
              {(p.apiStages ?? []).map((s) => (
                <tr key={`${s.apiId}:${s.stage}`}><td class="mono">{s.apiId}</td><td>{s.stage}</td>
                  <td><Button variant="danger" aria-label={`Remove stage ${s.apiId}:${s.stage}`} onClick={() => patchStages('remove', `${s.apiId}:${s.stage}`)}>Remove</Button></td></tr>
              ))}
            </tbody>
          </table>
          <form class="row inline-form" onSubmit={(e) => { e.preventDefault(); if (stageChoice) void patchStages('add', stageChoice); }}>
            <SelectField label="API stage" value={stageChoice} options={[['', 'Choose an API stage'] as const, ...stageOptions.map((v) => [v, v] as const)]} onChange={setStageChoice} />
            <Button type="submit" busy={action.busy}>Add API stage</Button>
          </form>
        </Section>
      )}
      <Section title="Associated API keys">
        <table class="grid" aria-label="Associated API keys">
          <thead><tr><th>Name</th><th>ID</th><th>Type</th><th /></tr></thead>
          <tbody>
            {(planKeys.data ?? []).map((k) => (
              <tr key={k.id}><td>{k.name}</td><td class="mono">{k.id}</td><td>{k.type}</td>
                <td><Button variant="danger" aria-label={`Remove key ${k.name}`} onClick={async () => {
                  if (await action.run(() => apigw().send(new DeleteUsagePlanKeyCommand({ usagePlanId: planId, keyId: k.id })))) planKeys.reload();
                }}>Remove</Button></td></tr>
            ))}
          </tbody>
        </table>
        <form class="row inline-form" onSubmit={async (e) => {
          e.preventDefault();
          if (keyChoice && await action.run(() => apigw().send(new CreateUsagePlanKeyCommand({ usagePlanId: planId, keyId: keyChoice, keyType: 'API_KEY' })))) {
            setKeyChoice('');
            planKeys.reload();
          }
        }}>
          <SelectField label="API key" value={keyChoice} options={[['', 'Choose an API key'] as const, ...keyOptions.map((k) => [k.id!, `${k.name} (${k.id})`] as const)]} onChange={setKeyChoice} />
          <Button type="submit" busy={action.busy}>Add API key</Button>
        </form>
      </Section>
      {keyNames.data && <Usage planId={planId} keyNames={keyNames.data} />}
    </>
  );
}
