import { lexicographicSortSchema } from "graphql";
import { builder } from "./builder.js";
import "./scalars.js";
import "./viewer.js";
import "./process.js";
import "./task.js";
import "./decision.js";
import "./event.js";

/** The API's schema, sorted so that its printed form is stable. */
export const schema = lexicographicSortSchema(builder.toSchema());
