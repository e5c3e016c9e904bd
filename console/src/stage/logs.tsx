// The stage's logs in CloudWatch Logs: execution logs (API-Gateway-Execution-Logs_{apiId}/{stage}, written when the
// stage's logging level is ERROR or INFO) and access logs (the group of the stage's accessLogSettings), newest last.
import { CloudWatchLogsClient, FilterLogEventsCommand, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import type { Stage } from '@aws-sdk/client-api-gateway';
import { useState } from 'preact/hooks';
import { awsClient } from '../aws.ts';
import { Button, ErrorNote, Loading, Section, SelectField, TextField } from '../ui/controls.tsx';
import { useAws } from '../ui/use-aws.ts';

const WINDOWS = [['900000', 'Last 15 minutes'], ['3600000', 'Last hour'], ['86400000', 'Last day'], ['604800000', 'Last week']] as const;

async function recentEvents(logGroupName: string, sinceMs: number, filterPattern: string): Promise<FilteredLogEvent[] | 'missing'> {
  const client = awsClient(CloudWatchLogsClient);
  const out: FilteredLogEvent[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const page = await client.send(new FilterLogEventsCommand({ logGroupName, startTime: Date.now() - sinceMs, filterPattern: filterPattern || undefined, nextToken, limit: 1000 }));
      out.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken && out.length < 2000);
  } catch (err) {
    if ((err as Error).name === 'ResourceNotFoundException') return 'missing';
    throw err;
  }
  return out;
}

/** The log group name in a CloudWatch Logs ARN (`…:log-group:NAME` or `…:log-group:NAME:*`). */
export function groupOfArn(arn: string): string | undefined {
  return /:log-group:([^:]+)/.exec(arn)?.[1];
}

export function StageLogs(props: { apiId: string; stage: Stage }) {
  const execution = `API-Gateway-Execution-Logs_${props.apiId}/${props.stage.stageName}`;
  const access = props.stage.accessLogSettings?.destinationArn ? groupOfArn(props.stage.accessLogSettings.destinationArn) : undefined;
  const [group, setGroup] = useState(execution);
  const [since, setSince] = useState<string>('3600000');
  const [filter, setFilter] = useState('');
  const [applied, setApplied] = useState('');
  const events = useAws(() => recentEvents(group, Number(since), applied), [group, since, applied]);
  const level = props.stage.methodSettings?.['*/*']?.loggingLevel ?? 'OFF';
  return (
    <Section title="Logs" actions={<Button onClick={events.reload} busy={events.loading}>Refresh</Button>}>
      <div class="row">
        <SelectField label="Log group" value={group} onChange={setGroup}
          options={[[execution, `Execution logs (${execution})`], ...(access ? [[access, `Access logs (${access})`] as [string, string]] : [])]} />
        <SelectField label="Time range" value={since} options={WINDOWS} onChange={setSince} />
        <form class="row" onSubmit={(e) => { e.preventDefault(); setApplied(filter); }}>
          <TextField label="Filter pattern" value={filter} onInput={setFilter} placeholder='"ERROR" or { $.status = 5* }' />
          <Button type="submit">Filter</Button>
        </form>
      </div>
      {group === execution && level === 'OFF' && <p class="note warn" role="status">Execution logging is off for this stage: set CloudWatch logs to Errors or Info in Method settings.</p>}
      <ErrorNote error={events.error} />
      {events.loading && !events.data && <Loading what="log events" />}
      {events.data === 'missing' && <p class="muted">The log group {group} does not exist yet: it is created with the first event.</p>}
      {Array.isArray(events.data) && (events.data.length === 0 ? <p class="muted">No events in this time range.</p> : (
        <pre data-testid="log-events" class="log">{events.data.map((e) => `${new Date(e.timestamp!).toISOString()} ${e.message?.replace(/\n$/, '')}`).join('\n')}</pre>
      ))}
    </Section>
  );
}
