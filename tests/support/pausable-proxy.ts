// A TCP proxy in front of a PostgreSQL server that a test can freeze: while paused it accepts connections and takes
// bytes in both directions but forwards none, as a SIGSTOPped server (or a proxy that lost its way) looks to a client;
// resumed, it forwards what it held, as the server would once continued. `failOver` leaves the connections open at that
// moment frozen for good and forwards new ones, as when a frozen primary is replaced behind the same address: only a
// client that gives up on a frozen connection reaches the new server. `dropAll` ends every connection, as a restart.
// `freezeWhenSent` does the same at the moment a client sends a given statement, so a worker's connection freezes in
// the middle of its own work; as a partition between that client and the server, optionally: a client giving up on a
// frozen connection is then not heard by the server, whose session stays open (in its transaction) until `resume`.
// `severWhenSent` cuts the one connection that sends a given statement, right after the statement went on: the server
// runs it (a COMMIT commits) and its answer is thrown away, while the client finds its connection gone.
import net from "node:net";

export interface PausableProxy {
  /** The server URL `targetUrl` named, through the proxy. */
  url: string;
  pause(): void;
  resume(): void;
  failOver(): void;
  /** Ends every connection through the proxy (new ones are still accepted). */
  dropAll(): void;
  /**
   * Once a client sends `text` (after it sent `after` on the same connection, if given), that statement goes on to the
   * server and every connection open at that moment freezes for good, as `failOver`; resolves then. With `partition`,
   * the server does not hear of a frozen connection's client closing it until `resume`.
   */
  freezeWhenSent(text: string, options?: { after?: string; partition?: boolean }): Promise<void>;
  /**
   * Once a client sends `text` (after `after` on the same connection, if given), that statement goes on to the server
   * and the client's side of that connection alone is closed; the server's answer is dropped and its side closed once
   * the answer came. Resolves then.
   */
  severWhenSent(text: string, options?: { after?: string }): Promise<void>;
  close(): Promise<void>;
}

interface Pipe {
  client: net.Socket;
  server: net.Socket;
  frozen: boolean;
  /** Cut by severWhenSent: the server's answers are dropped. */
  severed: boolean;
  /** This connection has sent the trigger's `after` text. */
  sawAfter: boolean;
  flush(): void;
}

interface FreezeTrigger {
  text: string;
  after?: string;
  partition: boolean;
  /** Cut the triggering connection alone instead of freezing every connection. */
  sever: boolean;
  fire(): void;
}

export async function startPausableProxy(targetUrl: string): Promise<PausableProxy> {
  const target = new URL(targetUrl);
  const targetPort = Number(target.port || 5432);
  let paused = false;
  const pipes = new Set<Pipe>();
  let trigger: FreezeTrigger | null = null;
  let partitioned = false;
  // Server sides of frozen connections whose client went away during a partition: closed when it heals.
  const orphans = new Set<net.Socket>();

  const fireOn = (pipe: Pipe, data: Buffer) => {
    if (!trigger) return;
    const text = data.toString("latin1");
    if (trigger.after && text.includes(trigger.after)) pipe.sawAfter = true;
    if ((trigger.after && !pipe.sawAfter) || !text.includes(trigger.text)) return;
    const fired = trigger;
    trigger = null;
    if (fired.sever) {
      // This chunk has gone on already; the client's side goes now, the server's once it has answered.
      pipe.severed = true;
      pipe.client.destroy();
      fired.fire();
      return;
    }
    partitioned = fired.partition;
    // This chunk has gone on already: the server takes the statement, its answer never comes back.
    for (const each of pipes) each.frozen = true;
    fired.fire();
  };

  const proxy = net.createServer((client) => {
    const server = net.connect(targetPort, target.hostname);
    const held: Array<{ to: net.Socket; data: Buffer }> = [];
    const forward = (to: net.Socket) => (data: Buffer) => {
      if (pipe.frozen) held.push({ to, data });
      else to.write(data);
    };
    const pipe: Pipe = {
      client,
      server,
      frozen: paused,
      severed: false,
      sawAfter: false,
      flush: () => {
        for (const { to, data } of held.splice(0)) to.write(data);
      },
    };
    pipes.add(pipe);
    const toServer = forward(server);
    client.on("data", (data: Buffer) => {
      toServer(data);
      if (!pipe.frozen) fireOn(pipe, data);
    });
    const toClient = forward(client);
    server.on("data", (data: Buffer) => {
      if (pipe.severed) server.end();
      else toClient(data);
    });
    const end = () => {
      pipes.delete(pipe);
      client.destroy();
      server.destroy();
    };
    client.on("close", () => {
      if (pipe.severed) {
        // The server's side stays until it has answered (or the proxy heals or closes).
        pipes.delete(pipe);
        orphans.add(server);
        return;
      }
      if (pipe.frozen && partitioned) {
        pipes.delete(pipe);
        orphans.add(server);
        return;
      }
      end();
    });
    server.on("close", () => {
      // Across a partition the client does not hear of it either: it finds out by giving up on its own.
      if (pipe.frozen && partitioned) return;
      end();
    });
    client.on("error", () => undefined);
    server.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const url = new URL(targetUrl);
  url.hostname = "127.0.0.1";
  url.port = String((proxy.address() as net.AddressInfo).port);

  return {
    url: url.toString(),
    pause: () => {
      paused = true;
      for (const pipe of pipes) pipe.frozen = true;
    },
    resume: () => {
      paused = false;
      partitioned = false;
      for (const server of orphans) server.destroy();
      orphans.clear();
      for (const pipe of pipes) {
        pipe.frozen = false;
        if (pipe.server.destroyed) pipe.client.destroy();
        else pipe.flush();
      }
    },
    failOver: () => {
      paused = false;
    },
    dropAll: () => {
      for (const pipe of [...pipes]) {
        pipe.client.destroy();
        pipe.server.destroy();
      }
    },
    freezeWhenSent: (text, options = {}) =>
      new Promise<void>((resolve) => {
        for (const pipe of pipes) pipe.sawAfter = false;
        trigger = { text, after: options.after, partition: options.partition ?? false, sever: false, fire: resolve };
      }),
    severWhenSent: (text, options = {}) =>
      new Promise<void>((resolve) => {
        for (const pipe of pipes) pipe.sawAfter = false;
        trigger = { text, after: options.after, partition: false, sever: true, fire: resolve };
      }),
    close: async () => {
      for (const server of orphans) server.destroy();
      orphans.clear();
      for (const pipe of [...pipes]) {
        pipe.client.destroy();
        pipe.server.destroy();
      }
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}
