// Cells a spreadsheet would run as a formula (OWASP CSV injection): the audit CSV must escape every one of them. One
// list for the unit test of the escape and the integration test of the export, so a sign added to one reaches both.
// Spelled out here rather than derived from the code under test.
export const CSV_FORMULAS = [
  '=HYPERLINK("http://evil.example","x")',
  "+1+1",
  "-2+3",
  "@SUM(A1)",
  // Excel in a Japanese locale runs the full-width signs too, and a sign behind leading spaces.
  '＝HYPERLINK("http://evil.example","x")',
  "＋1＋1",
  "－2+3",
  "＠SUM(A1)",
  " =1+1",
  "\u3000＝1+1",
  "\u00a0 @SUM(A1)",
  "\tTAB",
  "\rCR",
  "\nLF",
  "\t",
];
