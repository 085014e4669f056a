/**
 * S3 Select metrics: how each SelectObjectContent scan ran, so an operator
 * can see whether large scans use the worker threads (STRATA_SELECT_THREADS).
 *
 *   strata_select_scans_total{scan="sequential"}  on the request's thread
 *   strata_select_scans_total{scan="parallel"}    in pieces on worker threads
 *   strata_select_scans_total{scan="parallel_then_sequential"}
 *     an aggregate query whose pieces met an error (or MIN / MAX values that
 *     do not compare) and was run again on the request's thread, which
 *     reports that error exactly where the object has it
 */
import { Counter, type Registry } from 'prom-client';
import type { SelectScanKind } from '../select/run-select.js';

export class SelectMetrics {
  private readonly scans: Counter<'scan'>;

  constructor(registry: Registry) {
    this.scans = new Counter({
      name: 'strata_select_scans_total',
      help: 'S3 Select scans by how they ran: sequential, parallel, parallel_then_sequential',
      labelNames: ['scan'],
      registers: [registry],
    });
  }

  readonly onScan = (scan: SelectScanKind): void => {
    this.scans.inc({ scan });
  };
}
