// For benchmarks that compare this tree's code with an earlier revision's in the same run: that revision's app/
// unpacked into a temporary directory, run with this tree's installed packages and generated client, and a child
// script run in a fresh process in either tree (so nothing one run cached carries into the next).
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../../..");

/** A directory holding `revision`'s app/ and a copy of this tree's `child`; remove it with `removeTree`. */
export function unpackRevision(revision: string, child: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "firebreak-revision-"));
  execFileSync("sh", ["-c", `git archive "${revision}" app tsconfig.json package.json | tar -x -C "${dir}"`], {
    cwd: ROOT,
  });
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  rmSync(path.join(dir, "app/generated"), { recursive: true, force: true });
  symlinkSync(path.join(ROOT, "app/generated"), path.join(dir, "app/generated"));
  cpSync(path.join(ROOT, child), path.join(dir, child));
  return dir;
}

export function removeTree(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Runs `child` with tsx in `cwd` and parses the JSON of its last line of output. */
export function runChild<T>(cwd: string, child: string): T {
  const result = spawnSync(path.join(ROOT, "node_modules/.bin/tsx"), [child], { cwd, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`the measurement in ${cwd} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1)!) as T;
}
