// How many live-update streams (the alert banner's and the incident dashboard's Server-Sent Events) one staff member
// may hold open at once in this process. Each open stream is a connection, a listener and a session check per event:
// without a bound, one signed-in member (or a stolen session) scripting thousands of streams costs the process file
// descriptors and the database a read per stream per keep-alive. A browser tab holds at most two, so the bound is far
// above anything a person does (ADR 079).
import type { Language } from "~/i18n/config";
import { translateDomainError } from "~/i18n/translate.server";
import { DomainError } from "~/lib/domain-error";

export const MAX_LIVE_STREAMS_PER_MEMBER = 64;

const openByMember = new Map<string, number>();

/** Claims a stream slot for the member, or throws a 429 Response. The returned function gives it back (once). */
export function claimLiveStreamSlot(staff: { id: string; language?: Language }): () => void {
  const open = openByMember.get(staff.id) ?? 0;
  if (open >= MAX_LIVE_STREAMS_PER_MEMBER) {
    const refusal = new DomainError(
      "LIVE_STREAMS_TOO_MANY",
      `You already have ${MAX_LIVE_STREAMS_PER_MEMBER} live updates open. Close some console tabs and reload.`,
      429,
      { max: MAX_LIVE_STREAMS_PER_MEMBER },
    );
    throw new Response(translateDomainError(staff.language, refusal), {
      status: 429,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  openByMember.set(staff.id, open + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (openByMember.get(staff.id) ?? 1) - 1;
    if (left > 0) openByMember.set(staff.id, left);
    else openByMember.delete(staff.id);
  };
}

/** Streams the member holds open in this process (tests). */
export function openLiveStreams(staffId: string): number {
  return openByMember.get(staffId) ?? 0;
}
