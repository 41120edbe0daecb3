// Quorum from the call: the attendees of the circle's running BBB meeting matched to the
// circle's members (by the member id BBB knows for those who joined through Plenary) and
// counted against a vote's quorum of the members, with the tally's own rounding.
export interface CallQuorum {
  /** Members in the call (each once, however many times they joined). */
  inCall: string[];
  /** Attendees who are not members of the circle (guests, or joined outside Plenary). */
  others: number;
  members: number;
  required: number;
  present: boolean;
}

export function callQuorum(members: readonly string[], attendees: readonly { memberId: string | null }[], quorumPercent: number): CallQuorum {
  const circle = new Set(members);
  const inCall = [...new Set(attendees.flatMap((a) => (a.memberId !== null && circle.has(a.memberId) ? [a.memberId] : [])))];
  const others = attendees.filter((a) => a.memberId === null || !circle.has(a.memberId)).length;
  // As shared/governance/tally.ts: at least one, percent rounded up.
  const required = Math.max(1, Math.floor((quorumPercent * circle.size + 99) / 100));
  return { inCall, others, members: circle.size, required, present: inCall.length >= required };
}
