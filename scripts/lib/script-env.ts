// A script reads its environment before anything else: a missing or malformed variable is the operator's mistake, said
// in one line through the script's own `fail` (its name, its exit code), not a stack trace.
import { EnvironmentError, parseEnv, type Env } from "~/env.server";

export function parseEnvOrFail(fail: (message: string) => never): Env {
  try {
    return parseEnv();
  } catch (error) {
    if (error instanceof EnvironmentError) fail(error.message);
    throw error;
  }
}
