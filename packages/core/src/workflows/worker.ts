import { silentLogger, type Logger } from '../ports';
import type { WorkflowEngine } from './engine';

export interface WorkerOptions {
  workerId: string;
  /** Steps executed at the same time. */
  concurrency?: number;
  /** Wait between polls when nothing is ready. */
  pollIntervalMs?: number;
  leaseMs?: number;
  /** How often to start due cron runs and expire approvals; 0 turns it off. */
  maintenanceIntervalMs?: number;
  logger?: Logger;
}

/**
 * The loop that executes steps: the web process embeds one, `pnpm worker`
 * runs it standalone. Workers share work only through the store's leases.
 */
export class Worker {
  private readonly options: Required<Omit<WorkerOptions, 'logger'>>;
  private readonly logger: Logger;
  private active = 0;
  private running = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private maintenanceTimer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  /** The claiming round in progress, if any: stop() waits for it, since a step it claims starts right after. */
  private filling: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;
  private refill = false;

  constructor(
    private readonly engine: WorkflowEngine,
    options: WorkerOptions,
  ) {
    this.options = { concurrency: 4, pollIntervalMs: 250, leaseMs: 30_000, maintenanceIntervalMs: 5_000, ...options };
    this.logger = options.logger ?? silentLogger;
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.engine.onWorkAvailable(() => this.wake());
    this.wake();
    if (this.options.maintenanceIntervalMs > 0) {
      this.maintenanceTimer = setInterval(() => void this.maintain(), this.options.maintenanceIntervalMs);
    }
  }

  /** Polls now instead of at the next interval (call when a run starts in this process). */
  wake(): void {
    if (!this.running) return;
    clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    void this.fill();
  }

  /** Stops claiming and waits for the claiming round and the steps in flight to finish. */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    clearTimeout(this.pollTimer);
    clearInterval(this.maintenanceTimer);
    // A claim in flight may still return a step, which then runs: wait for the round before the steps.
    await this.filling;
    await Promise.allSettled([...this.inFlight]);
  }

  private async maintain(): Promise<void> {
    try {
      await this.engine.tickSchedules();
      await this.engine.expireApprovals();
    } catch (error) {
      this.logger.error('workflow maintenance failed', { error: String(error) });
    }
  }

  private schedulePoll(): void {
    if (!this.running || this.pollTimer) return;
    this.pollTimer = setTimeout(() => {
      this.pollTimer = undefined;
      void this.fill();
    }, this.options.pollIntervalMs);
  }

  private async fill(): Promise<void> {
    if (this.filling) {
      // A step finished while claiming: claim again after this round instead of waiting a poll interval.
      this.refill = true;
      return;
    }
    this.filling = this.claimRounds();
    await this.filling;
    this.filling = undefined;
    this.schedulePoll();
  }

  private async claimRounds(): Promise<void> {
    try {
      do {
        this.refill = false;
        await this.claimWhileRoom();
      } while (this.refill && this.running);
    } catch (error) {
      this.logger.error('claiming a workflow step failed', { error: String(error) });
    }
  }

  private async claimWhileRoom(): Promise<void> {
    while (this.running && this.active < this.options.concurrency) {
      const claimed = await this.engine.claimNextStep(this.options.workerId, this.options.leaseMs);
      if (!claimed) return;
      this.active += 1;
      const task = this.engine
        .executeStep(claimed)
        .then(() => undefined, (error: unknown) => this.logger.error('workflow step crashed', { stepId: claimed.step.id, error: String(error) }))
        .finally(() => {
          this.active -= 1;
          this.inFlight.delete(task);
          this.wake();
        });
      this.inFlight.add(task);
    }
  }
}
