// Monitoring for one API, all its stages or one: request count, 4XX and 5XX errors, latency and integration latency
// from CloudWatch (GetMetricData over AWS/ApiGateway, dimensions ApiName or ApiName+Stage, as AWS publishes them),
// refreshed every 15 s, and live tails of the stage's execution log (API-Gateway-Execution-Logs_{apiId}/{stage}) and
// access log (the group its accessLogSettings name). A stage whose logging is off says so rather than showing
// an empty log as if nothing had happened.
import { APIGatewayClient, GetRestApiCommand, GetStagesCommand, type Stage } from '@aws-sdk/client-api-gateway';
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { useEffect, useState } from 'preact/hooks';
import { awsClient } from '../aws.ts';
import type { PageProps } from '../routes.tsx';
import { href, pathOf } from '../router.ts';
import { LineChart, type Series } from '../ui/chart.tsx';
import { ErrorNote, Loading, Note, Section, SelectField } from '../ui/controls.tsx';
import { LogTail } from '../ui/log-tail.tsx';
import { useAws } from '../ui/use-aws.ts';

const WINDOWS = [['900000', 'Last 15 minutes'], ['3600000', 'Last hour'], ['10800000', 'Last 3 hours'], ['86400000', 'Last day']] as const;
type WindowMs = (typeof WINDOWS)[number][0];
const REFRESH_MS = 15_000;
const ALL = '';

/** The metrics the view charts: [chart title, unit, [metric, statistic, legend label][]]. */
const CHARTS = [
  ['API calls', 'requests', [['Count', 'Sum', 'Count']]],
  ['Errors', 'responses', [['4XXError', 'Sum', '4XX'], ['5XXError', 'Sum', '5XX']]],
  ['Latency', 'ms', [['Latency', 'Average', 'Latency']]],
  ['Integration latency', 'ms', [['IntegrationLatency', 'Average', 'Integration latency']]],
] as const;

/** A period giving at most a few hundred points per series (CloudWatch counts data points per request). */
function periodFor(windowMs: number): number {
  return windowMs <= 3_600_000 ? 60 : windowMs <= 10_800_000 ? 300 : 900;
}

async function metrics(apiName: string, stage: string, windowMs: number): Promise<{ series: Series[][]; from: Date; to: Date }> {
  const to = new Date();
  const from = new Date(to.getTime() - windowMs);
  const Period = periodFor(windowMs);
  const Dimensions = [{ Name: 'ApiName', Value: apiName }, ...(stage ? [{ Name: 'Stage', Value: stage }] : [])];
  const queries: MetricDataQuery[] = CHARTS.flatMap(([, , lines], c) => lines.map(([MetricName, Stat], l) => ({
    Id: `m${c}_${l}`,
    MetricStat: { Metric: { Namespace: 'AWS/ApiGateway', MetricName, Dimensions }, Period, Stat },
    ReturnData: true,
  })));
  const out = await awsClient(CloudWatchClient).send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: from, EndTime: to, ScanBy: 'TimestampAscending' }));
  const byId = new Map((out.MetricDataResults ?? []).map((r) => [r.Id, r]));
  const series = CHARTS.map(([, , lines], c) => lines.map(([, Stat, label], l): Series => {
    const r = byId.get(`m${c}_${l}`);
    return { label, summary: Stat === 'Sum' ? 'sum' : 'average', points: (r?.Timestamps ?? []).map((t, i) => ({ t, v: r!.Values![i]! })) };
  }));
  return { series, from, to };
}

/** Axis labels for windows longer than a few hours, which cross midnight. */
const dayAndTime = (d: Date) => d.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** The log group a CloudWatch Logs ARN names (`…:log-group:NAME` with or without `:*`). */
function groupOfArn(arn: string | undefined): string | undefined {
  return arn ? /:log-group:([^:]+)(:\*)?$/.exec(arn)?.[1] : undefined;
}

function Logs(props: { apiId: string; stage: Stage; windowMs: number }) {
  const level = props.stage.methodSettings?.['*/*']?.loggingLevel;
  const anyLogging = Object.values(props.stage.methodSettings ?? {}).some((m) => m.loggingLevel && m.loggingLevel !== 'OFF');
  const accessGroup = groupOfArn(props.stage.accessLogSettings?.destinationArn);
  const stagePage = href(pathOf('apis', props.apiId, 'stages', props.stage.stageName!));
  return (
    <Section title={`Logs of stage ${props.stage.stageName}`}>
      {!anyLogging && <Note kind="warn">Execution logging is off for this stage: set its CloudWatch logs level to ERROR or INFO in the <a href={stagePage}>stage editor</a> to see execution logs.</Note>}
      {anyLogging && level && <p class="muted">Execution logging level for all methods: {level}</p>}
      <LogTail title="Execution log" group={`API-Gateway-Execution-Logs_${props.apiId}/${props.stage.stageName}`} sinceMs={props.windowMs} />
      {accessGroup
        ? <LogTail title="Access log" group={accessGroup} sinceMs={props.windowMs} />
        : <Note kind="warn">Access logging is off for this stage: give it a log group and a format in the <a href={stagePage}>stage editor</a>.</Note>}
    </Section>
  );
}

export default function MonitoringPage(props: PageProps) {
  const apiId = props.params.apiId!;
  const api = useAws(async () => {
    const client = awsClient(APIGatewayClient);
    const [rest, stages] = await Promise.all([client.send(new GetRestApiCommand({ restApiId: apiId })), client.send(new GetStagesCommand({ restApiId: apiId }))]);
    return { name: rest.name!, stages: stages.item ?? [] };
  }, [apiId]);
  const [stage, setStage] = useState(ALL);
  const [windowMs, setWindowMs] = useState<WindowMs>('3600000');
  const name = api.data?.name;
  const data = useAws(async () => (name ? metrics(name, stage, Number(windowMs)) : undefined), [name, stage, windowMs]);
  const reload = data.reload;
  useEffect(() => {
    const t = setInterval(reload, REFRESH_MS);
    return () => clearInterval(t);
  }, [reload]);
  const current = api.data?.stages.find((s) => s.stageName === stage);
  return (
    <>
      <div class="page-head"><h1>Monitoring</h1>{name && <span class="muted">{name} ({apiId})</span>}</div>
      <ErrorNote error={api.error ?? data.error} />
      {api.loading && !api.data && <Loading what="the API" />}
      {api.data && (
        <div class="row">
          <SelectField label="Stage" value={stage} options={[[ALL, 'All stages'] as const, ...api.data.stages.map((s) => [s.stageName!, s.stageName!] as const)]} onChange={setStage} />
          <SelectField<WindowMs> label="Period" value={windowMs} options={WINDOWS} onChange={setWindowMs} />
        </div>
      )}
      {api.data?.stages.length === 0 && <Note>This API has no stages yet: deploy it to see its traffic.</Note>}
      {data.data && (
        <div class="charts" aria-label="Metrics" role="region">
          {CHARTS.map(([title, unit], i) => <LineChart key={title} title={title} unit={unit} series={data.data!.series[i]!} from={data.data!.from} to={data.data!.to} timeLabel={Number(windowMs) > 10_800_000 ? dayAndTime : undefined} />)}
        </div>
      )}
      {current ? <Logs apiId={apiId} stage={current} windowMs={Number(windowMs)} /> : api.data && api.data.stages.length > 0 && <p class="muted">Choose a stage to tail its execution and access logs.</p>}
    </>
  );
}
