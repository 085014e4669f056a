/**
 * Events the outbox relay holds, between its passes, for the batch consumers
 * that gather (JobType.gatherMs): such a consumer gets the events of several
 * passes as one batch once the oldest has waited gatherMs, or once the batch
 * is full, instead of one batch per pass. A pass that fails changes nothing
 * here (due() only looks; passed() records), so a retried pass neither loses
 * nor repeats a held event.
 *
 * Held events have been published but not handed to their gathering
 * consumer, so the relay must not mark them sent (oldestId): after a crash
 * they are read again and offered again.
 */
import type { StrataEvent } from '../../shared/events.js';

export interface Gathering {
  readonly gatherMs?: number;
}

interface Held {
  events: StrataEvent[];
  /** When the oldest held event was taken in (ms). */
  readonly since: number;
}

export class EventGatherer<T extends Gathering> {
  private readonly held = new Map<T, Held>();

  /** `maxEvents`: a batch this large goes out at once. */
  constructor(private readonly maxEvents: number) {}

  /** Whether `type` gathers (gatherMs above 0). */
  static gathers(type: Gathering): boolean {
    return (type.gatherMs ?? 0) > 0;
  }

  /**
   * The batches due with this pass (held events followed by `events`), by
   * type: those whose oldest event has waited long enough, that are full, or
   * all of them when `flush`.
   */
  due(
    types: readonly T[],
    events: readonly StrataEvent[],
    now: number,
    flush: boolean,
  ): Map<T, StrataEvent[]> {
    const out = new Map<T, StrataEvent[]>();
    for (const t of types) {
      if (!EventGatherer.gathers(t)) continue;
      const h = this.held.get(t);
      const count = (h?.events.length ?? 0) + events.length;
      if (count === 0) continue;
      const waited = h !== undefined && now - h.since >= t.gatherMs!;
      if (flush || waited || count >= this.maxEvents) out.set(t, h ? [...h.events, ...events] : [...events]);
    }
    return out;
  }

  /** Records a pass that succeeded: the `due` batches went out; the other gathering types hold `events`. */
  passed(
    types: readonly T[],
    events: readonly StrataEvent[],
    due: ReadonlyMap<T, unknown>,
    now: number,
  ): void {
    for (const t of types) {
      if (!EventGatherer.gathers(t)) continue;
      if (due.has(t)) {
        this.held.delete(t);
        continue;
      }
      if (events.length === 0) continue;
      const h = this.held.get(t);
      if (h) h.events.push(...events);
      else this.held.set(t, { events: [...events], since: now });
    }
  }

  /** Id of the oldest held event (undefined when none is held). */
  oldestId(): number | undefined {
    let oldest: number | undefined;
    for (const h of this.held.values()) {
      const id = h.events[0]!.id;
      if (oldest === undefined || id < oldest) oldest = id;
    }
    return oldest;
  }

  /** Milliseconds until the next held batch is due (undefined when none is held). */
  nextDueIn(now: number): number | undefined {
    let next: number | undefined;
    for (const [t, h] of this.held) {
      const ms = Math.max(0, h.since + t.gatherMs! - now);
      if (next === undefined || ms < next) next = ms;
    }
    return next;
  }

  get holding(): boolean {
    return this.held.size > 0;
  }

  /** Forgets every held event (the relay lost its lease or starts over: they will be read again). */
  clear(): void {
    this.held.clear();
  }
}
