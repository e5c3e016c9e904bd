// Usage plans: the list (GetUsagePlans) and "Create usage plan" with its throttle, quota and API stages.
import { CreateUsagePlanCommand, type QuotaPeriodType } from '@aws-sdk/client-api-gateway';
import { useState } from 'preact/hooks';
import { allUsagePlans, apigw } from '../apigw-features/calls.ts';
import { href, navigate, pathOf } from '../router.ts';
import { Button, ErrorNote, Loading, Section, SelectField, TextField } from '../ui/controls.tsx';
import { useAction, useAws } from '../ui/use-aws.ts';

const PERIODS = ['', 'DAY', 'WEEK', 'MONTH'] as const;

function CreatePlan() {
  const [name, setName] = useState('');
  const [rate, setRate] = useState('');
  const [burst, setBurst] = useState('');
  const [limit, setLimit] = useState('');
  const [period, setPeriod] = useState<(typeof PERIODS)[number]>('');
  const action = useAction();
  return (
    <form onSubmit={async (e) => {
      e.preventDefault();
      let id: string | undefined;
      const ok = await action.run(async () => {
        id = (await apigw().send(new CreateUsagePlanCommand({
          name,
          throttle: rate || burst ? { rateLimit: rate ? Number(rate) : undefined, burstLimit: burst ? Number(burst) : undefined } : undefined,
          quota: limit || period ? { limit: limit ? Number(limit) : undefined, period: (period || undefined) as QuotaPeriodType | undefined } : undefined,
        }))).id;
      });
      if (ok && id) navigate(pathOf('usageplans', id));
    }}>
      <TextField label="Plan name" name="name" value={name} onInput={setName} />
      <div class="row">
        <TextField label="Rate (requests per second)" name="rateLimit" type="number" value={rate} onInput={setRate} />
        <TextField label="Burst" name="burstLimit" type="number" value={burst} onInput={setBurst} />
      </div>
      <div class="row">
        <TextField label="Quota (requests)" name="quotaLimit" type="number" value={limit} onInput={setLimit} />
        <SelectField<(typeof PERIODS)[number]> label="Quota period" value={period} options={[['', 'No quota'], ['DAY', 'Per day'], ['WEEK', 'Per week'], ['MONTH', 'Per month']] as const} onChange={setPeriod} />
      </div>
      <ErrorNote error={action.error} />
      <Button type="submit" variant="primary" busy={action.busy}>Create usage plan</Button>
    </form>
  );
}

export default function UsagePlansPage() {
  const plans = useAws(allUsagePlans, []);
  const [creating, setCreating] = useState(false);
  return (
    <>
      <div class="page-head">
        <h1>Usage plans</h1>
        <Button variant="primary" aria-expanded={creating} onClick={() => setCreating(!creating)}>Create usage plan</Button>
      </div>
      {creating && <Section title="Create usage plan"><CreatePlan /></Section>}
      <ErrorNote error={plans.error} />
      {plans.loading && !plans.data && <Loading what="usage plans" />}
      {plans.data && plans.data.length > 0 && (
        <table class="grid" aria-label="Usage plans">
          <thead><tr><th>Name</th><th>ID</th><th>Throttle</th><th>Quota</th><th>API stages</th></tr></thead>
          <tbody>
            {plans.data.map((p) => (
              <tr key={p.id}>
                <td><a href={href(pathOf('usageplans', p.id!))}>{p.name}</a></td>
                <td class="mono">{p.id}</td>
                <td>{p.throttle ? `${p.throttle.rateLimit ?? '–'} rps, burst ${p.throttle.burstLimit ?? '–'}` : 'none'}</td>
                <td>{p.quota ? `${p.quota.limit} per ${p.quota.period?.toLowerCase()}` : 'none'}</td>
                <td>{p.apiStages?.map((s) => `${s.apiId}:${s.stage}`).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {plans.data?.length === 0 && <p class="muted">No usage plans in this region yet.</p>}
    </>
  );
}
