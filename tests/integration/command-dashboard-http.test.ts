// The incident dashboard over real HTTP (run `npx remix build` first): useful figures in the server-rendered page, live
// updates over Server-Sent Events, one database poll for any number of viewers, and no update for a session that has
// ended since its stream opened.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeStaffRole, disableStaff, endStaffSessions } from "~/auth/staff-admin.server";
import { approveStaffGrant } from "~/auth/staff-grants.server";
import { AUTOMATIC_REFRESH_HEADER, AUTOMATIC_REFRESH_VALUE } from "~/auth/automatic-refresh";
import { IDLE_TIMEOUT_MS } from "~/auth/session.server";
import { prisma } from "~/db.server";
import type { DashboardView } from "~/incidents/command/dashboard-view";
import { loadCommandFigures } from "~/incidents/command/figures.server";
import { feedStats, pollFeedNow, setPollInterval, subscriberCount } from "~/incidents/command/live-feed.server";
import { reverseCharge } from "~/ledger/reverse-charge.server";
import { advanceClock, resetClock } from "~/lib/clock.server";
import { startHttpApp, type TestHttpApp } from "../support/http-app";
import { createIncident, createStaffContext, createStore, createVictim, newKey } from "../support/ledger-fixtures";
import { createSignedInStaff, createStaff, signIn, type StaffClient } from "../support/staff";

const ONE_HOUR = 60 * 60 * 1000;
const VIEWERS = 50;

let app: TestHttpApp;
let agent: StaffClient;

beforeAll(async () => {
  // The test drives the feed's polls itself (pollFeedNow): no timer.
  setPollInterval(0);
  app = await startHttpApp();
  agent = await signIn(app, await createStaff({ role: "AGENT" }));
});

afterAll(async () => {
  await app?.close();
});

async function buildIncident() {
  const incident = await createIncident(prisma, new Date(Date.now() - 2 * ONE_HOUR));
  const store = await createStore(prisma);
  const victim = await createVictim(prisma, incident, store, { topUps: [30_000, 12_000], purchases: [] });
  return { incident, victim };
}

/** Opens the event stream and returns a reader of its "figures" events. */
async function openStream(client: StaffClient, incidentId: string) {
  const controller = new AbortController();
  const response = await client.request(`/incidents/${incidentId}/live`, { signal: controller.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return {
    async next(): Promise<DashboardView> {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith("event: figures")) return JSON.parse(block.split("\ndata: ")[1]!) as DashboardView;
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error("the stream ended");
        buffer += decoder.decode(value, { stream: true });
      }
    },
    /** The names of the events that arrive in the next `ms`, and whether the server ended the stream meanwhile. */
    async rest(ms: number): Promise<{ ended: boolean; events: string[] }> {
      const events = [...buffer.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]!);
      buffer = "";
      const deadline = Date.now() + ms;
      for (;;) {
        const left = deadline - Date.now();
        if (left <= 0) return { ended: false, events };
        const chunk = await Promise.race([
          reader.read(),
          new Promise<null>((resolve) => setTimeout(() => resolve(null), left)),
        ]);
        if (chunk === null) return { ended: false, events };
        if (chunk.done) return { ended: true, events };
        events.push(...[...decoder.decode(chunk.value).matchAll(/^event: (\w+)$/gm)].map((m) => m[1]!));
      }
    },
    close: () => controller.abort(),
  };
}

async function waitForSubscribers(incidentId: string, count: number) {
  // A closed stream is noticed when its socket closes: quick when idle, slower on a loaded machine.
  await expect.poll(() => subscriberCount(incidentId), { interval: 20, timeout: 20_000 }).toBe(count);
}

describe("breach report over HTTP", () => {
  it("drafts, refuses bad input with 400, saves a version and exports only to those allowed", async () => {
    const { incident } = await buildIncident();
    const compliance = await signIn(app, await createStaff({ role: "COMPLIANCE" }));
    const page = `/incidents/${incident.id}/report`;
    expect((await agent.post(page, { kind: "PRELIMINARY", learnedAt: "2019-07-03T10:00" })).status).toBe(403);
    for (const learnedAt of ["2019-02-30T25:61", "a\u0000b", "9999-12-31T23:59"]) {
      expect((await compliance.post(page, { kind: "PRELIMINARY", learnedAt })).status).toBe(400);
    }
    const drafted = await compliance.post(page, {
      kind: "PRELIMINARY",
      learnedAt: "2019-07-03T10:00",
      unauthorizedIntent: "on",
    });
    expect(drafted.status).toBe(302);
    const reportPath = drafted.headers.get("location")!;
    expect(reportPath).toMatch(/^\/reports\/breach\/[0-9a-f-]{36}$/);
    const japanese = await (await agent.get(reportPath)).text();
    expect(japanese).toContain("個人データの漏えい等報告書（速報）");
    // The deadline day and the moment it ends, which is the next day's midnight: said as one deadline, not two dates.
    expect(japanese).toContain("2019-07-08<!-- -->（2019/07/09 00:00:00 JST まで）");
    expect(await (await agent.get(`${reportPath}?lang=en`)).text()).toContain(
      "Personal data breach report (preliminary)",
    );

    expect((await compliance.post(reportPath, { baseVersion: "1", "items.other.ja": "a\u0000b" })).status).toBe(400);
    const saved = await compliance.post(reportPath, { baseVersion: "1", "items.publication.ja": "公表済み" });
    expect(saved.status).toBe(302);
    expect((await compliance.post(reportPath, { baseVersion: "1", "items.publication.ja": "x" })).status).toBe(409);

    expect((await agent.get(`${reportPath}/export?format=html&lang=ja`)).status).toBe(403);
    expect((await compliance.get(`${reportPath}/export?format=doc&lang=ja`)).status).toBe(400);
    const printable = await compliance.get(`${reportPath}/export?format=html&lang=en`);
    expect(printable.status).toBe(200);
    expect(await printable.text()).toContain("Personal data breach report (preliminary)");
    // A link on another site (Lax cookies ride along on a top-level navigation) does not make the member export.
    const crossSite = await compliance.get(`${reportPath}/export?format=html&lang=en`, {
      headers: { "sec-fetch-site": "cross-site" },
    });
    expect(crossSite.status).toBe(403);
    expect(await crossSite.text()).toContain("started from another site");
    expect((await compliance.get(`/reports/breach/not-a-report/export?format=pdf&lang=ja`)).status).toBe(404);
  });
});

describe("incident dashboard over HTTP", () => {
  it("renders the money figures on the server, for a page without JavaScript", async () => {
    const { incident } = await buildIncident();
    const response = await agent.get(`/incidents/${incident.id}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('data-testid="stolen-yen">¥42,000<');
    expect(html).toContain('data-testid="money-table"');
    expect(html).toContain("Figures computed at");
    expect((await agent.get(`/incidents/${incident.code}`)).status).toBe(200);
    const timeline = await agent.get(`/incidents/${incident.id}/timeline?category=wallet&category=bogus`);
    expect(timeline.status).toBe(200);
    const timelineHtml = (await timeline.text()).replace(/&#x27;/g, "'");
    expect(timelineHtml).toContain("wallet.first-fraudulent-top-up");
    expect(timelineHtml).toMatch(/The first top-up into a victim's wallet: ¥[\d,]+</);
    // The console's own sentence follows the member's language, its amount formatted as yen.
    const japanese = await signIn(app, await createStaff({ role: "AGENT", language: "ja" }));
    const timelineJa = await (await japanese.get(`/incidents/${incident.id}/timeline?category=wallet`)).text();
    expect(timelineJa).toMatch(/被害者のウォレットへの最初のチャージ：¥[\d,]+</);
    expect(timelineJa).not.toContain("top-up into a victim");
    const queries = await (await agent.get(`/incidents/${incident.id}/queries`)).text();
    expect(queries).toContain('data-testid="query-value-stolenYen">¥42,000<');
    expect((await agent.get(`/incidents/${incident.id}/cases?status=OPEN`)).status).toBe(200);
    expect((await agent.get(`/incidents/INC-NO-SUCH`)).status).toBe(404);
    expect((await agent.get(`/incidents/INC-NO-SUCH/live`)).status).toBe(404);
    for (const segment of ["%00", "a".repeat(600)]) expect((await agent.get(`/incidents/${segment}`)).status).toBe(404);
    // Invalid UTF-8 in the path is refused before any route runs.
    expect((await agent.get(`/incidents/%ED%A0%80`)).status).toBe(400);
  });

  it("draws the charts in the server-rendered page, with no inline style the CSP would refuse", async () => {
    const { incident } = await buildIncident();
    const buyer = await createVictim(prisma, incident, await createStore(prisma), {
      topUps: [8_000],
      purchases: [7_000],
    });
    for (const [status, failure] of [
      ["SENT", null],
      ["FAILED", "REJECTED"],
      ["FAILED", "RETRIES_EXHAUSTED"],
      ["QUEUED", null],
    ] as const) {
      await prisma.outboundMessage.create({
        data: {
          dedupeKey: `test:${randomUUID()}`,
          incidentId: incident.id,
          customerId: buyer.customer.id,
          template: "incident-update",
          language: "ja",
          messageIdHeader: `<${randomUUID()}@test>`,
          status,
          failure,
          recipient: "victim@wallet-test.example",
          subject: "お知らせ",
          textBody: "本文",
          htmlBody: "<p>本文</p>",
          nextAttemptAt: new Date(),
          sentAt: status === "SENT" ? new Date() : null,
        },
      });
    }
    const html = await (await agent.get(`/incidents/${incident.id}`)).text();
    const svgs = [...html.matchAll(/<svg\b[^>]*>[\s\S]*?<\/svg>/g)].map((m) => m[0]);
    const money = svgs.find((svg) => svg.includes('data-testid="money-chart"'));
    expect(money).toBeDefined();
    expect(money).toContain('role="img"');
    expect(money).toMatch(/aria-label="[^"]*¥50,000/);
    // Three drawn lines (stolen, reversed, outstanding), each a real path, and labelled axes.
    const lines = [...money!.matchAll(/<path[^>]*class="[^"]*money-chart-line[^"]*"[^>]*>/g)].map((m) => m[0]);
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/ d="M[\d.-]+,[\d.-]+[^"]*[HVL]/);
    expect(money).toContain("¥40,000"); // a tick on the yen axis
    // The time axis says which zone its ticks are in, as the table under the chart does, in the member's language.
    expect(money).toMatch(/data-testid="money-chart-time-axis"[^>]*>Time \(JST\)</);
    const japanese = await signIn(app, await createStaff({ role: "AGENT", language: "ja" }));
    const htmlJa = await (await japanese.get(`/incidents/${incident.id}`)).text();
    expect(htmlJa).toMatch(/data-testid="money-chart-time-axis"[^>]*>時刻（日本時間・JST）</);
    // The store the money went to, as a bar.
    const stores = svgs.find((svg) => svg.includes("destination-bar"));
    expect(stores).toMatch(/<rect[^>]*class="[^"]*destination-bar[^"]*"[^>]*width="[1-9]/);
    // The notices' progress bar: one segment per outcome present, and the counts as text.
    const campaign = svgs.find((svg) => svg.includes('data-testid="campaign-bar"'));
    expect([...campaign!.matchAll(/data-part="(\w+)"/g)].map((m) => m[1])).toEqual([
      "delivered",
      "bounced",
      "failed",
      "queued",
    ]);
    expect(html).toContain('data-testid="campaign-sent">3 of 4 sent<');
    expect(html).toContain('data-testid="campaign-bounced">1<');
    for (const svg of svgs.filter((s) => /money-chart-line|destination-bar|campaign-bar/.test(s))) {
      expect(svg).not.toContain("style=");
    }
  });

  it("refuses the dashboard and its stream to a role without incidents:view", async () => {
    const { incident } = await buildIncident();
    const admin = await signIn(app, await createStaff({ role: "ADMIN" }));
    expect((await admin.get(`/incidents/${incident.id}`)).status).toBe(403);
    expect((await admin.get(`/incidents/${incident.id}/live`)).status).toBe(403);
  });

  it("pushes an update to 50 viewers for the database work of one", async () => {
    const { incident, victim } = await buildIncident();
    const lead = await createStaffContext(prisma, "SECURITY_LEAD", { steppedUp: true });
    const reverse = (transactionId: string, amount: number) =>
      reverseCharge(lead, {
        customerId: victim.customer.id,
        transactionId,
        amount,
        reasonCode: "FRAUDULENT",
        idempotencyKey: newKey(),
      });

    // One viewer: the cost of one update.
    const single = await openStream(agent, incident.id);
    await waitForSubscribers(incident.id, 1);
    await pollFeedNow(incident.id); // the first poll computes the figures the feed starts from
    expect((await single.next()).money.reversedYen).toBe(0);
    await reverse(victim.topUpIds[0]!, 10_000);
    const before1 = { ...feedStats() };
    await pollFeedNow(incident.id);
    expect((await single.next()).money.reversedYen).toBe(10_000);
    const cost1 = {
      probes: feedStats().probes - before1.probes,
      recomputes: feedStats().recomputes - before1.recomputes,
      sections: feedStats().sections - before1.sections,
    };
    // A reversal moves ledger rows and writes an audit row: the money, the funnel, the switches and the jobs are read
    // again; where the money went (purchases) and the notices (outbox) are not.
    expect(cost1).toEqual({ probes: 1, recomputes: 1, sections: 4 });

    // Fifty viewers: the same cost, and every one of them gets the update.
    const others = await Promise.all(Array.from({ length: VIEWERS - 1 }, () => openStream(agent, incident.id)));
    const viewers = [single, ...others];
    await waitForSubscribers(incident.id, VIEWERS);
    await reverse(victim.topUpIds[1]!, 2_000);
    const before50 = { ...feedStats() };
    await pollFeedNow(incident.id);
    const updates = await Promise.all(viewers.map((v) => v.next()));
    expect(updates.map((u) => u.money.reversedYen)).toEqual(Array(VIEWERS).fill(12_000));
    const cost50 = {
      probes: feedStats().probes - before50.probes,
      recomputes: feedStats().recomputes - before50.recomputes,
      sections: feedStats().sections - before50.sections,
    };
    expect(cost50).toEqual(cost1);
    // The sections the update kept are what a full computation finds now.
    const full = await loadCommandFigures(incident.id);
    const { funnel, jobs, campaigns, stores, products } = updates[0]!;
    expect({ funnel, jobs, campaigns, stores, products }).toEqual({
      funnel: full.funnel,
      jobs: full.jobs.map((j) => ({ ...j, createdAt: j.createdAt.toISOString() })),
      campaigns: full.campaigns,
      stores: full.stores,
      products: full.products,
    });
    expect(updates[0]!.money.stolenYen).toBe(full.money.stolenYen);

    // Nothing changed: a poll is one probe and no recomputation.
    const idle = { ...feedStats() };
    await pollFeedNow(incident.id);
    expect(feedStats().recomputes).toBe(idle.recomputes);
    expect(feedStats().probes).toBe(idle.probes + 1);

    // A page rendered while the feed is open and nothing changed takes the feed's figures: one probe, no recomputation.
    const paint = { ...feedStats() };
    const html = await (await agent.get(`/incidents/${incident.id}`)).text();
    expect(html).toContain('data-testid="reversed-yen">¥12,000<');
    expect(feedStats()).toEqual({ probes: paint.probes + 1, recomputes: paint.recomputes, sections: paint.sections });
    // After a change the page recomputes what changed rather than show the feed's older figures.
    await reverse(victim.topUpIds[1]!, 1_000);
    expect(await (await agent.get(`/incidents/${incident.id}`)).text()).toContain(
      'data-testid="reversed-yen">¥13,000<',
    );
    expect(feedStats().recomputes).toBe(paint.recomputes + 1);

    for (const viewer of viewers) viewer.close();
    await waitForSubscribers(incident.id, 0);
  });
});

describe("a dashboard stream opened by a session that has since ended", () => {
  // Each way a member loses the dashboard while its page stays open. The stream delivers while the session permits it;
  // the next update after that closes it instead.
  const admin = () => createSignedInStaff({ role: "ADMIN" });
  const endings: [string, (client: StaffClient) => Promise<void>][] = [
    [
      "signed out (the session revoked)",
      async (client) => expect((await client.post("/sign-out", {})).status).toBe(302),
    ],
    [
      "all sessions ended by an admin",
      async (client) => void (await endStaffSessions((await admin()).ctx, client.staff.id)),
    ],
    [
      "disabled by an admin",
      async (client) => void (await disableStaff((await admin()).ctx, client.staff.id, "left the company")),
    ],
    [
      "moved to a role without incidents:view",
      // A raise to a privileged role: one admin asks, a second approves (ADR 066).
      async (client) => {
        const asked = await changeStaffRole((await admin()).ctx, client.staff.id, "ADMIN", "now runs staff accounts");
        if (asked.kind !== "requested") throw new Error("a raise to ADMIN should wait for a second admin");
        await approveStaffGrant((await admin()).ctx, { requestId: asked.grant.id, reason: "agreed" });
      },
    ],
    ["idle past the timeout", async () => advanceClock(IDLE_TIMEOUT_MS)],
  ];

  it.each(endings)("%s: the next update closes the stream and sends nothing", async (_name, end) => {
    const { incident, victim } = await buildIncident();
    const member = await signIn(app, await createStaff({ role: "AGENT" }));
    const stream = await openStream(member, incident.id);
    try {
      await waitForSubscribers(incident.id, 1);
      await pollFeedNow(incident.id);
      expect((await stream.next()).money.reversedYen).toBe(0);

      // A change the feed will push at its next poll.
      const lead = await createStaffContext(prisma, "SECURITY_LEAD", { steppedUp: true });
      await reverseCharge(lead, {
        customerId: victim.customer.id,
        transactionId: victim.topUpIds[0]!,
        amount: 1_000,
        reasonCode: "FRAUDULENT",
        idempotencyKey: newKey(),
      });
      await end(member);
      await pollFeedNow(incident.id);
      expect(await stream.rest(10_000)).toEqual({ ended: true, events: [] });
      await waitForSubscribers(incident.id, 0);
    } finally {
      resetClock();
      stream.close();
    }
  });
});

describe("streams opened from another site", () => {
  it("are refused: only the console's own pages open them", async () => {
    const { incident } = await buildIncident();
    const member = await signIn(app, await createStaff({ role: "AGENT" }));
    for (const path of [`/incidents/${incident.id}/live`, "/alerts/stream"]) {
      const refused = await member.get(path, { headers: { "sec-fetch-site": "cross-site" } });
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain("started from another site");
    }
  });
});

describe("watching is not activity", () => {
  // A page left open on the dashboard reconnects its streams (the dashboard's every five minutes, the alert banner's
  // whenever a connection drops). Those requests come from the browser, not from the member: they must not keep an
  // unattended console signed in past the idle timeout.
  it("reconnecting the dashboard's and the banner's streams does not move the idle timeout", async () => {
    const { incident } = await buildIncident();
    const member = await signIn(app, await createStaff({ role: "AGENT" }));
    const reconnect = async (path: string) => {
      const controller = new AbortController();
      const response = await member.request(path, { signal: controller.signal });
      expect(response.status).toBe(200);
      controller.abort();
    };
    const step = IDLE_TIMEOUT_MS / 3;
    try {
      for (let i = 0; i < 2; i++) {
        advanceClock(step);
        await reconnect(`/incidents/${incident.id}/live`);
        await reconnect("/alerts/stream");
        await waitForSubscribers(incident.id, 0);
      }
      // Fifteen minutes after the member last did anything: the session has gone idle.
      advanceClock(step);
      const page = await member.get("/");
      expect(page.status).toBe(302);
      expect(page.headers.get("location")).toBe("/sign-in?expired=1");
    } finally {
      resetClock();
    }
  });
  // The jobs, notifications and rule pages read their data again on a timer while work runs; those data requests
  // carry the automatic-refresh header (app/components/automatic-refresh.ts). A person's own requests still count.
  it.each([
    ["refreshing by itself does not", { [AUTOMATIC_REFRESH_HEADER]: AUTOMATIC_REFRESH_VALUE }, 302],
    ["a person's navigation does", {}, 200],
  ])("a page %s move the idle timeout", async (_case, headers, finalStatus) => {
    const member = await signIn(app, await createStaff({ role: "SECURITY_LEAD" }));
    const step = IDLE_TIMEOUT_MS / 3;
    try {
      for (let i = 0; i < 2; i++) {
        advanceClock(step);
        expect((await member.get("/jobs.data", { headers })).status).toBe(200);
      }
      advanceClock(step);
      const page = await member.get("/");
      expect(page.status).toBe(finalStatus);
      if (finalStatus === 302) expect(page.headers.get("location")).toBe("/sign-in?expired=1");
    } finally {
      resetClock();
    }
  });
});
