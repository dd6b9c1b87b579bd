import type { Viewer as ViewerShape } from "../auth.js";
import { requireViewer } from "../context.js";
import { builder } from "./builder.js";

const Viewer = builder.objectRef<ViewerShape>("Viewer").implement({
  description: "The authenticated caller, as their token describes them.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "The user id (the token's sub)." }),
    name: t.exposeString("name", { nullable: true, description: "Display name, when the token has one." }),
    roles: t.exposeStringList("roles", { description: "Roles, e.g. admin." }),
    groups: t.exposeStringList("groups", { description: "Groups; tasks may be assigned to them." }),
  }),
});

builder.queryFields((t) => ({
  viewer: t.field({
    type: Viewer,
    description: "The caller.",
    resolve: (_root, _args, ctx) => requireViewer(ctx),
  }),
}));
