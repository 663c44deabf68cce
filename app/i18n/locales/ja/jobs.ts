// 日本語: 一括処理
import type en from "~/i18n/locales/en/jobs";
import type { Messages } from "~/i18n/messages";

export default {
  pageTitle: "一括処理",
  title: "一括処理",
  newBulkReversal: "一括取消を新規作成…",
  empty: "まだ実行された一括処理はありません。",
  started: "開始日時（JST）",
  job: "処理",
  by: "実行者",
  status: "状態",
  progress: "進捗",
  failedCount_other: "、失敗 {{count}}件",
  kind: {
    bulkReversal: "一括取消",
    bulkFreeze: "未保護アカウントの一括凍結",
    bulkReset: "パスワードの一括リセット",
    backtest: "ルールのバックテスト",
  },
  detail: {
    pageTitle: "一括処理",
    notFound: "該当する処理はありません。",
    chooseIntent: "中止か再開を選んでください。",
    dryRunAgain: "一括取消の予行をもう一度実行する",
    startedBy: "・{{name}}が{{at}}に開始",
    progressLabel: "処理の進捗",
    progress:
      "{{total}}件中{{done}}件完了（{{percent}}%）：成功 {{succeeded}}件、スキップ {{skipped}}件、失敗 {{failed}}件{{moved}}・{{batches}}バッチ",
    moved: "・{{amount}}を移動",
    stalled:
      "この処理を実行していたランナーが応答しなくなりました（最終ハートビート {{at}}）。リース期限が切れると別のランナーが再開します。同じ処理が二重に行われることはありません。",
    stopped: "停止しました：{{error}}",
    whyCancel: "中止する理由（任意）",
    cancel: "処理を中止する",
    resume: "再開する",
    dryRunTitle: "事前確認（ドライラン）の見込み",
    dryRun:
      "{{accounts}}アカウント、{{charges}}件、合計{{total}}：決済{{purchases}}件（{{purchaseYen}}）をウォレットに戻し、その後チャージ{{topUps}}件（{{topUpYen}}）をカードに返金します。",
    unsecuredAtStart:
      "うち決済{{n}}件（{{amount}}）は、確定の時点でアカウントが保護されていなかったため、スキップされる見込みでした（取消見込みは{{reversed}}）。",
    failedItems: "失敗した項目",
    notSecuredItems: "スキップした決済：アカウント未保護",
    notSecuredHint:
      "これらのアカウントは利用可能な状態のままで、決済の後に保護されていなかったため、ウォレットへ返金していません。アカウントを凍結するかパスワードの強制リセットを行ってから、アカウントの画面で決済を取り消してください。",
    reconciliationTitle: "照合：被害額と返金額",
    stolenWindow: "被害額（対象期間のチャージ）",
    returnedToCards: "カードへの返金額",
    outstanding: "未返金",
    purchasesReversed: "取消済みの決済",
    ofAmount: "{{total}}中{{done}}",
    settled:
      "{{accounts}}アカウント中{{settled}}アカウントが精算済み、{{outstanding}}アカウントに未返金あり{{largest}}。{{at}}時点。",
    largestFirst: "（差額の大きい{{rows}}件を表示）",
    account: "アカウント",
    stolen: "被害額",
    returned: "返金額",
    wallet: "ウォレット",
    failures: "失敗",
    reportLater: "照合レポートは処理の完了時に作成されます。",
    computeNow: "今すぐ計算する",
  },
  toast: {
    cancelled: "処理を中止しました。",
    stopsBeforeNextBatch: "次のバッチの前に処理を止めます。",
    resumed: "処理を再登録しました。まもなく再開します。",
  },
} satisfies Messages<typeof en>;
