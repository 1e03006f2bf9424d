/**
 * The list of the account's meeting IDs that a createMeeting is compared against after a lost answer
 * (MeetingsService.findCreatedMeeting): a meeting is adopted only if it is absent from a list that MegaMeeting
 * made before the create was sent.
 *
 * Creates that start while such a list is being fetched share it instead of each asking for its own: the list
 * was requested before each of them started and its answer arrives before any of them sends createMeeting, so
 * MegaMeeting made it before each create, as the rule needs. At 50 commands a second and a 2 s MegaMeeting,
 * that is one `meetings` query (and one parse of the account's live meetings) per 100 commands instead of 100.
 *
 * A finished list is never reused: a create that starts after the answer arrived takes a new one, so a meeting
 * somebody else made before that create started is in its list (test/services/meeting-snapshot.test.ts). The
 * price of sharing is that a list may have been requested up to one MegaMeeting round trip before the create
 * started: a foreign meeting of the same name made in that moment is not in it, exactly as one made while
 * the create was on its way is not in an unshared list; such a meeting and ours are then two candidates and
 * neither is adopted, and when ours was not made at all the foreign one is the single candidate (the window
 * this rule accepts, one round trip wider than before).
 */
export class MeetingSnapshots {
  #inFlight: Promise<ReadonlySet<string> | null> | null = null;
  #taken = 0;

  /** `take`: one `meetings` query, null when MegaMeeting cannot list them (then nothing can be adopted). */
  constructor(private readonly take: () => Promise<ReadonlySet<string> | null>) {}

  /** How many lists were requested (tests, metrics). */
  get taken(): number {
    return this.#taken;
  }

  /** A list made by MegaMeeting after this call's caller started and before it sends its createMeeting. */
  beforeCreate(): Promise<ReadonlySet<string> | null> {
    if (this.#inFlight) return this.#inFlight;
    this.#taken++;
    let list: Promise<ReadonlySet<string> | null> | undefined;
    list = (async () => {
      try {
        return await this.take();
      } finally {
        // Cleared before anyone awaiting the list resumes: a create that starts later takes a new one.
        if (this.#inFlight === list) this.#inFlight = null;
      }
    })();
    this.#inFlight = list;
    return list;
  }
}
