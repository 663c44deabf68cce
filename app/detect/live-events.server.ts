// The wallet's event tables read as detector events, for one time range.
import type { DbTx } from "~/db.server";
import type { DetectEvent, FundingChannel } from "./events";

export async function loadEvents(tx: DbTx, from: Date, until: Date): Promise<DetectEvent[]> {
  const signIns = await tx.$queryRaw<
    {
      customer_id: string;
      fingerprint: string | null;
      ip: string;
      country: string;
      success: boolean;
      new_device: boolean;
      occurred_at: Date;
    }[]
  >`SELECT le.customer_id::text, d.fingerprint, le.ip, le.country, le.success, le.new_device, le.occurred_at
      FROM login_event le LEFT JOIN device d ON d.id = le.device_id
     WHERE le.occurred_at >= ${from} AND le.occurred_at < ${until}`;
  const contacts = await tx.$queryRaw<{ customer_id: string; field: "EMAIL" | "PHONE"; changed_at: Date }[]>`
    SELECT customer_id::text, field::text AS field, changed_at FROM contact_change
     WHERE changed_at >= ${from} AND changed_at < ${until}`;
  const topUps = await tx.$queryRaw<
    { customer_id: string; amount: number; channel: FundingChannel | null; occurred_at: Date }[]
  >`SELECT customer_id::text, amount, channel::text AS channel, occurred_at FROM ledger_transaction
     WHERE kind = 'TOP_UP' AND occurred_at >= ${from} AND occurred_at < ${until}`;
  const purchases = await tx.$queryRaw<
    { customer_id: string; store_code: string; total: number; resellable_yen: bigint | number; occurred_at: Date }[]
  >`SELECT p.customer_id::text, s.code AS store_code, p.total, p.occurred_at,
           COALESCE((SELECT SUM(pi.quantity * pi.unit_price) FROM purchase_item pi
                       JOIN product_category pc ON pc.code = pi.category_code
                      WHERE pi.purchase_id = p.id AND pc.resellable), 0) AS resellable_yen
      FROM purchase p JOIN store s ON s.id = p.store_id
     WHERE p.occurred_at >= ${from} AND p.occurred_at < ${until}`;
  const events: DetectEvent[] = [
    ...signIns.map((r): DetectEvent => ({
      kind: "signin",
      at: r.occurred_at.getTime(),
      customerId: r.customer_id,
      fingerprint: r.fingerprint,
      ip: r.ip,
      country: r.country,
      success: r.success,
      newDevice: r.new_device,
    })),
    ...contacts.map((r): DetectEvent => ({
      kind: "contact",
      at: r.changed_at.getTime(),
      customerId: r.customer_id,
      field: r.field,
    })),
    ...topUps.map((r): DetectEvent => ({
      kind: "topup",
      at: r.occurred_at.getTime(),
      customerId: r.customer_id,
      amount: r.amount,
      channel: r.channel,
    })),
    ...purchases.map((r): DetectEvent => ({
      kind: "purchase",
      at: r.occurred_at.getTime(),
      customerId: r.customer_id,
      storeCode: r.store_code,
      total: r.total,
      resellableYen: Number(r.resellable_yen),
    })),
  ];
  return events.sort((a, b) => a.at - b.at);
}
