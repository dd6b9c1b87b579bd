/**
 * The error codes a client can cause, and SERVICE_UNAVAILABLE (try again: the database is away
 * or this server is shutting down); anything else is masked as INTERNAL_SERVER_ERROR.
 */
export type ErrorCode = "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "SERVICE_UNAVAILABLE";

/** An error whose message is meant for the client, carried to it as `extensions.code`. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  /** More for the client, beside the code (e.g. the id of a process the failed request created). */
  readonly details: Readonly<Record<string, string>> | undefined;

  constructor(code: ErrorCode, message: string, field?: string, details?: Record<string, string>) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.field = field;
    this.details = details;
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = "Authentication required: send a valid Bearer token.") {
    super("UNAUTHENTICATED", message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super("FORBIDDEN", message);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, id: string) {
    super("NOT_FOUND", `${what} ${JSON.stringify(id)} was not found.`);
  }
}

export class BadUserInputError extends AppError {
  constructor(field: string, message: string) {
    super("BAD_USER_INPUT", message, field);
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super("CONFLICT", message);
  }
}

export class UnavailableError extends AppError {
  constructor(message: string, details?: Record<string, string>) {
    super("SERVICE_UNAVAILABLE", message, undefined, details);
  }
}
