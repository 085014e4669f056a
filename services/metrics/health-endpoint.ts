/**
 * GET /_strata/health: readiness of this node. 200 only when the node is
 * listening, its metadata database answers a query and — when the node uses
 * Redis for the event pipeline — Redis answers a PING within the timeout:
 *
 *   200 {"status":"ok","database":"ok","redis":"ok"}
 *   503 {"status":"unavailable","database":"ok","redis":"down"}
 *   503 {"status":"starting"}                      (not listening yet, or shutting down)
 *
 * "redis" is "disabled" (and does not fail the check) on a node that runs no
 * pipeline. S3 reads and writes keep working while Redis is down (events wait
 * in the outbox), so a load balancer that should keep routing S3 traffic then
 * can probe GET /_strata/health/live instead: 200 whenever the node listens.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface HealthChecks {
  /** True once the node listens, false again while it shuts down. */
  listening(): boolean;
  /** Throws when the metadata database cannot answer a query. */
  database(): void | Promise<void>;
  /** Resolves when Redis answers; undefined when the node uses no Redis. */
  readonly redis?: () => Promise<void>;
  /** How long each check may take before it counts as down (default 1000 ms). */
  readonly timeoutMs?: number;
}

export type CheckState = 'ok' | 'down' | 'disabled';

export interface HealthReport {
  readonly status: 'ok' | 'unavailable' | 'starting';
  readonly database?: CheckState;
  readonly redis?: CheckState;
}

export async function checkHealth(checks: HealthChecks): Promise<HealthReport> {
  if (!checks.listening()) return { status: 'starting' };
  const timeoutMs = checks.timeoutMs ?? 1000;
  const [database, redis] = await Promise.all([
    probe(async () => checks.database(), timeoutMs),
    checks.redis ? probe(checks.redis, timeoutMs) : Promise.resolve<CheckState>('disabled'),
  ]);
  const ok = database === 'ok' && redis !== 'down';
  return { status: ok ? 'ok' : 'unavailable', database, redis };
}

async function probe(check: () => Promise<void>, timeoutMs: number): Promise<CheckState> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckState>((resolve) => {
    timer = setTimeout(() => resolve('down'), timeoutMs);
  });
  try {
    return await Promise.race([
      check().then(
        (): CheckState => 'ok',
        (): CheckState => 'down',
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** /_strata/health: the readiness report above. */
export function healthEndpoint(checks: HealthChecks): Handler {
  return async (req, res) => {
    req.resume();
    const report = await checkHealth(checks);
    send(res, report.status === 'ok' ? 200 : 503, report, req.method === 'HEAD');
  };
}

/** /_strata/health/live: the process is up and listening (no dependency checked). */
export function livenessEndpoint(checks: Pick<HealthChecks, 'listening'>): Handler {
  return async (req, res) => {
    req.resume();
    const up = checks.listening();
    send(res, up ? 200 : 503, { status: up ? 'ok' : 'starting' }, req.method === 'HEAD');
  };
}

function send(res: ServerResponse, status: number, body: object, isHead: boolean): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('cache-control', 'no-store');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(isHead ? undefined : text);
}
