/** Time as a dependency, so that tests and the poller can be driven without the wall clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
