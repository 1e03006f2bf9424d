import { randomBytes, randomInt } from 'node:crypto';

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

function pick(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** A 24-hex-digit id, like MegaMeeting's accId / loginId / recId (MongoDB ObjectIds). */
export const objectId = (): string => randomBytes(12).toString('hex');
/** A 32-character API token of uppercase letters and digits, like `B834JR9F763JFKJF993JI0FJ4GH67234`. */
export const apiToken = (): string => pick(UPPER_ALNUM, 32);
/** A 12-character verified-guest key of lowercase letters and digits, like `abcdef123456`. */
export const guestKey = (): string => pick(LOWER_ALNUM, 12);
/** A one-time single-sign-on token (the `login` mutation). */
export const loginToken = (): string => pick(LOWER_ALNUM + UPPER_ALNUM.slice(0, 26), 40);
/** A 7-digit meeting id, as a string (`1000000`–`9999999`). */
export const meetingId = (): string => String(randomInt(1_000_000, 10_000_000));
