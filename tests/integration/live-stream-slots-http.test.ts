// The live-update streams (alert banner, incident dashboard) one staff member may hold open at once are bounded: a
// script holding thousands would cost the process a connection and a session read per stream per keep-alive. Over the
// bound the next stream is refused with a 429 in the member's language; a closed stream frees its slot. Over real
// HTTP (run `npx remix build` first).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_LIVE_STREAMS_PER_MEMBER, openLiveStreams } from "~/auth/live-stream-slots.server";
import { prisma } from "~/db.server";
import { startHttpApp, type TestHttpApp } from "../support/http-app";
import { createIncident } from "../support/ledger-fixtures";
import { createStaff, signIn } from "../support/staff";

let app: TestHttpApp;

beforeAll(async () => {
  app = await startHttpApp();
});

afterAll(async () => {
  await app?.close();
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe("live streams per member", () => {
  it("stop at the bound across both streams, refuse the next in Japanese, and free a slot when one closes", async () => {
    const staff = await createStaff({ role: "AGENT", language: "ja" });
    const member = await signIn(app, staff);
    const incident = await createIncident(prisma, new Date());
    const open: AbortController[] = [];
    const openStream = async (path: string) => {
      const controller = new AbortController();
      const response = await member.request(path, { signal: controller.signal });
      // A refusal's body is read by the test; only a stream is held open.
      if (response.status === 200) open.push(controller);
      return response;
    };
    try {
      for (let i = 0; i < MAX_LIVE_STREAMS_PER_MEMBER; i++) {
        const path = i % 2 === 0 ? "/alerts/stream" : `/incidents/${incident.id}/live`;
        expect((await openStream(path)).status).toBe(200);
      }
      const refused = await openStream("/alerts/stream");
      expect(refused.status).toBe(429);
      expect(await refused.text()).toContain(`${MAX_LIVE_STREAMS_PER_MEMBER} 件`);

      // Another member is not affected.
      const other = await signIn(app, await createStaff({ role: "AGENT" }));
      const theirs = new AbortController();
      expect((await other.request("/alerts/stream", { signal: theirs.signal })).status).toBe(200);
      theirs.abort();

      open.pop()!.abort();
      await until(() => openLiveStreams(staff.id) < MAX_LIVE_STREAMS_PER_MEMBER);
      expect((await openStream(`/incidents/${incident.id}/live`)).status).toBe(200);
    } finally {
      for (const controller of open) controller.abort();
    }
    await until(() => openLiveStreams(staff.id) === 0);
  });
});
