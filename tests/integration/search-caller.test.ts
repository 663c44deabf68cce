// The caller search against a real database (PGlite, or PostgreSQL with FIREBREAK_TEST_DB=postgresql): every kind of
// identifier, names in every script, ranking, namesakes told apart, pagination, hostile input, and the audit row.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/audit/actor";
import { searchForCaller, type CallerSearchResult } from "~/accounts/caller-search.server";
import { createAuditAppender } from "~/audit/audit-log.server";
import { toSearchKey } from "~/accounts/search-key";
import { parseSearchQuery } from "~/accounts/search-query.server";
import { decodeCursor } from "~/accounts/search-cursor";
import { PAGE_SIZE, searchCustomers } from "~/accounts/search.server";
import { database, prisma } from "~/db.server";
import { PermissionDeniedError } from "~/lib/domain-error";
import { countingStatements } from "../support/search-fixtures";

const agent: Actor = { kind: "staff", id: randomUUID(), role: "AGENT" };
const admin: Actor = { kind: "staff", id: randomUUID(), role: "ADMIN" };
const origin = { ip: "198.51.100.20", userAgent: "vitest", requestId: `req-${randomUUID()}` };
const ctx = { actor: agent, origin };

// Unique per run: the file's tests share its database and must not see each other's customers.
const run = randomUUID().slice(0, 6);
const digits = () => String(Math.floor(Math.random() * 1e8)).padStart(8, "0");

async function makeCustomer(input: {
  name: string;
  nameKana: string;
  birthDate: string;
  email?: string;
  phone?: string;
}) {
  return prisma.customer.create({
    data: {
      displayId: `S-${randomUUID().slice(0, 8)}`,
      name: input.name,
      nameKana: input.nameKana,
      email: input.email ?? `c-${randomUUID().slice(0, 8)}@search.example`,
      phone: input.phone ?? `+8190${digits()}`,
      birthDate: new Date(input.birthDate),
    },
  });
}

function results(result: CallerSearchResult) {
  if (result.kind !== "results") throw new Error(`refused: ${result.message}`);
  return result;
}

// Rare surnames, so that other tests' customers never rank among ours.
const FAMILY = "鬼瓦";
const FAMILY_KANA = "オニガワラ";

let older: Awaited<ReturnType<typeof makeCustomer>>;
let younger: Awaited<ReturnType<typeof makeCustomer>>;
let other: Awaited<ReturnType<typeof makeCustomer>>;
let phone: string;
// Always with a digit: a run of letters alone ("fpabcdefabcdef") is read as a name, not a fingerprint.
const fingerprint = `FP${run.toUpperCase()}ABCDEF7`;
const ip = `203.0.113.${Math.floor(Math.random() * 200) + 20}`;

beforeAll(async () => {
  phone = `+8190${digits()}`;
  older = await makeCustomer({
    name: `${FAMILY} 権蔵`,
    nameKana: `${FAMILY_KANA} ゴンゾウ`,
    birthDate: "1961-03-04",
    phone,
    email: `Gonzo.${run}@Search.Example`,
  });
  younger = await makeCustomer({
    name: `${FAMILY} 権蔵`,
    nameKana: `${FAMILY_KANA} ゴンゾウ`,
    birthDate: "1994-11-30",
  });
  other = await makeCustomer({ name: `${FAMILY} 花子`, nameKana: `${FAMILY_KANA} ハナコ`, birthDate: "1988-01-15" });
  const device = await prisma.device.create({
    data: { customerId: older.id, fingerprint, platform: "android", model: "Pixel", firstSeenAt: new Date() },
  });
  await prisma.loginEvent.create({
    data: { customerId: younger.id, deviceId: null, ip, country: "JP", success: true, occurredAt: new Date() },
  });
  await prisma.loginEvent.create({
    data: {
      customerId: older.id,
      deviceId: device.id,
      ip: "192.0.2.1",
      country: "JP",
      success: true,
      occurredAt: new Date(),
    },
  });
});

describe("identifiers", () => {
  it.each([
    ["with spaces and +81", (p: string) => `+81 ${p.slice(3, 5)} ${p.slice(5, 9)} ${p.slice(9)}`],
    ["national with hyphens", (p: string) => `0${p.slice(3, 5)}-${p.slice(5, 9)}-${p.slice(9)}`],
    ["national digits only", (p: string) => `0${p.slice(3)}`],
    ["full-width", (p: string) => `0${p.slice(3)}`.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))],
  ])("finds a caller by phone number (%s)", async (_label, format) => {
    const found = results(await searchForCaller(ctx, format(phone)));
    expect(found.hits.map((h) => h.id)).toEqual([older.id]);
    expect(found.hits[0]).toMatchObject({ matchedBy: "phone", maskedPhone: `090-••••-${phone.slice(-4)}` });
  });

  it("email, case-insensitively", async () => {
    const found = results(await searchForCaller(ctx, `gonzo.${run}@search.example`.toUpperCase()));
    expect(found.hits.map((h) => h.id)).toEqual([older.id]);
    expect(found.hits[0]!.maskedEmail).toMatch(/^Go•{3,10}@Search\.Example$/);
  });

  it("display ID, customer ID, device fingerprint in either case, device ID, IP address", async () => {
    expect(results(await searchForCaller(ctx, older.displayId)).hits[0]!.id).toBe(older.id);
    expect(results(await searchForCaller(ctx, older.id.toUpperCase())).hits[0]!.id).toBe(older.id);
    expect(results(await searchForCaller(ctx, fingerprint.toLowerCase())).hits.map((h) => h.id)).toEqual([older.id]);
    const device = await prisma.device.findFirstOrThrow({ where: { customerId: older.id } });
    expect(results(await searchForCaller(ctx, device.id)).hits.map((h) => [h.id, h.matchedBy])).toEqual([
      [older.id, "deviceId"],
    ]);
    // An iOS device's fingerprint is a UUID (identifierForVendor), typed in upper case as the device reports it.
    const vendorId = randomUUID().toUpperCase();
    await prisma.device.create({
      data: { customerId: other.id, fingerprint: vendorId, platform: "ios", model: "iPhone", firstSeenAt: new Date() },
    });
    expect(results(await searchForCaller(ctx, vendorId)).hits.map((h) => [h.id, h.matchedBy])).toEqual([
      [other.id, "fingerprint"],
    ]);
    const byIp = results(await searchForCaller(ctx, ip));
    expect(byIp.hits.map((h) => [h.id, h.matchedBy])).toEqual([[younger.id, "ip"]]);
  });
});

describe("names", () => {
  it.each([
    ["kanji with a space", `${FAMILY} 権蔵`],
    ["kanji without a space", `${FAMILY}権蔵`],
    ["katakana", `${FAMILY_KANA} ゴンゾウ`],
    ["hiragana", "おにがわら ごんぞう"],
    ["half-width katakana", "ｵﾆｶﾞﾜﾗ ｺﾞﾝｿﾞｳ"],
  ])("an exact full name in %s finds both namesakes first", async (label, typed) => {
    const found = results(await searchForCaller(ctx, typed));
    expect(new Set(found.hits.slice(0, 2).map((h) => h.id))).toEqual(new Set([older.id, younger.id]));
    // The kanji name is the exact full name; a kana one is the exact reading, ranked just below it.
    const expected = label.startsWith("kanji") ? "name" : "reading";
    expect(found.hits.slice(0, 2).every((h) => h.matchedBy === expected)).toBe(true);
  });

  it("tells namesakes apart: birth year, masked contacts, last sign-in, display ID", async () => {
    const found = results(await searchForCaller(ctx, `${FAMILY} 権蔵`));
    const [a, b] = [found.hits.find((h) => h.id === older.id)!, found.hits.find((h) => h.id === younger.id)!];
    expect(a.birthYear).toBe(1961);
    expect(b.birthYear).toBe(1994);
    expect(a.displayId).not.toBe(b.displayId);
    expect(a.lastSignInAt).not.toBeNull();
  });

  it("an identifier's one candidate comes with what the list shows of it, in one statement", async () => {
    const parsed = parseSearchQuery(phone);
    if (!parsed.ok) throw new Error("query refused");
    const counting = countingStatements();
    const found = await searchCustomers(counting, parsed.terms);
    expect(counting.statements).toBe(1);
    const signedIn = await prisma.loginEvent.findFirst({ where: { customerId: older.id, success: true } });
    expect(found.hits).toEqual([
      expect.objectContaining({
        id: older.id,
        displayId: older.displayId,
        name: older.name,
        phone,
        birthYear: 1961,
        status: "ACTIVE",
        lastSignInAt: signedIn!.occurredAt,
        caseStatus: null,
      }),
    ]);
  });

  it("a birth year after the name narrows namesakes", async () => {
    const found = results(await searchForCaller(ctx, `${FAMILY} 権蔵 1994`));
    expect(found.hits.map((h) => h.id)).toEqual([younger.id]);
    const byDate = results(await searchForCaller(ctx, `おにがわら 1961-03-04`));
    expect(byDate.hits.map((h) => h.id)).toEqual([older.id]);
  });

  it("a family name alone lists the family, by birth date", async () => {
    const found = results(await searchForCaller(ctx, FAMILY));
    expect(found.hits.map((h) => h.id)).toEqual([older.id, other.id, younger.id]);
    expect(found.hits.every((h) => h.matchedBy === "familyName")).toBe(true);
    expect(found.total).toBe(3);
  });

  it("a given name alone, in kana", async () => {
    const found = results(await searchForCaller(ctx, "はなこ"));
    expect(found.hits.map((h) => h.id)).toContain(other.id);
    expect(found.hits.find((h) => h.id === other.id)!.matchedBy).toBe("givenName");
  });

  it("a name with one wrong kana finds the name it was meant to be", async () => {
    const found = results(await searchForCaller(ctx, "オニガワラゴンソウ")); // ソ for ゾ
    expect(found.hits.map((h) => h.id)).toEqual(expect.arrayContaining([older.id, younger.id]));
    expect(found.hits.find((h) => h.id === older.id)!.matchedBy).toBe("similarName");
  });

  it("similar names are only a fallback: a name that matches someone exactly does not list look-alikes", async () => {
    const exact = await makeCustomer({ name: "猪狩 慎之介", nameKana: "イカリ シンノスケ", birthDate: "1970-05-05" });
    const lookAlike = await makeCustomer({
      name: "猪狩 慎ノ助",
      nameKana: "イカリ シンノスゲ",
      birthDate: "1970-08-08",
    });
    const precise = results(await searchForCaller(ctx, "いかり しんのすけ 1970"));
    expect(precise.hits.map((h) => [h.id, h.matchedBy])).toEqual([[exact.id, "reading"]]);
    // Nobody is called this: the name one kana away is offered; the look-alike two kana away is not.
    const fuzzy = results(await searchForCaller(ctx, "いかり しんのずけ"));
    expect(fuzzy.hits.map((h) => [h.id, h.matchedBy])).toEqual([[exact.id, "similarName"]]);
    expect(fuzzy.hits.map((h) => h.id)).not.toContain(lookAlike.id);
  });
});

describe("the database's search key and the server's agree", () => {
  it.each([
    "田中 太郎",
    "ﾀﾅｶ ﾀﾛｳ",
    "たなか　たろう",
    "ゔぁいおりん",
    "Ｓｍｉｔｈ　Ｊｏｈｎ",
    "ヤマダ・ハナコ",
    "o'brien-smith",
    "髙橋 一郎",
    "さゝき",
    "%_\\'\"",
  ])("%s", async (value) => {
    const rows = await prisma.$queryRaw<{ key: string }[]>`SELECT firebreak_search_key(${value}) AS key`;
    expect(rows[0]!.key).toBe(toSearchKey(value));
  });

  it("the generated columns hold those keys, and the given name is split off", async () => {
    const rows = await prisma.$queryRaw<
      { name_key: string; kana_key: string; given_name_key: string; given_kana_key: string }[]
    >`
      SELECT name_key, kana_key, given_name_key, given_kana_key FROM customer WHERE id = ${older.id}::uuid`;
    expect(rows[0]).toEqual({
      name_key: `${FAMILY}権蔵`,
      kana_key: `${FAMILY_KANA}ゴンゾウ`,
      given_name_key: "権蔵",
      given_kana_key: "ゴンゾウ",
    });
  });
});

describe("pagination", () => {
  it("pages are stable, bounded, and say when there is more", async () => {
    const family = `${"蛸"}${run.replace(/[^a-f]/g, "").slice(0, 1) || "a"}`;
    const familyName = `蛸壺${"甲乙丙"[family.length % 3]}`; // unusual on purpose
    const made = [];
    for (let n = 0; n < PAGE_SIZE + 5; n++) {
      made.push(
        await makeCustomer({ name: `${familyName} 太郎`, nameKana: "タコツボ タロウ", birthDate: "1970-01-01" }),
      );
    }
    const parsed = parseSearchQuery(`${familyName} 太郎`);
    if (!parsed.ok) throw new Error("query refused");
    // A full name is counted in one statement (the full-name prefix branches only when no family name matches); then
    // its page, read with the details the list shows (ADR 110).
    const counting = countingStatements();
    const first = await searchCustomers(counting, parsed.terms);
    expect(counting.statements).toBe(2);
    expect(first.hits).toHaveLength(PAGE_SIZE);
    expect(first.hits.every((hit) => hit.name === `${familyName} 太郎` && hit.birthYear === 1970)).toBe(true);
    expect(first.total).toBe(PAGE_SIZE + 5);
    expect(first.nextCursor).not.toBeNull();
    const position = decodeCursor(first.nextCursor);
    if (position === null || position === "invalid") throw new Error("bad cursor");
    const second = await searchCustomers(database.sql, parsed.terms, position);
    expect(second.hits).toHaveLength(5);
    expect(second.nextCursor).toBeNull();
    const seen = [...first.hits, ...second.hits].map((h) => h.id);
    expect(new Set(seen).size).toBe(seen.length); // no customer on two pages
    expect(seen).toEqual(expect.arrayContaining(made.map((m) => m.id)));
    const again = await searchCustomers(database.sql, parsed.terms);
    expect(again.hits.map((h) => h.id)).toEqual(first.hits.map((h) => h.id));
    // Namesakes are listed by birth date, then id: the order the agent asks in ("which year were you born?").
    const born = first.hits.map((h) => h.birthYear);
    expect([...born].sort((a, b) => a - b)).toEqual(born);

    // With the birth year: the four digits as a phone's or a card's last four, then the namesakes born that year
    // ranked a page at a time in the database, read with what the list shows of each.
    const withYear = parseSearchQuery(`${familyName} 太郎 1970`);
    if (!withYear.ok) throw new Error("query refused");
    counting.statements = 0;
    const born1970 = await searchCustomers(counting, withYear.terms);
    expect(counting.statements).toBe(2);
    expect(born1970.hits).toHaveLength(PAGE_SIZE);
    expect(born1970.hits.map((h) => h.id)).toEqual(first.hits.map((h) => h.id));
    expect(born1970.hits.every((h) => h.displayId.length > 0 && h.phone.startsWith("+81"))).toBe(true);
  });
});

describe("bad input", () => {
  it.each([
    ["empty", ""],
    ["10,000 characters", "あ".repeat(10_000)],
    ["only wildcards", "%_%"],
    ["emoji", "🙂🙂"],
    ["control characters", "\u0000\u0007"],
    ["a lone surrogate", "\uD800"],
  ])("%s → a clear message", async (_label, raw) => {
    const result = await searchForCaller(ctx, raw);
    expect(result.kind).toBe("refused");
    if (result.kind === "refused") expect(result.message.length).toBeGreaterThan(10);
  });

  it.each([
    ["SQL metacharacters", "'; DROP TABLE customer; --"],
    ["a LIKE pattern in a name", "%田%"],
    ["quotes and backslashes", `田中' OR '1'='1 \\`],
    ["emoji around a name", "🙂鬼瓦🙂"],
  ])("%s → an ordinary (safe) search", async (_label, raw) => {
    const result = await searchForCaller(ctx, raw);
    expect(result.kind).toBe("results");
    expect(await prisma.customer.count({ where: { id: older.id } })).toBe(1);
  });

  it("a LIKE wildcard does not match everything", async () => {
    const result = results(await searchForCaller(ctx, "鬼%"));
    // "鬼%" is keyed "鬼": a prefix search for 鬼, not a pattern — and certainly not every customer.
    expect(result.hits.every((h) => h.name.startsWith("鬼"))).toBe(true);
  });
});

describe("access", () => {
  it("a search is audited with its kind, a masked form and a keyed hash — never the raw term", async () => {
    const typed = `0${phone.slice(3)}`;
    await searchForCaller({ actor: agent, origin: { ...origin, requestId: `req-${randomUUID()}` } }, typed);
    const row = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "accounts.search", actorId: (agent as { id: string }).id },
      orderBy: { seq: "desc" },
    });
    const after = row.after as Record<string, unknown>;
    expect(after).toMatchObject({ kinds: ["phone"], resultCount: 1, shownCustomerIds: [older.id] });
    expect(after.masked).toBe(`090-••••-${phone.slice(-4)}`);
    expect(after.queryHmac).toMatch(/^[0-9a-f]{64}$/);
    expect(
      JSON.stringify(row, (_key, value: unknown) => (typeof value === "bigint" ? String(value) : value)),
    ).not.toContain(phone.slice(5));
  });

  it("no results without their audit row: a writer that fails fails the search", async () => {
    const written: unknown[] = [];
    const found = results(
      await searchForCaller(ctx, older.displayId, {}, async (event) => {
        written.push(event.after);
      }),
    );
    expect(written).toEqual([expect.objectContaining({ shownCustomerIds: found.hits.map((h) => h.id) })]);
    const refusing = () => Promise.reject(new Error("audit storage unavailable"));
    await expect(searchForCaller(ctx, older.displayId, {}, refusing)).rejects.toThrow("audit storage unavailable");
  });

  it("no results when the shared audit call carrying the search's row fails, nor for the others in that call", async () => {
    // The console's appender, on a runner that holds each call until the test lets it through: the search's row and a
    // row the database refuses arrive while a first call is in flight, so they share the next call, which fails.
    const gates: (() => void)[] = [];
    const appender = createAuditAppender({
      query: async <T>(text: string, params?: unknown[]) => {
        await new Promise<void>((resolve) => gates.push(resolve));
        return database.sql.query<T>(text, params);
      },
    });
    const openNext = async () => {
      while (gates.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      gates.shift()!();
    };
    const base = { actor: agent, origin, action: `test.search.batch.${run}`, outcome: "SUCCESS" as const };
    const first = appender.append([base]);
    const requestId = `req-${randomUUID()}`;
    let rowQueued!: () => void;
    const queued = new Promise<void>((resolve) => (rowQueued = resolve));
    const search = searchForCaller({ actor: agent, origin: { ...origin, requestId } }, older.displayId, {}, (event) => {
      const appended = appender.append([event]);
      rowQueued();
      return appended;
    });
    const refused = appender.append([{ ...base, outcome: "NOT_AN_OUTCOME" as "SUCCESS" }]);
    const outcomes = Promise.allSettled([search, refused]);
    await queued; // the search ran and handed its row over while the first call is still held
    await openNext();
    await first;
    await openNext();
    expect((await outcomes).map((o) => o.status)).toEqual(["rejected", "rejected"]);
    expect(await prisma.auditEvent.count({ where: { requestId } })).toBe(0);
  });

  it("a role without accounts:search is refused", async () => {
    await expect(searchForCaller({ actor: admin, origin }, "鬼瓦")).rejects.toBeInstanceOf(PermissionDeniedError);
  });
});
