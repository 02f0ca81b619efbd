import type { Clock } from '../../clock.ts';
import { PeriodicTask } from '../../infra/periodic-task.ts';
import type { ScheduledStatusService } from './scheduled-status-service.ts';

/**
 * Publishes the scheduled statuses that are due, at start and then every `intervalMs` (0: only
 * at start). Whatever came due while the process was down is published by the first run; the
 * claim keeps publication single across processes. Failed runs go to the service's log.
 */
export class ScheduledPublisher extends PeriodicTask {
  constructor(service: ScheduledStatusService, clock: Clock, intervalMs: number) {
    super('scheduled statuses: publishing run', () => service.publishDue(clock.now()), intervalMs);
    this.onError = (message, error) => service.log.error(message, error);
  }
}
