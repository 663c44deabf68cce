// Keyset positions for the caller search, carried in the page links as an opaque token. A position is the branch the
// last row came from and that row's sort values, so the next page starts right after it whatever was added meanwhile,
// and every match is reachable however many namesakes precede it. The token is user input: decoded strictly.
import { z } from "zod";

const CursorSchema = z.object({
  /** Broad search: the branch of the last row; narrow search: -1 (one sorted list). */
  b: z.number().int().min(-1).max(99),
  /** The last row's sort values, as text (dates ISO, numbers decimal). */
  v: z.array(z.string().max(400)).min(1).max(6),
});
export type SearchCursor = z.infer<typeof CursorSchema>;

export function encodeCursor(cursor: SearchCursor): string {
  return Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url");
}

/** null for a missing cursor (first page); "invalid" for one that was not made by encodeCursor. */
export function decodeCursor(token: string | null | undefined): SearchCursor | null | "invalid" {
  if (token === null || token === undefined || token === "") return null;
  if (token.length > 2000 || !/^[A-Za-z0-9_-]+$/.test(token)) return "invalid";
  try {
    const parsed = CursorSchema.safeParse(JSON.parse(Buffer.from(token, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : "invalid";
  } catch {
    return "invalid";
  }
}
