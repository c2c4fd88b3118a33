/**
 * Background work running now, so a stop can wait for it before the database
 * closes under it. Tracked work must not reject (catch and log it first).
 */
export interface InFlightWork {
  /** Adds `work`; the returned promise settles when it is done and no longer tracked. */
  track(work: Promise<unknown>): Promise<void>;
  /** Resolves once nothing is in flight, including work tracked while waiting. */
  drain(): Promise<void>;
}

export function createInFlightWork(): InFlightWork {
  const inFlight = new Set<Promise<unknown>>();
  return {
    track(work) {
      inFlight.add(work);
      return work.then(() => {
        inFlight.delete(work);
      });
    },
    async drain() {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
  };
}
