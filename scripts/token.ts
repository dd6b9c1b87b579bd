/**
 * Prints a JWT for the server's secret: JWT_SECRET when set, else the development secret kept
 * under DATA_DIR (./.data by default).
 *
 *   npm run token -- alice --groups finance,managers --roles admin --name "Alice" --expires 1h
 */
import { parseArgs } from "node:util";
import { developmentSecret, mintToken } from "../src/auth.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    groups: { type: "string", multiple: true },
    roles: { type: "string", multiple: true },
    name: { type: "string" },
    expires: { type: "string", default: "12h" },
  },
});

const sub = positionals[0];
if (!sub) {
  console.error("usage: npm run token -- <user> [--groups g1,g2] [--roles admin] [--name N] [--expires 12h]");
  process.exit(2);
}
const list = (items: string[] | undefined) => (items ?? []).flatMap((item) => item.split(",")).filter(Boolean);
if (!process.env.JWT_SECRET && process.env.NODE_ENV === "production") {
  // A production server has no development secret: a token signed with one would be refused.
  console.error("NODE_ENV=production: set JWT_SECRET to the server's secret to mint a token for it.");
  process.exit(2);
}
const secret = process.env.JWT_SECRET || developmentSecret(process.env.DATA_DIR || "./.data").secret;
const token = await mintToken(
  secret,
  { sub, groups: list(values.groups), roles: list(values.roles), ...(values.name ? { name: values.name } : {}) },
  values.expires,
);
console.log(token);
