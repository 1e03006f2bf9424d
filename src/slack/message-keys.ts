import { randomUUID } from 'node:crypto';

/**
 * Idempotency keys for messages the bot posts. A key rides in the message's metadata
 * (`event_payload.idempotency_key`), so that after a send whose answer was lost the message can be looked up in
 * the conversation's history (`SlackGateway.findPostedMessage`) instead of being posted a second time.
 * Stable keys (the meeting card, a recording's DM) also let a later process find what an earlier one posted.
 */

export const IDEMPOTENCY_KEY_FIELD = 'idempotency_key';
/** The metadata event type of messages that carry no metadata of their own. */
export const GENERIC_MESSAGE_EVENT = 'megameeting_message';
/** The metadata event type of a meeting's channel card. */
export const MEETING_CARD_EVENT = 'megameeting_card';

export type MetadataPayload = Record<string, string | number | boolean>;
export interface MessageMetadataInput {
  event_type: string;
  event_payload: MetadataPayload;
}

/** The channel card of one meeting: at most one per meeting and workspace. */
export function cardMessageKey(teamId: string, meetId: string): string {
  return `card:${teamId}:${meetId}`;
}

/** A one-off key for a message with no natural identity (an invitation, a report). */
export function freshMessageKey(): string {
  return `msg:${randomUUID()}`;
}

/** `metadata` with the key added to its payload (or a generic metadata object holding only the key). */
export function withIdempotencyKey(
  metadata: MessageMetadataInput | undefined,
  key: string,
): MessageMetadataInput {
  return {
    event_type: metadata?.event_type ?? GENERIC_MESSAGE_EVENT,
    event_payload: { ...metadata?.event_payload, [IDEMPOTENCY_KEY_FIELD]: key },
  };
}

/** A recording's ready DM (one per recording), or its failed DM (one per processing attempt). */
export function recordingMessageKey(kind: 'ready' | 'failed', recId: string, attempt?: number): string {
  return kind === 'ready' ? `recording-ready:${recId}` : `recording-failed:${recId}:${attempt ?? 0}`;
}
