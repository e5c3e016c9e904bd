// A live tail of a CloudWatch Logs group: FilterLogEvents from a start time, polled every 2 s while live, each
// event shown once (by eventId), the newest 500 kept. A group that does not exist yet is said so (it appears with
// the first line written to it), never shown as an empty success.
import { CloudWatchLogsClient, FilterLogEventsCommand, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { useEffect, useRef, useState } from 'preact/hooks';
import { awsClient, awsMessage } from '../aws.ts';
import { Button } from './controls.tsx';

const POLL_MS = 2000;
const KEEP = 500;

export function LogTail(props: { group: string; title: string; sinceMs: number; filterPattern?: string }) {
  const [events, setEvents] = useState<FilteredLogEvent[]>([]);
  const [state, setState] = useState<'live' | 'paused'>('live');
  const [problem, setProblem] = useState<{ missing?: boolean; error?: string }>({});
  const seen = useRef(new Set<string>());
  const since = useRef(Date.now() - props.sinceMs);
  const pre = useRef<HTMLPreElement>(null);

  // New lines scroll into view unless the reader has scrolled up to read older ones.
  const pinned = useRef(true);
  useEffect(() => {
    if (pinned.current && pre.current) pre.current.scrollTop = pre.current.scrollHeight;
  }, [events]);

  useEffect(() => {
    seen.current = new Set();
    since.current = Date.now() - props.sinceMs;
    setEvents([]);
  }, [props.group, props.sinceMs, props.filterPattern]);

  useEffect(() => {
    if (state !== 'live') return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const fresh: FilteredLogEvent[] = [];
        let nextToken: string | undefined;
        do {
          const page = await awsClient(CloudWatchLogsClient).send(new FilterLogEventsCommand({
            logGroupName: props.group, startTime: since.current, filterPattern: props.filterPattern || undefined, nextToken, limit: 1000,
          }));
          for (const e of page.events ?? []) {
            const id = e.eventId ?? `${e.logStreamName}:${e.timestamp}:${e.message}`;
            if (!seen.current.has(id)) {
              seen.current.add(id);
              fresh.push(e);
            }
          }
          nextToken = page.nextToken;
        } while (nextToken && !stopped);
        if (stopped) return;
        setProblem({});
        if (fresh.length) {
          // Later polls start at the newest event's time (the same millisecond again: `seen` drops repeats).
          since.current = Math.max(since.current, ...fresh.map((e) => e.timestamp ?? 0));
          setEvents((old) => [...old, ...fresh].sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0)).slice(-KEEP));
        }
      } catch (err) {
        if (stopped) return;
        setProblem((err as Error).name === 'ResourceNotFoundException' ? { missing: true } : { error: awsMessage(err) });
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [state, props.group, props.sinceMs, props.filterPattern]);

  return (
    <div class="log-tail">
      <div class="panel-head">
        <h3>{props.title} <span class="muted mono">{props.group}</span></h3>
        <div class="actions">
          <span class={state === 'live' ? 'status-ok' : 'muted'} role="status">{state === 'live' ? 'Live' : 'Paused'}</span>
          <Button onClick={() => setState(state === 'live' ? 'paused' : 'live')}>{state === 'live' ? 'Pause' : 'Resume'}</Button>
          <Button variant="plain" onClick={() => setEvents([])}>Clear</Button>
        </div>
      </div>
      {problem.error && <p class="note error" role="alert">{problem.error}</p>}
      {problem.missing && <p class="note info">The log group {props.group} does not exist yet: it is created with its first log line.</p>}
      {!problem.missing && (
        <pre class="log-lines" ref={pre} onScroll={(e) => {
          const el = e.currentTarget as HTMLPreElement;
          pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }} aria-label={`${props.title} lines`} aria-live="polite" tabIndex={0}>
          {events.length === 0 ? 'No log events yet.' : events.map((e) => `${new Date(e.timestamp ?? 0).toISOString()}  ${(e.message ?? '').replace(/\n$/, '')}\n`).join('')}
        </pre>
      )}
    </div>
  );
}
