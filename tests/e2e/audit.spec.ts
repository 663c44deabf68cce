// A compliance reviewer filters the incident's reversals in the audit trail, opens a reversal's before/after diff and
// downloads the CSV (and its manifest), which then verifies offline against the public key the console shows.
//
// The reversal is real: an agent reverses a fraudulent purchase through the reversal service (the spine writes the
// ledger.reverse audit row under the incident of the victim's open case), in this test's process on the same
// PostgreSQL database as the console, which runs as in production (scripts/start.ts, NODE_ENV=production, the audit
// signing key in a key file). Needs `npm run build` and the local PostgreSQL (as CI has).
import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "./support/console";
import { signIn, signInInJapanese } from "./support/sign-in";

const keyDir = mkdtempSync(path.join(tmpdir(), "firebreak-e2e-audit-"));
const signingKeyFile = path.join(keyDir, "audit-signing-key.pem");
// Written when the file loads: the worker's console starts, reading this key, before any hook of this file runs.
writeFileSync(signingKeyFile, generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }), {
  mode: 0o600,
});
test.use({ consoleEnv: { FIREBREAK_AUDIT_SIGNING_KEY_FILE: signingKeyFile } });
const INCIDENT_CODE = `7PAY-E2E-${randomBytes(2).toString("hex").toUpperCase()}`;

let baseURL = "";
type StaffModule = typeof import("../support/staff");
type TestStaff = Awaited<ReturnType<StaffModule["createStaff"]>>;
let staffModule: StaffModule;
let reversedTransactionId = "";

/** A victim whose fraudulent purchase an agent reverses, under an open case of the incident. */
async function reverseOneFraudulentPurchase(agent: TestStaff) {
  const { prisma } = await import("~/db.server");
  const { createSimulatedCustomer, ensureSimulatedStore } = await import("~/wallet/simulated-customers.server");
  const { topUp } = await import("~/wallet/top-up.server");
  const { purchase } = await import("~/wallet/purchase.server");
  const { openCase } = await import("~/incidents/cases.server");
  const { reverseCharge } = await import("~/ledger/reverse-charge.server");
  const incident = await prisma.incident.create({
    data: { code: INCIDENT_CODE, title: "7pay account takeover (e2e)", summary: "", openedAt: new Date() },
  });
  const customer = await createSimulatedCustomer(prisma, { fundingKinds: ["CREDIT_CARD"] });
  const storeCode = await ensureSimulatedStore(prisma);
  await topUp({ customerId: customer.id, fundingSourceId: customer.fundingSources[0]!.id, amount: 30_000 });
  const bought = await purchase({
    customerId: customer.id,
    storeCode,
    items: [{ categoryCode: "ECIG_CARTRIDGE", description: "加熱式たばこカートリッジ", quantity: 4, unitPrice: 5_000 }],
  });
  const ctx = {
    actor: { kind: "staff" as const, id: agent.id, role: agent.role, email: agent.email },
    origin: { ip: "127.0.0.1", userAgent: "e2e", requestId: randomUUID() },
  };
  await openCase(ctx, { incidentId: incident.id, customerId: customer.id });
  // Secured first, as the agent does: a purchase is refunded to the wallet only once the attacker is out.
  await prisma.customer.update({ where: { id: customer.id }, data: { status: "FROZEN" } });
  await reverseCharge(ctx, {
    customerId: customer.id,
    transactionId: bought.transactionId,
    amount: 20_000,
    reasonCode: "FRAUDULENT",
    idempotencyKey: randomUUID(),
  });
  reversedTransactionId = bought.transactionId;
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ firebreak }) => {
  test.setTimeout(180_000);
  baseURL = firebreak.baseURL;
  staffModule = await import("../support/staff");
  await reverseOneFraudulentPurchase(await staffModule.createStaff({ role: "AGENT", displayName: "Aoi Sato" }));
});

test("a compliance reviewer filters the incident's reversals, opens a diff and downloads the CSV", async ({
  browser,
}) => {
  const reviewer = await staffModule.createStaff({ role: "COMPLIANCE", displayName: "Yui Tanaka" });
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await signIn(page, baseURL, reviewer);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit trail" }).click();
  await expect(page.getByRole("heading", { name: "Audit trail" })).toBeVisible();
  const filters = page.getByRole("form", { name: "Filter the audit trail" });
  await filters.getByLabel("Incident").selectOption(INCIDENT_CODE);
  await filters.getByLabel("Action").fill("ledger.reverse");
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/incident=7PAY-E2E-/);

  const rows = page.getByTestId("audit-row");
  await expect(rows).toHaveCount(1);
  const reversal = rows.first();
  await expect(reversal.getByTestId("audit-action")).toContainText("Reverse transaction");
  await expect(reversal.getByTestId("audit-action").locator("code")).toHaveText("ledger.reverse");
  await expect(reversal).toContainText(reversedTransactionId);
  await expect(reversal).toContainText("SUCCESS");

  await reversal.getByText("Before / after and origin").click();
  const diff = reversal.getByTestId("audit-diff");
  await expect(diff).toBeVisible();
  await expect(diff.locator("tr[data-kind]").first()).toBeVisible();
  await expect(reversal).toContainText(INCIDENT_CODE);

  const csvDownload = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  const csv = await csvDownload;
  expect(csv.suggestedFilename()).toMatch(/^firebreak-audit-through-\d+\.csv$/);
  const csvPath = path.join(keyDir, csv.suggestedFilename());
  await csv.saveAs(csvPath);
  const csvText = readFileSync(csvPath, "utf8");
  expect(csvText.startsWith('\uFEFF"seq","occurred_at"')).toBe(true);
  expect(csvText).toContain('"ledger.reverse"');
  expect(csvText).toContain(reversedTransactionId);
  expect(csvText.trimEnd().split("\r\n")).toHaveLength(2); // the header and the one reversal

  // The manifest and the public key, then the auditor's offline check.
  const manifestDownload = page.waitForEvent("download");
  await page.getByRole("link", { name: "CSV manifest" }).click();
  const manifestPath = path.join(keyDir, "manifest.json");
  await (await manifestDownload).saveAs(manifestPath);
  await page.getByRole("link", { name: "Integrity & signed checkpoints" }).click();
  await expect(page.getByTestId("public-key")).toContainText("BEGIN PUBLIC KEY");
  const keyDownload = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download public key" }).click();
  const keyPath = path.join(keyDir, "public-key.pem");
  await (await keyDownload).saveAs(keyPath);

  const { readPublicKey } = await import("~/audit/signatures");
  const { verifyCsvExport } = await import("~/audit/verify-export");
  const result = await verifyCsvExport([readFileSync(csvPath)], readFileSync(manifestPath, "utf8"), [
    readPublicKey(readFileSync(keyPath, "utf8")),
  ]);
  expect(result.problems).toEqual([]);
  expect(result).toMatchObject({ ok: true, rowCount: 1 });

  // Opening the view and each download are on record.
  const { prisma } = await import("~/db.server");
  const access = await prisma.auditEvent.findMany({
    where: { actorId: reviewer.id, action: { in: ["audit.view", "audit.export"] } },
    orderBy: { seq: "asc" },
  });
  expect(access.map((e) => e.action)).toEqual(expect.arrayContaining(["audit.view", "audit.export"]));
  expect(access.filter((e) => e.action === "audit.export")).toHaveLength(2); // CSV and manifest
  await context.close();
});

test("a Japanese compliance officer reads each action by its Japanese name, the code beside it", async ({
  browser,
}) => {
  const reviewer = await staffModule.createStaff({ role: "COMPLIANCE", displayName: "田中 結衣", language: "ja" });
  const context = await browser.newContext({ locale: "ja-JP", timezoneId: "Asia/Tokyo" });
  const page = await context.newPage();
  await signInInJapanese(page, baseURL, reviewer);

  await page.getByRole("navigation", { name: "メインメニュー" }).getByRole("link", { name: "監査ログ" }).click();
  const filters = page.getByRole("form", { name: "監査ログの絞り込み" });
  await filters.getByLabel("インシデント").selectOption(INCIDENT_CODE);
  // The field takes a prefix as before; its suggestions name every action.
  await filters.getByLabel("操作").fill("ledger.*");
  await expect(page.locator('#audit-actions option[value="ledger.reverse"]')).toHaveText("取引を取消");
  await filters.getByRole("button", { name: "絞り込む" }).click();
  await expect(page).toHaveURL(/action=ledger\.\*/);

  const action = page.getByTestId("audit-row").getByTestId("audit-action");
  await expect(action).toHaveCount(1);
  await expect(action).toContainText("取引を取消");
  await expect(action.locator("code")).toHaveText("ledger.reverse");
  await context.close();
});
