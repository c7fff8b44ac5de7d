import { Injectable } from 'flagon';

/**
 * Where the blog gets the time, so tests can fix it with `app.override(Clock, …)`.
 *
 * @example
 * app.override(Clock, { useValue: { now: () => new Date('2026-01-01T00:00:00Z') } });
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
