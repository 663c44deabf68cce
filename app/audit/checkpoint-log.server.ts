// An optional copy of every signed checkpoint outside the database (FIREBREAK_AUDIT_CHECKPOINT_LOG: a JSON Lines file on
// another volume, ideally write-once storage or a file shipped to the log pipeline). Someone who can rewrite the audit
// table can also delete checkpoint rows; they cannot reach this copy, and the verifier checks the chain against it too
// (`npm run audit:verify -- --checkpoint-log <file>`). The idea of CloudTrail's digest files, kept apart from the logs.
import { appendFile, readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { StoredCheckpoint } from "~/audit/checkpoint.server";
import { liveEnv } from "~/env.server";

const LoggedCheckpoint = z.object({
  id: z.string(),
  seq: z.string().regex(/^\d+$/),
  headHash: z.string(),
  signedAt: z.string(),
  keyId: z.string(),
  publicKeyFingerprint: z.string(),
  algorithm: z.string(),
  signature: z.string(),
  createdBy: z.string(),
});

export function checkpointLogPath(): string | null {
  // Read at call time: tests (and an operator restarting the worker) point it at a new file while the process runs.
  const value = liveEnv().FIREBREAK_AUDIT_CHECKPOINT_LOG;
  return value ? path.resolve(value) : null;
}

/** Appends a checkpoint to the external log, if one is configured. Never throws: the database copy already exists. */
export async function appendToCheckpointLog(
  checkpoint: StoredCheckpoint,
  log: Pick<Console, "error"> = console,
): Promise<void> {
  const file = checkpointLogPath();
  if (!file) return;
  try {
    await appendFile(file, `${JSON.stringify(checkpoint)}\n`, { mode: 0o640 });
  } catch (error) {
    log.error(`audit checkpoint #${checkpoint.id} was not copied to ${file}: ${(error as Error).message}`);
  }
}

/** Reads an external checkpoint log; a malformed line is an error (the log is evidence, not a best effort). */
export async function readCheckpointLog(file: string): Promise<StoredCheckpoint[]> {
  const text = await readFile(file, "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, i) => {
      const parsed = LoggedCheckpoint.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}, line ${i + 1}: not a checkpoint record`);
      return parsed.data;
    });
}
