// A TCP proxy in front of a PostgreSQL server that a test can freeze: while paused it accepts connections and takes
// bytes in both directions but forwards none, as a SIGSTOPped server (or a proxy that lost its way) looks to a client;
// resumed, it forwards what it held, as the server would once continued. `failOver` leaves the connections open at that
// moment frozen for good and forwards new ones, as when a frozen primary is replaced behind the same address: only a
// client that gives up on a frozen connection reaches the new server. `dropAll` ends every connection, as a restart.
import net from "node:net";

export interface PausableProxy {
  /** The server URL `targetUrl` named, through the proxy. */
  url: string;
  pause(): void;
  resume(): void;
  failOver(): void;
  /** Ends every connection through the proxy (new ones are still accepted). */
  dropAll(): void;
  close(): Promise<void>;
}

interface Pipe {
  client: net.Socket;
  server: net.Socket;
  frozen: boolean;
  flush(): void;
}

export async function startPausableProxy(targetUrl: string): Promise<PausableProxy> {
  const target = new URL(targetUrl);
  const targetPort = Number(target.port || 5432);
  let paused = false;
  const pipes = new Set<Pipe>();

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
      flush: () => {
        for (const { to, data } of held.splice(0)) to.write(data);
      },
    };
    pipes.add(pipe);
    client.on("data", forward(server));
    server.on("data", forward(client));
    const end = () => {
      pipes.delete(pipe);
      client.destroy();
      server.destroy();
    };
    client.on("close", end);
    server.on("close", end);
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
      for (const pipe of pipes) {
        pipe.frozen = false;
        pipe.flush();
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
    close: async () => {
      for (const pipe of [...pipes]) {
        pipe.client.destroy();
        pipe.server.destroy();
      }
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}
