// Yen in messages, the same on the server and in the browser: the one yen formatter (app/lib/format.ts).
export { formatYen as yen } from "~/lib/format";
