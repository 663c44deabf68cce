// 日本語: インシデントのホーム画面と案件
import type en from "~/i18n/locales/en/incidents";
import type { Messages } from "~/i18n/messages";

export default {
  home: {
    pageTitle: "インシデント",
    noIncident: "記録されたインシデントはありません",
    seedHint: "訓練するには <code>npm run seed</code> で 7pay の再現データを投入してください。",
    opened: "{{at}} 発生",
    victims: "被害アカウント数",
    stolen: "不正利用額（累計）",
    reversed: "取消済み額（累計）",
    frozen: "凍結中のアカウント",
    casesByStatus: "ステータス別の案件数",
  },
  incidentStatus: { OPEN: "対応中", CONTAINED: "封じ込め済み", RESOLVED: "解決済み" },
  caseStatus: {
    OPEN: "未対応",
    CONTAINED: "封じ込め済み",
    REMEDIATED: "補償済み",
    NOTIFIED: "通知済み",
    CLOSED: "完了",
  },
} satisfies Messages<typeof en>;
