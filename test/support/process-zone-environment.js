/**
 * A jest environment that runs its test files with the *process* in another time zone
 * (`testEnvironmentOptions.processTimeZone`), to prove src/time never reads the process zone.
 *
 * Setting `process.env.TZ` inside a test changes only jest's sandbox copy of `env`, not the zone; here it is set
 * on the worker's real process (Node then resets the zone of every context) and restored at teardown, so the
 * next test file in the same worker runs in the zone it started with. Plain JS: jest loads it untransformed.
 */
import { TestEnvironment } from 'jest-environment-node';

export default class ProcessZoneEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.processTimeZone = config.projectConfig.testEnvironmentOptions.processTimeZone;
    if (typeof this.processTimeZone !== 'string') throw new Error('processTimeZone option is required');
    this.global.__PROCESS_TIME_ZONE__ = this.processTimeZone;
  }

  async setup() {
    await super.setup();
    this.previousTimeZone = process.env.TZ;
    process.env.TZ = this.processTimeZone;
  }

  async teardown() {
    if (this.previousTimeZone === undefined) delete process.env.TZ;
    else process.env.TZ = this.previousTimeZone;
    await super.teardown();
  }
}
