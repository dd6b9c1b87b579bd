import type { ObjectRef } from "@pothos/core";
import type { Page } from "../processes/pagination.js";
import { type BuilderTypes, builder } from "./builder.js";

type PageInfoShape = { hasNextPage: boolean; startCursor: string | null; endCursor: string | null };

export const PageInfo = builder.objectRef<PageInfoShape>("PageInfo").implement({
  description: "Where a page sits in its list (Relay cursor connections).",
  fields: (t) => ({
    hasNextPage: t.exposeBoolean("hasNextPage", { description: "Whether more items follow this page." }),
    hasPreviousPage: t.boolean({
      description: "Always false: lists page forward only, with first/after.",
      resolve: () => false,
    }),
    startCursor: t.exposeString("startCursor", { nullable: true, description: "Cursor of the first item of this page." }),
    endCursor: t.exposeString("endCursor", {
      nullable: true,
      description: "Cursor of the last item of this page: pass it as `after` to get the next page.",
    }),
  }),
});

/** Defines `<Name>Edge` and `<Name>Connection` types for a node type. */
export function connectionOf<T>(name: string, node: ObjectRef<BuilderTypes, T>, what: string, whats = `${what}s`) {
  const Edge = builder.objectRef<{ node: T; cursor: string }>(`${name}Edge`).implement({
    description: `One ${what} in a page, with its cursor.`,
    fields: (t) => ({
      cursor: t.exposeString("cursor", { description: "Opaque position of this item; pass it as `after`." }),
      node: t.field({ type: node, description: `The ${what}.`, resolve: (edge) => edge.node as never }),
    }),
  });
  return builder.objectRef<Page<T>>(`${name}Connection`).implement({
    description: `A page of ${whats} (Relay cursor connection).`,
    fields: (t) => ({
      totalCount: t.exposeInt("totalCount", { description: `Number of ${whats} in the whole list, across all pages.` }),
      pageInfo: t.field({
        type: PageInfo,
        description: "Where this page sits in the list.",
        resolve: (page) => ({
          hasNextPage: page.hasNextPage,
          startCursor: page.items[0]?.cursor ?? null,
          endCursor: page.items.at(-1)?.cursor ?? null,
        }),
      }),
      edges: t.field({ type: [Edge], description: "The items of this page with their cursors.", resolve: (page) => page.items }),
      nodes: t.field({
        type: [node],
        description: "The items of this page, without cursors.",
        resolve: (page) => page.items.map((item) => item.node) as never,
      }),
    }),
  });
}
