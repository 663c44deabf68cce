// The bulk reversal's opening as a Japanese lead does it: the page, an incident's every case, the window's start typed
// in Japan's time, the dry run. Shared by the specs that go on from that dry run (the agent's shift, the bulk freeze).
import type { Locator, Page } from "@playwright/test";
import { open } from "./sign-in";

/**
 * Opens /reversals/bulk, chooses every case of `incidentId` from `since` (JST, as typed on the form) and runs the dry
 * run. Returns the dry run's warning about the purchases the job would skip as unsecured.
 */
export async function runIncidentDryRunInJapanese(
  page: Page,
  baseURL: string,
  incidentId: string,
  since = "2019/07/01 09:00",
): Promise<Locator> {
  await open(page, baseURL, "/reversals/bulk");
  const scope = page.getByTestId("bulk-scope-form");
  await scope.getByLabel("インシデントの全ケース").check();
  await scope.locator('select[name="incidentId"]').selectOption(incidentId);
  await scope.getByLabel("対象期間の開始（日本時間）").fill(since);
  await scope.getByRole("button", { name: "ドライラン" }).click();
  return page.getByTestId("bulk-unsecured");
}
