import type { Logger } from '@opspilot/core/ports';
import type { RunnerLeaseRecord, RunnerLeaseStore } from '@opspilot/db';

export type RunnerRole = 'leader' | 'standby';

export interface RunnerElectionOptions {
  leases: RunnerLeaseStore;
  /** The role's name (one row of RunnerLease). */
  name: string;
  /** This process; shows up in the lease row. */
  holderId: string;
  /** How long a lease lasts without renewal: a crashed leader is replaced within about this long. */
  ttlMs: number;
  /** How often to renew (leader) or try to take over (standby); at most half of ttlMs. */
  renewEveryMs: number;
  /** Take the role even from a live lease (embedded database: this process is the only one). */
  force: boolean;
  logger: Logger;
  /** Called when this process becomes the leader; `start()` awaits it when elected at once. Must not reject. */
  onElected: () => Promise<void>;
  /** Called when this process stops being the leader (lost the lease, or stopping). */
  onDeposed: () => void;
}

export interface RunnerElection {
  /** First attempt, then the renew/take-over timer; resolves after onElected when elected at once. */
  start(): Promise<RunnerRole>;
  role(): RunnerRole;
  /** The lease row as last seen (null before the first attempt). */
  lease(): RunnerLeaseRecord | null;
  /** Stops the timer and releases the lease if held, so a stand-by takes over at its next attempt. */
  stop(): Promise<void>;
}

/**
 * Leader election over a lease row. The leader renews every `renewEveryMs`;
 * stand-bys try as often and win once the lease has expired (crash) or was
 * released (graceful stop). A leader that has not renewed for ttl minus one
 * renewal interval steps down on its own, before its lease can pass to
 * another process.
 */
export function createRunnerElection(options: RunnerElectionOptions): RunnerElection {
  let role: RunnerRole = 'standby';
  let lease: RunnerLeaseRecord | null = null;
  let lastRenewedAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let attempting: Promise<boolean> | null = null;
  let stopped = false;

  const becomeStandby = (reason: string) => {
    if (role !== 'leader') return;
    role = 'standby';
    const fields = { holderId: options.holderId, reason };
    if (reason === 'stopping') options.logger.info('Background runner: handing the role over', fields);
    else options.logger.warn('Background runner: no longer the leader', fields);
    options.onDeposed();
  };

  // Checked at least every renewEveryMs, so a leader that cannot renew stops before its lease expires and
  // before any stand-by can take over.
  const leaseLapsing = () => performance.now() - lastRenewedAt >= options.ttlMs - options.renewEveryMs;

  /** One lease attempt; answers whether this process just became the leader. */
  const attempt = async (): Promise<boolean> => {
    // The lease runs from when the database executed the statement, at the latest from when it was sent.
    const sentAt = performance.now();
    try {
      const result = await options.leases.acquireOrRenew({ name: options.name, holderId: options.holderId, ttlMs: options.ttlMs, force: options.force });
      lease = result.lease;
      if (stopped) return false;
      if (!result.held) {
        becomeStandby(`held by ${result.lease?.holderId ?? 'another process'}`);
        return false;
      }
      lastRenewedAt = sentAt;
      if (role === 'leader') return false;
      role = 'leader';
      options.logger.info('Background runner: this process is the leader', { holderId: options.holderId });
      return true;
    } catch (error) {
      options.logger.error('Background runner: lease attempt failed', { error: error instanceof Error ? error.message : String(error) });
      if (leaseLapsing()) becomeStandby('could not renew the lease');
      return false;
    }
  };
  // One attempt at a time: a slow database must not stack renewals.
  const attemptOnce = () => {
    attempting ??= attempt().finally(() => {
      attempting = null;
    });
    return attempting;
  };
  // The leader's work runs beside the renewals, never inside them: a long first pass must not let the lease lapse.
  const tick = () => {
    // Checked here too, not only after a failed attempt: an attempt hanging on a lost network never fails.
    if (role === 'leader' && leaseLapsing()) becomeStandby('could not renew the lease');
    void attemptOnce().then((elected) => {
      if (elected) return options.onElected();
    });
  };

  return {
    async start() {
      stopped = false;
      const elected = await attemptOnce();
      if (stopped) return role; // stop() came while the first attempt was in flight
      timer = setInterval(tick, options.renewEveryMs);
      timer.unref();
      if (elected) await options.onElected();
      return role;
    },
    role: () => role,
    lease: () => lease,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await attempting;
      becomeStandby('stopping');
      // Released even as a stand-by: an attempt that raced this stop may have taken the lease.
      await options.leases.release({ name: options.name, holderId: options.holderId }).catch((error: unknown) => {
        options.logger.warn('Background runner: could not release the lease (it expires on its own)', { error: String(error) });
      });
    },
  };
}
