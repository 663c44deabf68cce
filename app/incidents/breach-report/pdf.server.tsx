// The breach report as a PDF, printed server-side by Chromium (playwright-core driving the system Chromium with the
// flags the tests use). The page is rendered from the same component as the in-app printable page and handed to the
// browser as a string: the browser makes no request, so it needs no session and can reach nothing.
import { renderToStaticMarkup } from "react-dom/server";
import { chromium } from "playwright-core";
import type { ReportLanguage } from "~/incidents/breach-report/items";
import { ReportDocument, type ReportDocumentData } from "~/incidents/breach-report/report-document";
import { env } from "~/env.server";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
const PDF_TIMEOUT_MS = 60_000;

const PRINT_CSS = `
  body { font-family: "Noto Sans CJK JP", "Noto Sans JP", sans-serif; font-size: 11pt; color: #111; margin: 0; }
  h1 { font-size: 18pt; margin: 0 0 8pt; }
  h2 { font-size: 12pt; margin: 12pt 0 4pt; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 2pt 12pt; font-size: 10pt; }
  dd { margin: 0; }
  table { border-collapse: collapse; width: 100%; font-size: 10pt; }
  th, td { border-bottom: 1px solid #ccc; padding: 3pt 6pt; text-align: left; }
  td.text-right { text-align: right; }
  ol { padding-left: 0; list-style: none; }
  .whitespace-pre-wrap { white-space: pre-wrap; }
  a { color: #1d4ed8; }
`;

export function renderReportHtml(report: ReportDocumentData, language: ReportLanguage, baseUrl: string): string {
  const body = renderToStaticMarkup(<ReportDocument report={report} language={language} baseUrl={baseUrl} />);
  const title = `${report.incidentCode} ${report.kind} v${report.version}`;
  return `<!DOCTYPE html><html lang="${language}"><head><meta charset="utf-8"><title>${title}</title><style>${PRINT_CSS}</style></head><body>${body}</body></html>`;
}

export async function renderReportPdf(html: string): Promise<Buffer> {
  const browser = await chromium.launch({
    executablePath: env().CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    timeout: PDF_TIMEOUT_MS,
  });
  try {
    const page = await browser.newPage({ javaScriptEnabled: false });
    // Nothing may be fetched: the document is complete in itself.
    await page.route("**/*", (route) => route.abort());
    await page.setContent(html, { waitUntil: "load", timeout: PDF_TIMEOUT_MS });
    return await page.pdf({
      format: "A4",
      printBackground: true,
      margin: { top: "15mm", bottom: "15mm", left: "15mm", right: "15mm" },
      tagged: true,
    });
  } finally {
    await browser.close();
  }
}
