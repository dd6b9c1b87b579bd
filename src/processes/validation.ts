import { BadUserInputError } from "../errors.js";

const MAX_INTEGER_DIGITS = 15;
export const MAX_DESCRIPTION_LENGTH = 1_000;
export const MAX_COMMENT_LENGTH = 2_000;
export const MAX_USER_ID_LENGTH = 200;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
export const DEFAULT_CURRENCY = "USD";

/**
 * ISO 4217 minor units where they are not 2. (ICU's display digits differ from ISO for some
 * currencies, e.g. HUF and IQD, so they are not used here.)
 */
const MINOR_UNITS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/**
 * Codes accepted: those Node's ICU knows, and every code whose minor units are listed above (ICU
 * lacks some of them, such as CLF and UYW, depending on its version).
 */
const knownCurrencies = new Set([...Intl.supportedValuesOf("currency"), ...Object.keys(MINOR_UNITS)]);

/** ISO 4217 minor units of a currency: USD 2, JPY 0, KWD 3. */
export function minorUnits(currency: string): number {
  return MINOR_UNITS[currency] ?? 2;
}

export function validCurrency(raw: string | null | undefined): string {
  const currency = (raw ?? DEFAULT_CURRENCY).trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency) || !knownCurrencies.has(currency)) {
    throw new BadUserInputError("currency", `Unknown currency ${JSON.stringify(raw)}: expected an ISO 4217 code such as "USD".`);
  }
  return currency;
}

/**
 * Checks an amount against its currency and returns it with exactly the currency's minor units
 * ("1250" in USD -> "1250.00"). Works on the decimal string: no float ever touches money.
 */
export function validAmount(raw: string, currency: string): string {
  const match = /^([-+]?)(\d+)(?:\.(\d+))?$/.exec(raw.trim());
  if (!match) throw new BadUserInputError("amount", `Amount ${JSON.stringify(raw)} is not a decimal number such as "1250.00".`);
  const integer = (match[2] ?? "0").replace(/^0+(?=\d)/, "");
  const fraction = match[3] ?? "";
  const isZero = /^0*$/.test(integer) && /^0*$/.test(fraction);
  if (match[1] === "-" || isZero) throw new BadUserInputError("amount", "Amount must be greater than zero.");
  const digits = minorUnits(currency);
  if (fraction.replace(/0+$/, "").length > digits) {
    throw new BadUserInputError("amount", `Amount ${raw} has more than ${digits} decimal places, the precision of ${currency}.`);
  }
  if (integer.length > MAX_INTEGER_DIGITS) {
    throw new BadUserInputError("amount", `Amount ${raw} is too large (at most ${MAX_INTEGER_DIGITS} digits before the point).`);
  }
  const normalizedFraction = fraction.slice(0, digits).padEnd(digits, "0");
  return digits > 0 ? `${integer}.${normalizedFraction}` : integer;
}

/**
 * Text PostgreSQL can store: its text cannot hold NUL, and its jsonb (the graph's checkpoints)
 * refuses a lone UTF-16 surrogate. Refused up front rather than failing inside the database.
 */
function storable(field: string, raw: string): string {
  if (raw.includes("\u0000")) throw new BadUserInputError(field, `${field} must not contain NUL characters.`);
  if (!raw.isWellFormed()) throw new BadUserInputError(field, `${field} is not well-formed Unicode (a lone surrogate).`);
  return raw;
}

/**
 * Whether text is longer than `max` characters as people count them, near enough: code points (an
 * emoji is one, not two UTF-16 units). Never more code points than UTF-16 units, so most text
 * needs no counting.
 */
const longerThan = (text: string, max: number) => text.length > max && Array.from(text).length > max;

export function validText(field: string, raw: string, maxLength: number): string {
  const text = storable(field, raw).trim();
  if (text.length === 0) throw new BadUserInputError(field, `${field} must not be empty.`);
  if (longerThan(text, maxLength)) throw new BadUserInputError(field, `${field} is longer than ${maxLength} characters.`);
  return text;
}

/**
 * Whether a string can be a user, group or role id: what a token may name and an approver may be.
 * 1 to MAX_USER_ID_LENGTH characters (code points), no control characters (PostgreSQL's text
 * refuses NUL), well-formed Unicode (its jsonb refuses a lone surrogate), no surrounding spaces.
 */
export function isUserId(value: unknown): value is string {
  return (
    typeof value === "string" &&
    value !== "" &&
    value === value.trim() &&
    !/\p{Cc}/u.test(value) &&
    value.isWellFormed() &&
    !longerThan(value, MAX_USER_ID_LENGTH)
  );
}

/** An approver: trimmed, then a user id a token could name (else nobody could ever decide). */
export function validUserId(field: string, raw: string): string {
  const id = raw.trim();
  if (!isUserId(id)) {
    storable(field, raw);
    throw new BadUserInputError(field, `${field} must be 1 to ${MAX_USER_ID_LENGTH} characters without control characters.`);
  }
  return id;
}

export function validOptionalText(field: string, raw: string | null | undefined, maxLength: number): string | null {
  if (raw === null || raw === undefined) return null;
  const text = storable(field, raw).trim();
  if (longerThan(text, maxLength)) throw new BadUserInputError(field, `${field} is longer than ${maxLength} characters.`);
  return text.length > 0 ? text : null;
}

export function validIdempotencyKey(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  if (raw.length === 0 || raw.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new BadUserInputError("idempotencyKey", `idempotencyKey must have 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`);
  }
  return storable("idempotencyKey", raw);
}
