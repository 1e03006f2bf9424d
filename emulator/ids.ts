import { randomBytes, randomInt } from 'node:crypto';

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

function pick(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

const PROCESS_RANDOM = randomBytes(5).toString('hex');
let counter = randomInt(0x1000000);

/**
 * A 24-hex-digit id, like MegaMeeting's accId / loginId / recId, built like a MongoDB ObjectId: seconds since
 * the epoch, a per-process random part and a counter (cheap, and unique within the process).
 */
export const objectId = (): string => {
  counter = (counter + 1) % 0x1000000;
  const seconds = Math.floor(Date.now() / 1000) % 0x100000000;
  return seconds.toString(16).padStart(8, '0') + PROCESS_RANDOM + counter.toString(16).padStart(6, '0');
};
/** A 32-character API token of uppercase letters and digits, like `B834JR9F763JFKJF993JI0FJ4GH67234`. */
export const apiToken = (): string => pick(UPPER_ALNUM, 32);
/** A 12-character verified-guest key of lowercase letters and digits, like `abcdef123456`. */
export const guestKey = (): string => pick(LOWER_ALNUM, 12);
/** A one-time single-sign-on token (the `login` mutation). */
export const loginToken = (): string => pick(LOWER_ALNUM + UPPER_ALNUM.slice(0, 26), 40);
/** A 7-digit meeting id, as a string (`1000000`–`9999999`). */
export const meetingId = (): string => String(randomInt(1_000_000, 10_000_000));
