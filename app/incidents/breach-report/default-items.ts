// The first draft of a report's items, written from the incident's figures. Compliance edits every item before
// filing; the figures stay linked to their queries in the report's figure table.
import type { ReportItems } from "~/incidents/breach-report/items";
import { formatCount, formatYen } from "~/lib/format";

export interface DraftFacts {
  incidentCode: string;
  incidentTitle: string;
  summary: string;
  openedAtJst: string;
  learnedAtJst: string;
  values: Record<string, number | string | null>;
}

// A figure missing from the incident's data is drafted as 0, for compliance to check before filing.
function yen(value: number | string | null | undefined): string {
  return formatYen(Number(value ?? 0));
}

function count(value: number | string | null | undefined): string {
  return formatCount(Number(value ?? 0));
}

export function draftItems(facts: DraftFacts): ReportItems {
  const v = facts.values;
  const outstanding = Number(v.stolenYen ?? 0) - Number(v.reversedYen ?? 0);
  return {
    overview: {
      ja: `${facts.learnedAtJst}、当社は決済アプリの利用者アカウントが第三者に不正にログインされ、登録されたクレジットカード等から不正にチャージされ、商品の購入に使われている事態を把握しました（インシデント ${facts.incidentCode}、発生 ${facts.openedAtJst}）。${facts.summary}`,
      en: `On ${facts.learnedAtJst} the company learned that third parties had signed in to customers' wallet accounts, topped them up from the customers' registered cards and spent the money (incident ${facts.incidentCode}, began ${facts.openedAtJst}). ${facts.summary}`,
    },
    personalData: {
      ja: "氏名、メールアドレス、電話番号、生年月日、登録されたクレジットカードの下4桁、チャージ・購入の履歴。",
      en: "Name, email address, phone number, date of birth, the last four digits of registered cards, top-up and purchase history.",
    },
    persons: {
      ja: `${count(v.persons)}名（本報告作成時点）。`,
      en: `${count(v.persons)} persons (at the time of this report).`,
    },
    cause: {
      ja: "他のサービスから流出したとみられるID・パスワードを用いた不正ログイン（リスト型攻撃）。詳細は調査中。",
      en: "Sign-ins with identifiers and passwords apparently leaked from other services (credential stuffing). Under investigation.",
    },
    secondaryDamage: {
      ja: `有。不正チャージ ${yen(v.stolenYen)}、うち返金済み ${yen(v.reversedYen)}、未返金 ${yen(outstanding)}。`,
      en: `Yes. Fraudulent top-ups of ${yen(v.stolenYen)}, of which ${yen(v.reversedYen)} returned and ${yen(outstanding)} outstanding.`,
    },
    responseToPersons: {
      ja: `${count(v.noticesSent)}名に個別に通知。${count(v.passwordResets)}名のパスワードを強制リセット、${count(v.frozenAccounts)}件のアカウントを保護。`,
      en: `${count(v.noticesSent)} persons notified individually; passwords reset for ${count(v.passwordResets)} persons; ${count(v.frozenAccounts)} accounts protected.`,
    },
    publication: { ja: "", en: "" },
    recurrence: {
      ja: `チャージ機能等の一時停止（${count(v.switchesEngaged)}回）、二段階認証の導入、不正検知の強化。`,
      en: `Top-up and other functions suspended (${count(v.switchesEngaged)} engagements); two-factor authentication introduced; fraud detection strengthened.`,
    },
    other: { ja: "", en: "" },
  };
}
