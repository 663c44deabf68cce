// The alert banner's event stream over real HTTP (run `npx remix build` first). It stays open as long as the page
// does, so the check its loader made is not enough: a member whose sessions were ended (by an admin, by disabling
// them) must stop receiving alerts on a stream opened before.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import type { FeedAlert } from "~/detect/alert-feed.server";
import { startHttpApp, type TestHttpApp } from "../support/http-app";
import { createStaff, signIn, type StaffClient } from "../support/staff";

let app: TestHttpApp;
let agent: StaffClient;

beforeAll(async () => {
  app = await startHttpApp();
  agent = await signIn(app, await createStaff({ role: "AGENT" }));
});
afterAll(async () => {
  await app?.close();
});

async function raiseAlert(): Promise<string> {
  const at = new Date();
  const alert = await prisma.detectAlert.create({
    data: {
      detector: "signin-new-device-abroad",
      version: 1,
      minute: new Date(at.getTime() - 60_000),
      raisedAt: at,
      severity: "HIGH",
      peakSeverity: "HIGH",
      value: 40,
      baseline: { method: "weekly", centre: 0, spread: 0, level: 0.02, samples: 350 },
      evidence: { accounts: [randomUUID()], devices: ["dev-a"], ips: ["36.110.1.1"], stores: [] },
      lastAboveAt: at,
    },
  });
  return alert.id;
}

/** The stream's "alerts" events: every alert ID seen, and whether the server ended the stream. */
function alertEvents(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const seen = new Set<string>();
  let buffer = "";
  let ended = false;
  /** Reads until the stream ends, `stopOn` is seen, or `ms` have passed. */
  async function readFor(ms: number, stopOn?: string): Promise<void> {
    const deadline = Date.now() + ms;
    while (!ended && !(stopOn && seen.has(stopOn))) {
      const left = deadline - Date.now();
      if (left <= 0) return;
      const chunk = await Promise.race([
        reader.read(),
        new Promise<null>((resolve) => setTimeout(() => resolve(null), left)),
      ]);
      if (chunk === null) return;
      if (chunk.done) {
        ended = true;
        return;
      }
      buffer += decoder.decode(chunk.value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!block.startsWith("event: alerts")) continue;
        for (const alert of JSON.parse(block.split("\ndata: ")[1]!) as FeedAlert[]) seen.add(alert.id);
      }
    }
  }
  return { seen, readFor, ended: () => ended };
}

describe("the alert stream", () => {
  it("delivers a new alert to a signed-in member, and nothing once their sessions are ended", async () => {
    const controller = new AbortController();
    const response = await agent.request("/alerts/stream", { signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    try {
      const events = alertEvents(response);
      const first = await raiseAlert();
      await events.readFor(15_000, first);
      expect(events.seen.has(first)).toBe(true);

      // An admin ends every session of the member (as disabling them does): the page is still open.
      await prisma.staffSession.deleteMany({ where: { staffId: agent.staff.id } });
      const second = await raiseAlert();
      await events.readFor(10_000, second);
      expect(events.seen.has(second)).toBe(false);
      expect(events.ended()).toBe(true);
    } finally {
      controller.abort();
    }
  });
});
