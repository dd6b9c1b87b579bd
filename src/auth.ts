import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { jwtVerify, SignJWT } from "jose";
import { isUserId, MAX_USER_ID_LENGTH } from "./processes/validation.js";

/** The authenticated caller. */
export type Viewer = {
  id: string;
  name: string | null;
  roles: string[];
  groups: string[];
};

export const isAdmin = (viewer: Viewer) => viewer.roles.includes("admin");

export type Authenticator = {
  /** Returns the viewer for an `Authorization` value, null when there is none, or throws when it is invalid. */
  viewerFrom(authorization: string | null | undefined): Promise<Viewer | null>;
};

export class InvalidTokenError extends Error {
  constructor(reason: string) {
    super(`Invalid token: ${reason}`);
    this.name = "InvalidTokenError";
  }
}

/** Most groups (or roles) a token may name: each one is a parameter of every inbox query. */
const MAX_CLAIM_ENTRIES = 1_000;

/** An identifier claim (`sub`, a group, a role): a user id as an approver must be one. */
function identifier(value: unknown, claim: string): string {
  if (!isUserId(value)) {
    throw new InvalidTokenError(
      `claim "${claim}" must be 1 to ${MAX_USER_ID_LENGTH} characters, without control characters or surrounding spaces`,
    );
  }
  return value;
}

const identifiers = (value: unknown, claim: string): string[] => {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > MAX_CLAIM_ENTRIES) {
    throw new InvalidTokenError(`claim "${claim}" must be an array of at most ${MAX_CLAIM_ENTRIES} strings`);
  }
  return value.map((entry) => identifier(entry, claim));
};

/** How many verified tokens are remembered (each is verified once, then trusted until it expires). */
const VERIFIED_TOKENS_KEPT = 10_000;

export function createAuthenticator(secret: string): Authenticator {
  const key = new TextEncoder().encode(secret);
  // Verifying an HS256 signature is most of the cost of authenticating a request, and a client
  // sends the same token again and again: a token verified once is known good until its `exp`.
  const verified = new Map<string, { viewer: Viewer; expiresAtMs: number }>();

  async function verify(token: string): Promise<Viewer> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, key, { algorithms: ["HS256"] }));
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new InvalidTokenError(code === "ERR_JWT_EXPIRED" ? "expired" : "signature or format not accepted");
    }
    if (payload.sub === undefined || payload.sub === "") throw new InvalidTokenError('claim "sub" is required');
    const name = typeof payload.name === "string" && payload.name.isWellFormed() ? payload.name.replace(/\p{Cc}/gu, "") : null;
    const viewer: Viewer = Object.freeze({
      id: identifier(payload.sub, "sub"),
      name: name ? Array.from(name).slice(0, MAX_USER_ID_LENGTH).join("") : null,
      roles: Object.freeze(identifiers(payload.roles, "roles")) as string[],
      groups: Object.freeze(identifiers(payload.groups, "groups")) as string[],
    });
    if (verified.size >= VERIFIED_TOKENS_KEPT) verified.delete(verified.keys().next().value as string);
    verified.set(token, { viewer, expiresAtMs: typeof payload.exp === "number" ? payload.exp * 1000 : Number.POSITIVE_INFINITY });
    return viewer;
  }

  return {
    async viewerFrom(authorization) {
      if (authorization === null || authorization === undefined || authorization === "") return null;
      const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
      const token = match?.[1];
      if (!token) throw new InvalidTokenError('expected "Bearer <token>"');
      const known = verified.get(token);
      if (known && Date.now() < known.expiresAtMs) return known.viewer;
      if (known) {
        verified.delete(token);
        throw new InvalidTokenError("expired");
      }
      return verify(token);
    },
  };
}

/** Signs an HS256 token with the claims the server reads. */
export async function mintToken(
  secret: string,
  claims: { sub: string; name?: string; roles?: string[]; groups?: string[] },
  expiresIn = "12h",
): Promise<string> {
  const { sub, ...rest } = claims;
  return new SignJWT(rest)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}

/**
 * The development secret: generated once and kept in `dataDir/jwt-secret` so that tokens minted
 * with `npm run token` keep working across restarts.
 */
export function developmentSecret(dataDir: string): { secret: string; file: string; created: boolean } {
  const file = path.resolve(dataDir, "jwt-secret");
  if (existsSync(file)) return { secret: readFileSync(file, "utf8").trim(), file, created: false };
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return { secret, file, created: true };
}
