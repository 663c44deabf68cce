// Starts every background worker of the console in the current process and returns a function that stops them.
// Each capability registers its worker here (notification outbox, bulk jobs, kill-switch auto-release).
type StopWorker = () => Promise<void>;
type WorkerStarter = () => StopWorker | Promise<StopWorker>;

const starters: { name: string; start: WorkerStarter }[] = [];

export async function startBackgroundWorkers(): Promise<StopWorker> {
  const stops = await Promise.all(starters.map((s) => s.start()));
  return async () => {
    await Promise.all(stops.map((stop) => stop()));
  };
}
