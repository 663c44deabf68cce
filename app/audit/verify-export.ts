// Offline verification of an audit export, for an auditor with nothing but the file, its manifest and the public key
// shown on the console's integrity page (scripts/audit-verify-export.ts is the command line around this). Streams, so a
// million-row export verifies in constant memory. Checks, in order of strength:
//   1. the manifest's Ed25519 signature under the given public key (the server vouches for the manifest),
//   2. the SHA-256 of the exported bytes against the manifest (the file is the one the server produced),
//   3. every row's hash recomputed with the canonical form (no row was edited after it was written),
//   4. every link between consecutive rows; when the export is the whole chain from row 1, its end against the chain
//      head hash and the embedded signed checkpoint (nothing was rewritten before the export either).
import { createHash, type KeyObject } from "node:crypto";
import { GENESIS_HASH, hashAuditRow, type ChainedAuditFields } from "~/audit/canonical";
import {
  CSV_COLUMNS,
  CsvRecordReader,
  csvRecordToFields,
  EXPORT_FORMAT_VERSION,
  jsonlEventToFields,
  manifestFromLine,
  type SignedManifest,
} from "~/audit/export-format";
import { fingerprintOf, verifyCheckpointSignature, verifyManifestSignature } from "~/audit/signatures";

export interface ExportVerification {
  ok: boolean;
  format: "jsonl" | "csv";
  rowCount: number;
  /** Rows whose predecessor is also in the file, and whose link to it was checked. */
  linksChecked: number;
  /** True when the file holds every row from 1 to throughSeq (so the whole chain was re-verified). */
  completeChain: boolean;
  manifest: SignedManifest | null;
  problems: string[];
  notes: string[];
}

const MAX_REPORTED_ROW_PROBLEMS = 20;

/** Accumulates rows in file order and checks each one; the format readers feed it. */
class RowChecker {
  rowCount = 0;
  linksChecked = 0;
  firstSeq: bigint | null = null;
  lastSeq: bigint | null = null;
  lastHash: string | null = null;
  firstPrevHash: string | null = null;
  contiguous = true;
  readonly hashesAt = new Map<string, string>();
  private rowProblems = 0;

  constructor(
    private readonly problems: string[],
    private readonly wanted: ReadonlySet<string>,
  ) {}

  private problem(message: string) {
    this.rowProblems += 1;
    if (this.rowProblems <= MAX_REPORTED_ROW_PROBLEMS) this.problems.push(message);
    else if (this.rowProblems === MAX_REPORTED_ROW_PROBLEMS + 1) this.problems.push("… further row problems omitted");
  }

  add(fields: ChainedAuditFields & { hash: string }) {
    const seq = BigInt(String(fields.seq));
    this.rowCount += 1;
    if (hashAuditRow(fields) !== fields.hash) this.problem(`row ${seq}: its content does not match its hash`);
    if (this.lastSeq !== null) {
      if (seq <= this.lastSeq) this.problem(`row ${seq}: rows are out of order (after row ${this.lastSeq})`);
      if (seq === this.lastSeq + 1n) {
        this.linksChecked += 1;
        if (fields.prevHash !== this.lastHash) this.problem(`row ${seq}: does not link to row ${this.lastSeq}`);
      } else {
        this.contiguous = false;
      }
    } else {
      this.firstSeq = seq;
      this.firstPrevHash = fields.prevHash;
    }
    if (this.wanted.has(seq.toString())) this.hashesAt.set(seq.toString(), fields.hash);
    this.lastSeq = seq;
    this.lastHash = fields.hash;
  }
}

function findKey(keys: KeyObject[], fingerprint: string | null): KeyObject | undefined {
  return fingerprint ? keys.find((key) => fingerprintOf(key) === fingerprint) : undefined;
}

function checkManifest(
  signed: SignedManifest,
  checker: RowChecker,
  contentSha256: string,
  publicKeys: KeyObject[],
  problems: string[],
  notes: string[],
): boolean {
  const { manifest } = signed;
  if (manifest.format !== EXPORT_FORMAT_VERSION) {
    problems.push(`unknown export format "${String(manifest.format)}" (expected ${EXPORT_FORMAT_VERSION})`);
    return false;
  }
  const key = findKey(publicKeys, manifest.publicKeyFingerprint);
  if (signed.signature === null) problems.push("the manifest is not signed (the server had no signing key)");
  else if (!key) {
    problems.push(
      `the manifest was signed by key ${manifest.publicKeyFingerprint ?? "(none)"}, which is not among the public ` +
        "keys given",
    );
  } else if (!verifyManifestSignature(manifest as unknown as Record<string, unknown>, signed.signature, key)) {
    problems.push("the manifest's signature does not verify: the manifest was altered");
  } else {
    notes.push(`manifest signature verified (key ${manifest.publicKeyFingerprint})`);
  }

  if (manifest.contentSha256 !== contentSha256) {
    problems.push("the file's SHA-256 differs from the manifest's contentSha256: the file was altered");
  }
  if (manifest.rowCount !== checker.rowCount) {
    problems.push(`the manifest counts ${manifest.rowCount} rows, the file has ${checker.rowCount}`);
  }
  const first = checker.firstSeq?.toString() ?? null;
  const last = checker.lastSeq?.toString() ?? null;
  if (manifest.firstSeq !== first || manifest.lastSeq !== last) {
    problems.push(`the manifest spans rows ${manifest.firstSeq}–${manifest.lastSeq}, the file spans ${first}–${last}`);
  }
  if (last !== null && manifest.throughSeq !== null && BigInt(last) > BigInt(manifest.throughSeq)) {
    problems.push(`the file has rows after the manifest's throughSeq ${manifest.throughSeq}`);
  }
  if (last !== null && last === manifest.throughSeq && checker.lastHash !== manifest.chainHeadHash) {
    problems.push(`row ${last}'s hash differs from the manifest's chain head hash`);
  }

  const completeChain =
    checker.rowCount > 0 &&
    checker.firstSeq === 1n &&
    checker.contiguous &&
    last === manifest.throughSeq &&
    checker.firstPrevHash === GENESIS_HASH;
  if (completeChain) notes.push(`complete chain: rows 1–${last}, every link checked`);
  else if (checker.rowCount > 0) {
    notes.push(
      "a filtered (or partial) export: each row's hash and the links between consecutive rows were checked; " +
        "the chain between non-consecutive rows cannot be checked from this file alone",
    );
  }

  const checkpoint = manifest.checkpoint;
  if (checkpoint) {
    const cpKey = findKey(publicKeys, checkpoint.publicKeyFingerprint);
    const statement = {
      seq: checkpoint.seq,
      headHash: checkpoint.headHash,
      signedAt: checkpoint.signedAt,
      publicKeyFingerprint: checkpoint.publicKeyFingerprint,
    };
    if (!cpKey) problems.push(`checkpoint #${checkpoint.id} is signed by a key not among the public keys given`);
    else if (!verifyCheckpointSignature(statement, checkpoint.signature, cpKey)) {
      problems.push(`checkpoint #${checkpoint.id}'s signature does not verify`);
    } else {
      const hashInFile = checker.hashesAt.get(checkpoint.seq);
      const inRange =
        checker.firstSeq !== null &&
        checker.lastSeq !== null &&
        BigInt(checkpoint.seq) >= checker.firstSeq &&
        BigInt(checkpoint.seq) <= checker.lastSeq;
      if (completeChain && hashInFile === undefined && inRange) {
        problems.push(`row ${checkpoint.seq} (checkpoint #${checkpoint.id}) was not compared: pass the manifest line`);
      } else if (hashInFile !== undefined && hashInFile !== checkpoint.headHash) {
        problems.push(
          `row ${checkpoint.seq} differs from the signed checkpoint #${checkpoint.id}: the chain was rewritten`,
        );
      } else if (hashInFile !== undefined) {
        notes.push(`row ${checkpoint.seq} matches checkpoint #${checkpoint.id} signed at ${checkpoint.signedAt}`);
      } else {
        notes.push(`checkpoint #${checkpoint.id} (row ${checkpoint.seq}) verified; that row is not in this file`);
      }
    }
  } else {
    notes.push("no signed checkpoint existed at or before the end of this export");
  }
  return completeChain;
}

/** The checkpoint row named by a manifest line, so the streaming pass knows which row's hash to keep. */
export function checkpointSeqOfManifestLine(line: string): string | null {
  try {
    const parsed = JSON.parse(line) as { record?: string; checkpoint?: { seq?: unknown } | null };
    return parsed.record === "manifest" && typeof parsed.checkpoint?.seq === "string" ? parsed.checkpoint.seq : null;
  } catch {
    return null;
  }
}

/**
 * Lines of a JSON Lines export, in order (a readline interface over the file, or an array in tests). The manifest is
 * the last line; pass it (read from the file's tail) as `manifestLine` so the checkpoint row can be compared on the way.
 */
export async function verifyJsonlExport(
  lines: AsyncIterable<string> | Iterable<string>,
  publicKeys: KeyObject[],
  options: { manifestLine?: string } = {},
): Promise<ExportVerification> {
  const problems: string[] = [];
  const notes: string[] = [];
  const checkpointSeq = options.manifestLine ? checkpointSeqOfManifestLine(options.manifestLine) : null;
  const checker = new RowChecker(problems, new Set(checkpointSeq ? [checkpointSeq] : []));
  const digest = createHash("sha256");
  let signed: SignedManifest | null = null;
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line === "" && signed) continue;
    if (signed) {
      problems.push(`line ${lineNumber}: content after the manifest line`);
      break;
    }
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch {
      problems.push(`line ${lineNumber}: not JSON`);
      digest.update(`${line}\n`);
      continue;
    }
    if (parsed.record === "manifest") {
      signed = manifestFromLine(parsed);
      continue;
    }
    digest.update(`${line}\n`);
    if (parsed.record !== "event") {
      problems.push(`line ${lineNumber}: unknown record type`);
      continue;
    }
    try {
      checker.add(jsonlEventToFields(parsed));
    } catch (error) {
      problems.push(`line ${lineNumber}: ${(error as Error).message}`);
    }
  }
  if (!signed) {
    problems.push("no manifest line: the export is incomplete (the download was cut short?)");
    return {
      ok: false,
      format: "jsonl",
      rowCount: checker.rowCount,
      linksChecked: checker.linksChecked,
      completeChain: false,
      manifest: null,
      problems,
      notes,
    };
  }
  const completeChain = checkManifest(signed, checker, digest.digest("hex"), publicKeys, problems, notes);
  return {
    ok: problems.length === 0,
    format: "jsonl",
    rowCount: checker.rowCount,
    linksChecked: checker.linksChecked,
    completeChain,
    manifest: signed,
    problems,
    notes,
  };
}

/** Byte chunks of a CSV export (a file stream, or one Buffer in tests) and its separate manifest file's text. */
export async function verifyCsvExport(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  manifestText: string,
  publicKeys: KeyObject[],
): Promise<ExportVerification> {
  const problems: string[] = [];
  const notes: string[] = [];
  let signed: SignedManifest;
  try {
    const parsed = JSON.parse(manifestText) as Record<string, unknown>;
    signed = manifestFromLine(parsed);
  } catch {
    return {
      ok: false,
      format: "csv",
      rowCount: 0,
      linksChecked: 0,
      completeChain: false,
      manifest: null,
      problems: ["the manifest file is not JSON"],
      notes,
    };
  }
  const wanted = new Set(signed.manifest.checkpoint ? [signed.manifest.checkpoint.seq] : []);
  const checker = new RowChecker(problems, wanted);
  const digest = createHash("sha256");
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const reader = new CsvRecordReader();
  let header: (string | null)[] | null = null;
  let recordNumber = 0;
  const take = (records: (string | null)[][]) => {
    for (const record of records) {
      recordNumber += 1;
      if (!header) {
        header = record;
        if (record.join(",") !== CSV_COLUMNS.join(",")) problems.push("the CSV header is not the export's header");
        continue;
      }
      try {
        checker.add(csvRecordToFields(record));
      } catch (error) {
        problems.push(`record ${recordNumber}: ${(error as Error).message}`);
      }
    }
  };
  try {
    for await (const chunk of chunks) {
      digest.update(chunk);
      take(reader.push(decoder.decode(chunk, { stream: true })));
    }
    take(reader.push(decoder.decode()));
    take(reader.end());
  } catch (error) {
    problems.push(`the CSV file cannot be read: ${(error as Error).message}`);
  }
  const completeChain = checkManifest(signed, checker, digest.digest("hex"), publicKeys, problems, notes);
  return {
    ok: problems.length === 0,
    format: "csv",
    rowCount: checker.rowCount,
    linksChecked: checker.linksChecked,
    completeChain,
    manifest: signed,
    problems,
    notes,
  };
}
