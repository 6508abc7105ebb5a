/**
 * Finishes the generated OpenAPI 3.1 document so it validates and lints clean: every operation gets an
 * `operationId` (named here, or derived from method and path for a route added later), public operations say
 * `security: []` explicitly, request bodies carry an example, and keys that are not OpenAPI (the route's
 * `middleware`, kept by registerPath) are dropped. Routes stay as they are; this is the one place the contract's
 * polish lives, and `scripts/openapi.ts` checks the result with swagger-parser and Redocly in `npm test`.
 */

type Operation = Record<string, unknown> & { operationId?: string; security?: unknown; requestBody?: { content?: Record<string, { schema?: unknown; example?: unknown }> } };
type Doc = { paths?: Record<string, Record<string, Operation>>; [k: string]: unknown };

const METHODS = new Set(["get", "put", "post", "delete", "patch", "head", "options", "trace"]);

/** Names for operations whose route does not set one (kept stable: the typed client is generated from them). */
const OPERATION_IDS: Record<string, string> = {
  "GET /applications": "listApplications",
  "POST /applications": "createApplication",
  "DELETE /applications/{app_id}": "deleteApplication",
  "POST /applications/{app_id}/rotate-secret": "rotateApplicationSecret",
  "GET /applications/{app_id}/settings": "getApplicationSettings",
  "PATCH /applications/{app_id}/settings": "updateApplicationSettings",
  "GET /developer/api-keys": "listApiKeys",
  "POST /developer/api-keys": "createApiKey",
  "PATCH /developer/api-keys/{key_id}": "updateApiKey",
  "DELETE /developer/api-keys/{key_id}": "deleteApiKey",
  "POST /developer/api-keys/{key_id}/rotate": "rotateApiKey",
  "POST /users": "createUser",
  "GET /users": "listUsers",
  "GET /users/{user_id}": "getUser",
  "PATCH /users/{user_id}": "updateUser",
  "DELETE /users/{user_id}": "deleteUser",
  "POST /users/{user_id}/token": "createUserToken",
  "POST /token/refresh": "refreshToken",
  "POST /token/revoke": "revokeToken",
  "POST /users/{user_id}/invitation-code": "createInvitationCode",
  "POST /invitation-code/redeem": "redeemInvitationCode",
  "POST /sdk/users/{user_id}/sync": "uploadSyncBatch",
  "POST /sdk/users/{user_id}/logs": "uploadSdkLogs",
  "GET /webhooks/event-types": "listWebhookEventTypes",
  "POST /webhooks/endpoints": "createWebhookEndpoint",
  "GET /webhooks/endpoints": "listWebhookEndpoints",
  "GET /webhooks/endpoints/{id}": "getWebhookEndpoint",
  "PATCH /webhooks/endpoints/{id}": "updateWebhookEndpoint",
  "DELETE /webhooks/endpoints/{id}": "deleteWebhookEndpoint",
  "GET /webhooks/endpoints/{id}/secret": "getWebhookEndpointSecret",
  "POST /webhooks/endpoints/{id}/rotate-secret": "rotateWebhookEndpointSecret",
  "POST /webhooks/endpoints/{id}/test": "testWebhookEndpoint",
  "GET /webhooks/endpoints/{id}/attempts": "listWebhookAttempts",
  "GET /connect": "getConnectInfo",
  "GET /organizations": "listOrganizations",
  "POST /organizations": "createOrganization",
  "GET /organizations/{org_id}": "getOrganization",
  "PATCH /organizations/{org_id}": "updateOrganization",
  "DELETE /organizations/{org_id}": "deleteOrganization",
  "GET /connect/status": "getConnectStatus",
};

/** Request-body examples by operationId (the schema's own example wins when a route sets one). */
const BODY_EXAMPLES: Record<string, unknown> = {
  createApplication: { name: "My wellness app" },
  createOrganization: { name: "Acme Health" },
  updateOrganization: { name: "Acme Health (EU)" },
  createApiKey: { name: "backend" },
  updateApiKey: { name: "backend (production)" },
  createUser: { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com", external_user_id: "customer-42" },
  updateUser: { email: "ada@example.org" },
  createUserToken: { app_id: "app_0123456789abcdef0123456789abcdef", app_secret: "<app secret>" },
  refreshToken: { refresh_token: "rt-<token>", grant_type: "refresh_token" },
  revokeToken: { refresh_token: "rt-<token>" },
  createInvitationCode: { app_id: "app_0123456789abcdef0123456789abcdef" },
  redeemInvitationCode: { code: "K7Q2M9XW" },
  uploadSyncBatch: {
    provider: "apple", sdkVersion: "0.6.0", syncTimestamp: "2026-11-01T08:00:00Z",
    data: {
      records: [{
        id: "B1F3…", type: "HKQuantityTypeIdentifierHeartRate", startDate: "2026-11-01T07:59:00Z", endDate: "2026-11-01T07:59:00Z",
        zoneOffset: "+01:00", value: 62, unit: "count/min", parentId: null, metadata: null,
        source: { appId: "com.apple.health", deviceId: null, deviceName: "Apple Watch", deviceManufacturer: "Apple Inc.", deviceModel: "Watch7,5", deviceType: "watch", recordingMethod: null },
      }],
      workouts: [], sleep: [],
    },
  },
  uploadSdkLogs: { sdkVersion: "0.6.0", provider: "apple", events: [{ eventType: "historical_data_sync_start", timestamp: "2026-11-01T08:00:00Z" }] },
  createWebhookEndpoint: { url: "https://example.com/hooks/open-wearables", description: "production", filter_types: ["workout.created", "sleep.created"] },
  updateWebhookEndpoint: { enabled: true },
  rotateWebhookEndpointSecret: { grace_seconds: 86_400 },
  testWebhookEndpoint: { event_type: "workout.created" },
  updateApplicationSettings: { display_name: "My wellness app", accent_color: "#0A7CFF", requested_data_types: ["steps", "heartRate", "sleep"] },
};

const derivedId = (method: string, path: string) =>
  method + path.split("/").filter(Boolean).map((part) => part.replace(/[{}]/g, "").replace(/(^|[-_])(\w)/g, (_, __, c: string) => c.toUpperCase()))
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join("");

export function finishDocument<T extends object>(document: T): T {
  const doc = document as unknown as Doc;
  const seen = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      delete op.middleware;
      op.operationId ??= OPERATION_IDS[`${method.toUpperCase()} ${path}`] ?? derivedId(method, path);
      if (seen.has(op.operationId)) op.operationId = derivedId(method, path);
      seen.add(op.operationId);
      // No global security: an operation without a requirement is public, and says so.
      op.security ??= [];
      const media = op.requestBody?.content?.["application/json"];
      const example = BODY_EXAMPLES[op.operationId];
      if (media && media.example === undefined && example !== undefined) media.example = example;
    }
  }
  return document;
}
