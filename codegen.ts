import { existsSync } from "node:fs";
import type { CodegenConfig } from "@graphql-codegen/cli";

// The contract's operations are client documents too: when ../shared/contract is beside the
// repository, a schema change that breaks them breaks the typecheck.
const contract = "../shared/contract/operations.graphql";

const config: CodegenConfig = {
  schema: "schema.graphql",
  documents: ["test/documents/**/*.graphql", ...(existsSync(contract) ? [contract] : [])],
  ignoreNoDocuments: false,
  emitLegacyCommonJSImports: false,
  generates: {
    "test/generated/": {
      preset: "client",
      presetConfig: { fragmentMasking: false, gqlTagName: "graphql" },
      config: {
        scalars: { DateTime: "string", Decimal: "string", JSON: "unknown", ID: "string" },
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;
