// A Japanese member's walk through the console in the browser: from the pages of the main menu, every same-origin
// link the pages offer is followed (each kind of page once: ids and numbers in a path, and the values of a query, are
// not a new kind), and the English left in what the hydrated page shows or reads aloud is listed
// (tests/support/english-words.ts). The HTTP scan (tests/integration/japanese-everywhere-http.test.ts) reads the
// server's HTML; this one reads the page after its scripts have run, as the reader meets it.
import type { Page } from "@playwright/test";
import { englishWordsIn, japaneseIn } from "../../support/english-words";
import { hydrated } from "./sign-in";

// Not pages: they end the session, move the test clock, never finish loading, or answer with a file or data.
const NOT_PAGES =
  /^\/(sign-out|sign-in|test-clock|alerts\/stream|api\/|audit\/export|audit\/public-key|reports\/breach\/[^/]+\/export|incidents\/[^/]+\/live|dev\/mail\/[^/]+\/html|notifications\/preview\.html|step-up|invite|reset-password)/;

/** The kind of page a URL opens: ids and numbers in its path, and its query's values, left out. */
export function pageKind(url: URL): string {
  const pathname = url.pathname
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ":id")
    .replace(/\/[A-Z]+-[0-9A-Z-]+(?=\/|$)/g, "/:code")
    .replace(/\/\d+(?=\/|$)/g, "/:n");
  const keys = [...new Set(url.searchParams.keys())].sort();
  return keys.length > 0 ? `${pathname}?${keys.join("&")}` : pathname;
}

export interface SweepFinding {
  path: string;
  status: number;
  words: string[];
}

export interface SweepResult {
  visited: string[];
  findings: SweepFinding[];
}

export interface SweepOptions {
  baseURL: string;
  /** The member's language: a Japanese page is searched for English words, an English one for Japanese script. */
  language: "ja" | "en";
  start: string[];
  /** Values of the records on the pages, shown as stored (names, titles): data, not UI. */
  data: readonly string[];
  /** Where to write one screenshot per page, or nothing. */
  screenshots?: { dir: string; prefix: string };
  /** How many pages at most (a safeguard against a link that makes new kinds of page without end). */
  limit?: number;
  /** Told of every page once it is read (progress, for a walk that takes minutes). */
  onPage?: (path: string, words: string[]) => void;
}

/** Walks from `start` through every kind of page the member can reach by a link, and lists the other language on each. */
export async function sweepPages(page: Page, options: SweepOptions): Promise<SweepResult> {
  const origin = new URL(options.baseURL).origin;
  const seen = new Set<string>();
  const queue = options.start.map((path) => new URL(path, origin));
  const result: SweepResult = { visited: [], findings: [] };
  const limit = options.limit ?? 150;
  for (const url of queue) seen.add(pageKind(url));
  while (queue.length > 0 && result.visited.length < limit) {
    const url = queue.shift()!;
    const path = `${url.pathname}${url.search}`;
    const response = await page.goto(url.toString());
    const status = response?.status() ?? 0;
    if (new URL(page.url()).origin !== origin) continue;
    if (status < 400) await hydrated(page);
    result.visited.push(path);
    const html = await page.content();
    const words = options.language === "ja" ? englishWordsIn(html, options.data) : japaneseIn(html, options.data);
    if (words.length > 0) result.findings.push({ path, status, words });
    options.onPage?.(path, words);
    if (options.screenshots) {
      const name = `${options.screenshots.prefix}${pageKind(url).replace(/[^a-z0-9]+/gi, "_")}.png`;
      await page.mouse.move(0, 0);
      await page.screenshot({ path: `${options.screenshots.dir}/${name}`, fullPage: true });
    }
    const hrefs = await page
      .locator("a[href]:not([download])")
      .evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).href));
    for (const href of hrefs) {
      const next = new URL(href);
      next.hash = "";
      if (next.origin !== origin || NOT_PAGES.test(next.pathname)) continue;
      const kind = pageKind(next);
      if (seen.has(kind)) continue;
      seen.add(kind);
      queue.push(next);
    }
  }
  return result;
}
