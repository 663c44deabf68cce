// Waiting for a console started as a child process (`scripts/start.ts`) to listen: the end-to-end fixture and the
// production boot test both start one and must not talk to it before it says so.
import type { ChildProcess } from "node:child_process";

/**
 * Resolves with everything the console printed once it says it listens; rejects with that output if it exits first or
 * does not listen within `timeoutMs`.
 */
export function consoleListening(child: ChildProcess, timeoutMs: number): Promise<string> {
  let output = "";
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`console did not start:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      if (output.includes("Firebreak console on")) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`console exited with ${code}:\n${output}`)));
  });
}
