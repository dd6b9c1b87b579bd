import { BadUserInputError } from "../errors.js";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** A position in a list ordered by (createdAt, id): opaque to clients. */
export type Cursor = { createdAt: Date; id: string };

export type Page<T> = {
  items: Array<{ node: T; cursor: string }>;
  hasNextPage: boolean;
  totalCount: number;
};

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt.toISOString(), cursor.id])).toString("base64url");
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeCursor(raw: string | null | undefined): Cursor | null {
  if (raw === null || raw === undefined) return null;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    const [createdAt, id] = Array.isArray(decoded) && decoded.length === 2 ? decoded : [];
    // Only what encodeCursor writes: an ISO time that reads back the same (not a bare number,
    // which Date takes for a year PostgreSQL cannot, nor 2026-02-31), and a UUID.
    const date = typeof createdAt === "string" && ISO_TIME.test(createdAt) ? new Date(createdAt) : null;
    // PostgreSQL has no year 0 (ISO's 0000 is 1 BC to it).
    const readable = date && date.getUTCFullYear() >= 1 && date.toISOString() === createdAt;
    if (readable && typeof id === "string" && UUID.test(id)) return { createdAt: date, id };
  } catch {
    // fall through to the error below
  }
  throw new BadUserInputError("after", "after is not a cursor returned by this API.");
}

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new BadUserInputError("first", `first must be between 0 and ${MAX_PAGE_SIZE}.`);
  }
  return first;
}

/** Builds a page from rows fetched with `limit + 1` (the extra row only says there is a next page). */
export function toPage<T extends Cursor>(rows: T[], limit: number, totalCount: number): Page<T> {
  return {
    items: rows.slice(0, limit).map((node) => ({ node, cursor: encodeCursor(node) })),
    hasNextPage: rows.length > limit,
    totalCount,
  };
}
