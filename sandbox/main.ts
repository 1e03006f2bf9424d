/** `npm run sandbox`: the local sandbox, whatever else the environment holds (only PORT and LOG_LEVEL count). */
import { runSandbox } from './run.js';

void runSandbox(process.env);
