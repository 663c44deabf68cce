// Offline verification of an audit export, for an auditor. Needs no database and no access to the console: only the
// export, its manifest and the audit public key shown on the console's Audit trail → Integrity page.
//
//   npx tsx scripts/audit-verify-export.ts firebreak-audit-through-N.jsonl --public-key firebreak-audit-public-key.pem
//   npx tsx scripts/audit-verify-export.ts firebreak-audit-through-N.csv \
//       --manifest firebreak-audit-through-N.csv.manifest.json --public-key firebreak-audit-public-key.pem
//
// Checks the manifest's Ed25519 signature, the file's SHA-256, every row's hash (canonical form, app/audit/canonical.ts),
// the links between consecutive rows and, for a whole-chain export, the chain head and the signed checkpoint.
//   exit 0: verified · exit 1: the export does not verify · exit 2: could not run (arguments, unreadable files)
import { closeSync, createReadStream, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { readPublicKey } from "~/audit/signatures";
import { verifyCsvExport, verifyJsonlExport, type ExportVerification } from "~/audit/verify-export";

const USAGE =
  "usage: audit-verify-export <export.jsonl> --public-key <key.pem>\n" +
  "       audit-verify-export <export.csv> --manifest <export.csv.manifest.json> --public-key <key.pem>";
const TAIL_BYTES = 1024 * 1024;

function fail(message: string, code = 2): never {
  console.error(`audit-verify-export: ${message}`);
  process.exit(code);
}

/** The last non-empty line of a file, read from its end (the JSON Lines manifest). */
function lastLine(file: string): string | undefined {
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString("utf8").trimEnd().split("\n").at(-1);
  } finally {
    closeSync(fd);
  }
}

function report(file: string, result: ExportVerification) {
  const manifest = result.manifest?.manifest;
  console.log(`${file}: ${result.format.toUpperCase()}, ${result.rowCount.toLocaleString("en-US")} row(s)`);
  if (manifest) {
    console.log(
      `  exported ${manifest.exportedAt} by ${manifest.exportedBy.actorId ?? "?"} (${manifest.exportedBy.role ?? "?"}), ` +
        `rows ${manifest.firstSeq ?? "–"}…${manifest.lastSeq ?? "–"} of the chain up to row ${manifest.throughSeq ?? "–"}`,
    );
    console.log(`  filter: ${JSON.stringify(manifest.filter)}`);
  }
  for (const note of result.notes) console.log(`  ✓ ${note}`);
  for (const problem of result.problems) console.log(`  ✗ ${problem}`);
  console.log(result.ok ? "VERIFIED" : "NOT VERIFIED");
}

async function main() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { manifest: { type: "string" }, "public-key": { type: "string", multiple: true } },
    });
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
  const [file] = parsed.positionals;
  const keyFiles = parsed.values["public-key"];
  if (!file || !keyFiles || parsed.positionals.length > 1) fail(USAGE);
  let keys;
  try {
    keys = keyFiles.map((keyFile) => readPublicKey(readFileSync(keyFile, "utf8")));
  } catch (error) {
    fail(`cannot read the public key: ${(error as Error).message}`);
  }

  let result: ExportVerification;
  try {
    if (parsed.values.manifest) {
      const manifestText = readFileSync(parsed.values.manifest, "utf8");
      result = await verifyCsvExport(createReadStream(file), manifestText, keys);
    } else {
      if (file.endsWith(".csv")) fail(`a CSV export's manifest is a separate file: pass it with --manifest\n${USAGE}`);
      const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
      result = await verifyJsonlExport(lines, keys, { manifestLine: lastLine(file) });
    }
  } catch (error) {
    fail(`cannot read ${file}: ${(error as Error).message}`);
  }
  report(file, result);
  process.exitCode = result.ok ? 0 : 1;
}

main().catch((error) => fail(error instanceof Error ? (error.message.split("\n")[0] ?? "failed") : String(error)));
