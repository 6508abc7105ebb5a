/**
 * Documents the organization header on every operation an admin key may call (those secured by `ApiKey`): the
 * header is optional and only the admin key uses it, so it is a parameter, not a security scheme.
 */
type Operation = { security?: Record<string, string[]>[]; parameters?: unknown[] };

export function withOrganizationHeader<T extends { paths?: object }>(doc: T): T {
  for (const item of Object.values(doc.paths ?? {}) as object[]) {
    for (const op of Object.values(item) as Operation[]) {
      if (!op || typeof op !== "object" || !op.security?.some((s) => "ApiKey" in s)) continue;
      op.parameters = [...(op.parameters ?? []), { $ref: "#/components/parameters/Organization" }];
    }
  }
  return doc;
}
