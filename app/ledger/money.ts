// Yen in messages, the same on the server and in the browser.
export function yen(amount: number | bigint): string {
  return `¥${Number(amount).toLocaleString("ja-JP")}`;
}
