// Settings Gatehouse stores (as AWS does) but does not enforce yet. Nothing may be silently ignored: each one in
// use is named once in a WARN line on stderr when a control call stores it (a stage), and the README lists them.
// Remove an entry here when the feature that enforces it lands.
import type { MethodSetting, Stage } from '../store/entities.ts';
import type { Store } from '../store/store.ts';

/** What a stage asks for that Gatehouse does not do. `tracing`: whether spans have a collector to go to. */
export function unenforcedStageSettings(stage: Stage, tracing = false): string[] {
  const found: string[] = [];
  if (stage.tracingEnabled && !tracing) found.push('tracingEnabled (X-Ray tracing: set OTEL_EXPORTER_OTLP_ENDPOINT to export OpenTelemetry spans)');
  if (stage.clientCertificateId) found.push('clientCertificateId (client certificate towards HTTP backends)');
  for (const [key, s] of Object.entries(stage.methodSettings ?? {})) {
    for (const name of unenforcedMethodSettings(s)) found.push(`methodSettings ${key.replace(/~1/g, '/')} ${name}`);
  }
  return found;
}

function unenforcedMethodSettings(s: MethodSetting): string[] {
  const found: string[] = [];
  return found;
}

/**
 * Watches committed writes and warns once per entity and set of unenforced settings (a changed set warns again).
 * Runs after the write, off the request path.
 */
export function warnOnUnenforcedSettings(store: Store, warn: (line: string) => void = (l) => console.warn(l), tracing = false): () => void {
  const warned = new Map<string, string>();
  let scanning: Promise<void> | undefined;
  let again = false;
  const report = (key: string, what: string, settings: string[]) => {
    const signature = settings.join(', ');
    if (settings.length === 0) {
      warned.delete(key);
      return;
    }
    if (warned.get(key) === signature) return;
    warned.set(key, signature);
    warn(`WARN ${what} uses settings Gatehouse stores but does not enforce yet: ${signature}`);
  };
  const scan = async () => {
    const stages = await store.read((tx) => tx.list<Stage>('stages'));
    // Keys are `{region}/{apiId}/{stage}`.
    for (const { key, value } of stages) report(`stage ${key}`, `stage ${key}`, unenforcedStageSettings(value, tracing));
  };
  const run = () => {
    if (scanning) {
      again = true;
      return;
    }
    scanning = scan()
      .catch(() => undefined)
      .finally(() => {
        scanning = undefined;
        if (again) {
          again = false;
          run();
        }
      });
  };
  return store.onCommit((collections) => {
    if (collections.has('stages')) run();
  });
}
