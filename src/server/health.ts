// /_gatehouse/health: live vs ready, as a load balancer or an orchestrator asks.
// - Live (`/_gatehouse/health`, also `/_gatehouse/health/live`): the process answers HTTP. Always
//   `200 {"status":"ok"}` (the answer it always had); nothing is probed, so it stays fast under any load.
// - Ready (`/_gatehouse/health/ready`, also `/_gatehouse/health?ready`): whether this node should get traffic, with
//   each component's state: the store (a read), Redis when configured, and whatever else registers a check (e.g. the
//   store's change notifications). 200 when every required component is ok, else 503; always 503 while the node
//   drains (SIGTERM), so a load balancer stops sending before the listener closes. A component that is down but not
//   required (Redis under --redis-failure open: the node still serves, without shared limits) makes the status
//   `degraded` and the answer 200.

export interface ComponentHealth {
  status: 'ok' | 'unavailable';
  /** Why not ok. */
  error?: string;
}

export interface HealthCheck {
  probe(): ComponentHealth | Promise<ComponentHealth>;
  /** Whether the node is unready while this component is unavailable. */
  required: boolean;
}

/** How long a probe may take before its component counts as unavailable. */
const PROBE_TIMEOUT_MS = 2000;

export interface Readiness {
  ready: boolean;
  body: { status: 'ok' | 'degraded' | 'unavailable' | 'draining'; ready: boolean; components: Record<string, ComponentHealth> };
}

export class Health {
  readonly #checks = new Map<string, HealthCheck>();
  #draining = false;

  register(name: string, check: HealthCheck): void {
    this.#checks.set(name, check);
  }

  /** From now on the node answers unready (graceful drain). */
  drain(): void {
    this.#draining = true;
  }

  async readiness(): Promise<Readiness> {
    const components: Record<string, ComponentHealth> = {};
    let required = true;
    let all = true;
    await Promise.all(
      [...this.#checks].map(async ([name, check]) => {
        const h = await probe(check);
        components[name] = h;
        if (h.status !== 'ok') {
          all = false;
          if (check.required) required = false;
        }
      }),
    );
    const ready = required && !this.#draining;
    const status = this.#draining ? 'draining' : !required ? 'unavailable' : all ? 'ok' : 'degraded';
    return { ready, body: { status, ready, components } };
  }
}

async function probe(check: HealthCheck): Promise<ComponentHealth> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(() => check.probe()),
      new Promise<ComponentHealth>((resolve) => {
        timer = setTimeout(() => resolve({ status: 'unavailable', error: `no answer within ${PROBE_TIMEOUT_MS} ms` }), PROBE_TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    return { status: 'unavailable', error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
