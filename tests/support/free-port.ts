// A port the operating system has just handed out and released, for a server a test starts as a child process. A fixed
// port collides with any other run on the machine, and with the suite itself: the two Vitest stages of `npm test` run
// side by side (ADR 050), each with the same test files.
import { createServer } from "node:net";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
