// The passes of the hostile-input sweep (tests/support/hostile-input.ts), each over every route it applies to. A pass
// that a file runs in parts takes a `Shard`: it plans from the whole route list (so a route's index, and what it picks
// by it, is the same in every part) and sends only its part's requests.
import { expect } from "vitest";
import { dataPath } from "./single-fetch";
import {
  actionRoutes,
  expectNoServerError,
  FIELD_NAMES,
  HOSTILE_BODY_VALUES,
  HOSTILE_PATH_SEGMENTS,
  HOSTILE_VALUES,
  inShard,
  pages,
  QUERY_FIELD_VALUES,
  SINGLE_FIELD_VALUES,
  sweepSession,
  WHOLE,
  type Shard,
} from "./hostile-input";
import { fieldsReadBy } from "./query-reads";
import { routeFiles, SOME_ID, urlPathOf } from "./route-files";

export function hostileQuery(value: string): string {
  const params = new URLSearchParams();
  for (const name of FIELD_NAMES) params.set(name, value);
  return params.toString();
}

/** Each hostile segment in the place of every dynamic route's parameters, as the lead and as a stranger. */
export async function sweepPathSegments(shard: Shard = WHOLE): Promise<void> {
  const { lead, stranger } = sweepSession();
  for (const file of routeFiles.filter((f) => f.includes("$") && inShard(f, shard))) {
    for (const segment of HOSTILE_PATH_SEGMENTS) {
      const url = urlPathOf(file, segment);
      for (const client of [lead, stranger]) {
        await expectNoServerError(`GET ${url}`, () => client.get(url));
      }
    }
  }
}

/** Every hostile value in every field name at once, on each page and its data request. */
export async function sweepQueryStrings(shard: Shard = WHOLE): Promise<void> {
  const { lead } = sweepSession();
  for (const { file, url, routeId } of pages()) {
    if (!inShard(file, shard)) continue;
    for (const value of HOSTILE_VALUES) {
      const query = hostileQuery(value);
      const label = `GET ${url} ${JSON.stringify(value.slice(0, 20))}`;
      await expectNoServerError(label, () => lead.get(`${url}?${query}`));
      // The data request a client-side navigation makes runs the same loader through another path.
      await expectNoServerError(`${label} (data)`, () => lead.get(dataPath(`${url}?${query}`, [routeId])));
    }
  }
}

/**
 * A request whose only parameter is one the page never reads by name runs exactly as the request without it (each read
 * before returns the same "absent"), except where the page passes the raw query on (a return link, a log line): so
 * per page the parameters it reads are each swept, and one that it does not (a different one per page, so that every
 * name is sent) stands for the rest. Returns the parameters each page of the part was seen to read, by its URL.
 */
export async function sweepSingleQueryParameters(shard: Shard = WHOLE): Promise<Map<string, string[]>> {
  const { lead } = sweepSession();
  const readBy = new Map<string, string[]>();
  for (const [index, { file, url }] of pages().entries()) {
    if (!inShard(file, shard)) continue;
    const read = await fieldsReadBy(FIELD_NAMES, () => expectNoServerError(`GET ${url}`, () => lead.get(url)));
    readBy.set(url, read);
    const unread = FIELD_NAMES.filter((name) => !read.includes(name));
    const fields = unread.length > 0 ? [...read, unread[index % unread.length]!] : read;
    for (const field of fields) {
      for (const value of QUERY_FIELD_VALUES) {
        const query = new URLSearchParams({ [field]: value }).toString();
        await expectNoServerError(`GET ${url}?${field}=${JSON.stringify(value.slice(0, 20))}`, () =>
          lead.get(`${url}?${query}`),
        );
      }
      // The same parameter twice, where the page expects one value.
      const repeated = new URLSearchParams([
        [field, "1"],
        [field, "a\u0000b"],
      ]).toString();
      await expectNoServerError(`GET ${url}?${field}=1&${field}=…`, () => lead.get(`${url}?${repeated}`));
    }
  }
  return readBy;
}

// Parameters some pages are known to read, no list naming the last two (the charge to reverse, the reset link's
// account): the recording must see them, or the pass above could sweep nothing and still pass.
const KNOWN_READS: Record<string, string[]> = {
  "/audit": ["q", "actor", "from", "to"],
  [`/accounts/${SOME_ID}/reverse`]: ["charge"],
  "/reset-password": ["account"],
};

/** The pages of `shard` known to read a parameter were seen reading it (and each such page is a page of the sweep). */
export function expectKnownReadsSeen(readBy: Map<string, string[]>, shard: Shard = WHOLE): void {
  const all = pages();
  for (const [url, fields] of Object.entries(KNOWN_READS)) {
    const page = all.find((candidate) => candidate.url === url);
    expect(page, url).toBeDefined();
    if (inShard(page!.file, shard)) expect(readBy.get(url), url).toEqual(expect.arrayContaining(fields));
  }
}

/** Every hostile value in every field name at once, posted to every action. */
export async function sweepActionBodies(shard: Shard = WHOLE): Promise<void> {
  for (const { url, client } of actionRoutes().filter(({ file }) => inShard(file, shard))) {
    for (const value of HOSTILE_BODY_VALUES) {
      const form = Object.fromEntries(FIELD_NAMES.map((field) => [field, value]));
      await expectNoServerError(`POST ${url} ${JSON.stringify(value.slice(0, 20))}`, () => client.post(url, form));
    }
  }
}

/**
 * The values most likely to reach the database in every field, beside each intent an action can tell apart (past its
 * intent check). Returns every intent the whole pass sends, in this part and the others: the plan is made over every
 * route, so that which intent a route gets does not depend on the part.
 */
export async function sweepIntents(shard: Shard = WHOLE): Promise<Set<string>> {
  const sent = new Set<string>();
  let turn = 0;
  for (const { file, url, client, intents, formReaderOnly } of actionRoutes()) {
    for (const value of SINGLE_FIELD_VALUES) {
      const intentBlind = formReaderOnly && value.includes("\u0000");
      for (const intent of intentBlind ? [intents[turn++ % intents.length]!] : intents) {
        sent.add(intent);
        if (!inShard(file, shard)) continue;
        const form = { ...Object.fromEntries(FIELD_NAMES.map((field) => [field, value])), intent };
        const label = `POST ${url} intent=${intent} ${JSON.stringify(value.slice(0, 20))}`;
        await expectNoServerError(label, () => client.post(url, form));
      }
    }
  }
  return sent;
}

/** Bodies of another type than a form's, or malformed ones, posted to every action. */
export async function sweepOtherBodyTypes(shard: Shard = WHOLE): Promise<void> {
  const bodies: [string, string][] = [
    ["application/json", '{"intent":"engage","key":"topup.all"}'],
    ["multipart/form-data; boundary=x", '--x\r\nContent-Disposition: form-data; name="intent"\r\n\r\nengage'],
    ["multipart/form-data", "no boundary at all"],
    ["text/plain", "intent=engage"],
    ["application/x-www-form-urlencoded", "%E0%A4%A=1&intent=%"],
  ];
  for (const { url, client } of actionRoutes().filter(({ file }) => inShard(file, shard))) {
    for (const [type, body] of bodies) {
      await expectNoServerError(`POST ${url} as ${type}`, () =>
        client.request(url, { method: "POST", body, headers: { "content-type": type } }),
      );
    }
  }
}
