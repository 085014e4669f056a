/**
 * GET /_strata/metrics: the node's metrics in Prometheus text format
 * (text/plain; version=0.0.4), behind the scrape authorization of scrape-auth.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { NodeMetrics } from './node-metrics.js';
import { authorizeScrape, scrapeChallenge, type ScrapeAuthOptions } from './scrape-auth.js';

export function metricsEndpoint(
  metrics: NodeMetrics,
  auth: ScrapeAuthOptions,
  log: Logger,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    req.resume();
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return plain(res, 405, 'Method Not Allowed');
    }
    const verdict = authorizeScrape(req.headers, auth);
    if (verdict === 'unauthenticated') {
      res.setHeader('www-authenticate', scrapeChallenge(auth));
      return plain(
        res,
        401,
        "Unauthorized: send the root user's keys as Basic auth, or the metrics bearer token",
      );
    }
    if (verdict === 'forbidden') {
      const denied = errors.accessDenied('Only the root user may read the metrics');
      return plain(res, denied.status, `${denied.code}: ${denied.message}`);
    }
    let body: string;
    try {
      body = await metrics.render();
    } catch (e) {
      log.error('metrics collection failed', { err: e });
      const err = errors.internal(e);
      return plain(res, err.status, `${err.code}: ${err.message}`);
    }
    res.statusCode = 200;
    res.setHeader('content-type', metrics.contentType);
    res.setHeader('content-length', Buffer.byteLength(body));
    res.setHeader('cache-control', 'no-store');
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.end(text + '\n');
}
