import type { Logger } from '@opspilot/core/ports';
import type { RunnerLeaseStore } from '@opspilot/db';
import { createRunnerElection, type RunnerRole } from './runner-election';
import { createInFlightWork } from './in-flight';

/** The lease row every process of one database competes for. */
export const backgroundRunnerLease = 'background-runner';

/** The work only one process per database does. */
export interface BackgroundJobs {
  /** A detection pass over every workspace: the whole history without `lookbackDays`. */
  detect(options: { lookbackDays?: number }): Promise<unknown>;
  /** Closes chat turns whose process died mid-answer. */
  sweepTurns(): Promise<unknown>;
  /** Starts due cron runs and expires overdue approvals. */
  maintainWorkflows(): Promise<unknown>;
  /** Deletes dead rows (expired OAuth codes and tokens, dead grants) in bounded batches. */
  housekeeping?(): Promise<unknown>;
}

export interface BackgroundRunnerTimings {
  /** A crashed leader is replaced within about this long (default 30 s). */
  leaseTtlMs: number;
  /** Renewal and take-over attempts (default 10 s). */
  renewEveryMs: number;
  /** Look-back detection passes (default every 5 minutes over 35 days, enough for the seasonal models). */
  detectionEveryMs: number;
  detectionLookbackDays: number;
  /** Chat-turn sweeps (default every 30 s). */
  sweepEveryMs: number;
  /** Cron ticks and approval expiry (default every 5 s, as the workers used to). */
  maintenanceEveryMs: number;
  /** Housekeeping (default every 10 minutes). */
  housekeepingEveryMs: number;
}

export const defaultRunnerTimings: BackgroundRunnerTimings = {
  leaseTtlMs: 30_000,
  renewEveryMs: 10_000,
  detectionEveryMs: 300_000,
  detectionLookbackDays: 35,
  sweepEveryMs: 30_000,
  maintenanceEveryMs: 5_000,
  housekeepingEveryMs: 600_000,
};

/** What /health shows: `off` in a runtime that never started its runner (tests, CLIs). */
export interface BackgroundRunnerStatus {
  role: RunnerRole | 'off';
  /** When the leader last finished a detection pass (ISO), from the lease row on stand-bys. */
  lastRunAt: string | null;
}

export interface BackgroundRunner {
  readonly holderId: string;
  /**
   * Joins the election. When this process wins at once, resolves only after
   * the first detection pass over the whole history, so a console that says
   * healthy already shows its incidents.
   */
  start(): Promise<RunnerRole>;
  status(): BackgroundRunnerStatus;
  /**
   * Leaves the election and hands the role over (the lease is released, not left to expire), then
   * waits for the jobs in flight: once it resolves, the caller may close the database.
   */
  stop(): Promise<void>;
}

export interface CreateBackgroundRunnerInput {
  leases: RunnerLeaseStore;
  holderId: string;
  /** The embedded database has one process by construction: it takes the role even from a killed predecessor's lease. */
  embedded: boolean;
  jobs: BackgroundJobs;
  logger: Logger;
  timings?: Partial<BackgroundRunnerTimings>;
}

/** Runs `job` every `ms`, never two at once, logging failures; each run is handed to `track`. Returns a stop function. */
function repeat(ms: number, job: () => Promise<unknown>, onError: (error: unknown) => void, track: (work: Promise<unknown>) => Promise<void>): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void track(job().catch(onError)).then(() => {
      running = false;
    });
  }, ms);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * One background runner per database: detection passes, the chat-turn
 * sweeper and workflow maintenance run in the process that holds the
 * `background-runner` lease; every other process stands by and takes over
 * when the lease is released or expires. See docs/decisions/0012.
 */
export function createBackgroundRunner(input: CreateBackgroundRunnerInput): BackgroundRunner {
  const timings = { ...defaultRunnerTimings, ...input.timings };
  const { jobs, logger } = input;
  let started = false;
  let lastRunAt: Date | null = null;
  let stopping = false;
  let stopJobs: (() => void)[] = [];
  // Jobs running now (never rejecting): stop() waits for them, so the database is not closed under a pass in flight.
  const inFlight = createInFlightWork();
  const track = (work: Promise<unknown>) => inFlight.track(work);
  const stopTimers = () => {
    for (const stop of stopJobs) stop();
    stopJobs = [];
  };
  const failed = (job: string) => (error: unknown) => logger.error(`Background runner: ${job} failed`, { error: error instanceof Error ? error.message : String(error) });

  const detect = async (options: { lookbackDays?: number }) => {
    await jobs.detect(options);
    lastRunAt = new Date();
    await input.leases.recordRun({ name: backgroundRunnerLease, holderId: input.holderId });
  };
  const election = createRunnerElection({
    leases: input.leases,
    name: backgroundRunnerLease,
    holderId: input.holderId,
    ttlMs: timings.leaseTtlMs,
    renewEveryMs: timings.renewEveryMs,
    force: input.embedded,
    logger,
    onElected: async () => {
      if (stopping || election.role() !== 'leader') return; // deposed or stopping before this ran
      stopJobs = [
        repeat(timings.maintenanceEveryMs, () => jobs.maintainWorkflows(), failed('workflow maintenance'), track),
        repeat(timings.sweepEveryMs, () => jobs.sweepTurns(), failed('chat-turn sweep'), track),
        repeat(timings.detectionEveryMs, () => detect({ lookbackDays: timings.detectionLookbackDays }), failed('detection'), track),
        ...(jobs.housekeeping ? [repeat(timings.housekeepingEveryMs, async () => jobs.housekeeping?.(), failed('housekeeping'), track)] : []),
      ];
      // A new leader scans the whole history once: its predecessor may have died before finishing that.
      await track(detect({}).catch(failed('first detection pass')));
    },
    onDeposed: stopTimers,
  });

  return {
    holderId: input.holderId,
    async start() {
      started = true;
      return election.start();
    },
    status() {
      if (!started) return { role: 'off', lastRunAt: null };
      const role = election.role();
      const seen = role === 'leader' && lastRunAt ? lastRunAt : (election.lease()?.lastRunAt ?? null);
      return { role, lastRunAt: seen ? seen.toISOString() : null };
    },
    async stop() {
      if (!started) return;
      started = false;
      // No new job starts and the role is handed over at once (a stand-by need not wait for a long
      // pass); the jobs in flight then finish before stop() resolves, so the database can close after.
      stopping = true;
      stopTimers();
      await election.stop();
      await inFlight.drain();
      stopping = false;
    },
  };
}
