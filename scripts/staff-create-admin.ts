// `npm run staff:create-admin -- --email you@company.example [--name "Your Name"] [--reissue]`
// Creates the first admin (or, with --reissue, a new link for an existing admin who lost access) and prints a one-time
// link: whoever opens it sets the password and enrols TOTP. Only someone with shell access to the server can run it,
// which is what makes it a safe way in. The link is printed once and stored only as a hash.
import { parseArgs } from "node:util";
import { parseEnvOrFail } from "./lib/script-env";

function fail(message: string, code = 1): never {
  console.error(`firebreak: ${message}`);
  process.exit(code);
}

async function main() {
  let args;
  try {
    ({ values: args } = parseArgs({
      options: {
        email: { type: "string" },
        name: { type: "string" },
        reissue: { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    fail(
      `${error instanceof Error ? error.message : String(error)}\nusage: npm run staff:create-admin -- --email you@company.example [--name "Your Name"] [--reissue]`,
      2,
    );
  }
  if (!args.email)
    fail('usage: npm run staff:create-admin -- --email you@company.example [--name "Your Name"] [--reissue]', 2);

  const env = parseEnvOrFail(fail);
  // Imported late: opening (and migrating) the database is a side effect of importing it.
  const { createBootstrapAdmin } = await import("~/auth/bootstrap-admin.server");
  const { inviteUrl } = await import("~/auth/invite.server");
  const { database } = await import("~/db.server");
  const { isDomainError } = await import("~/lib/domain-error");
  const { formatJst } = await import("~/lib/format");
  try {
    const result = await createBootstrapAdmin({ email: args.email, displayName: args.name, reissue: args.reissue });
    const baseUrl = env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`;
    console.log(
      [
        result.created ? `Created admin ${args.email.trim().toLowerCase()}.` : `New link for ${args.email}.`,
        `One-time link (works once, until ${formatJst(result.invite.expiresAt)}; set a password, then an authenticator):`,
        `  ${inviteUrl(baseUrl, result.invite.token)}`,
      ].join("\n"),
    );
  } catch (error) {
    if (isDomainError(error)) fail(error.message);
    throw error;
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  fail(error instanceof Error ? (error.message.split("\n")[0] ?? "failed") : String(error));
});
