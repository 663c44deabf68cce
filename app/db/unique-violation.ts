// A unique index refusing an insert, as Prisma reports it (P2002; the adapter's 23505 is mapped to it in
// open-database.server.ts). Callers that lose a race to a concurrent insert turn it into their own domain answer.
import { Prisma } from "~/generated/prisma/client";

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}
