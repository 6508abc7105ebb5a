import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { orgOf, requireAdmin } from "../auth/middleware";
import { HttpError } from "../http/errors";
import { API_KEY_SECURITY, errors, json, jsonBody, newRouter } from "../http/router";
import { findApplication } from "../control/applications";
import { HEALTH_DATA_TYPES, readAppSettings, updateAppSettings } from "../control/app-settings";

/** Admin endpoints for an application's onboarding branding and settings (shown by the PWA at /connect). */

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** https only (links end up in front of end users); plain http only for local development. No credentials. */
export function isSafeUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && (LOCAL_HOSTS.has(url.hostname) || url.hostname.endsWith(".localhost"));
}

const SafeUrl = z.string().max(2048).refine(isSafeUrl, { error: "must be an https URL (http only for localhost)" });

// Schemes a browser or OS gives another meaning to; an app's own scheme must not collide with them.
const RESERVED_SCHEMES = new Set([
  "http", "https", "javascript", "data", "file", "blob", "about", "vbscript", "ftp", "ws", "wss", "intent",
  "content", "mailto", "tel", "sms", "chrome", "market", "itms-apps", "itms-services",
]);
const Scheme = z.string().max(32).transform((s) => s.toLowerCase()).pipe(
  z.string()
    .regex(/^[a-z][a-z0-9+.-]*$/, { error: "must be a URL scheme: a letter, then letters, digits, '+', '-' or '.'" })
    .refine((s) => !RESERVED_SCHEMES.has(s), { error: "is reserved; use the app's own scheme" }),
);

const DataType = z.enum(HEALTH_DATA_TYPES, {
  error: (issue) => `unknown data type ${JSON.stringify(issue.input)}; use the SDK's HealthDataType names (e.g. steps, heartRate, sleep)`,
});

const settingsFields = {
  display_name: z.string().trim().min(1).max(100),
  logo_url: SafeUrl,
  accent_color: z.string().regex(/^#[0-9a-fA-F]{6}$/, { error: "must be a colour as #rrggbb" }).transform((s) => s.toLowerCase()),
  requested_data_types: z.array(DataType).min(1).max(HEALTH_DATA_TYPES.length).transform((list) => [...new Set(list)]),
  deep_link_scheme: Scheme,
  universal_link_base_url: SafeUrl,
  app_store_url: SafeUrl,
  play_store_url: SafeUrl,
  redirect_url: SafeUrl,
};

/** Every field optional; `null` resets one to its default; unknown fields are a 400. */
const SettingsPatch = z.strictObject({
  display_name: settingsFields.display_name.nullable().optional(),
  logo_url: settingsFields.logo_url.nullable().optional(),
  accent_color: settingsFields.accent_color.nullable().optional(),
  requested_data_types: settingsFields.requested_data_types.nullable().optional(),
  deep_link_scheme: settingsFields.deep_link_scheme.nullable().optional().openapi({ description: "Default `openwearables`." }),
  universal_link_base_url: settingsFields.universal_link_base_url.nullable().optional().openapi({
    description: "https base of the app's universal link / App Link; the PWA appends `/connect?host=…&code=…`.",
  }),
  app_store_url: settingsFields.app_store_url.nullable().optional(),
  play_store_url: settingsFields.play_store_url.nullable().optional(),
  redirect_url: settingsFields.redirect_url.nullable().optional().openapi({ description: "Where people go once their data flows." }),
}).openapi("ApplicationSettingsUpdate");

export const Branding = z.object({
  display_name: z.string().nullable(),
  logo_url: z.string().nullable(),
  accent_color: z.string().nullable(),
  deep_link_scheme: z.string(),
  universal_link_base_url: z.string().nullable(),
  app_store_url: z.string().nullable(),
  play_store_url: z.string().nullable(),
  redirect_url: z.string().nullable(),
}).openapi("ConnectBranding");

const SettingsRead = Branding.extend({
  app_id: z.string(),
  requested_data_types: z.array(z.string()),
  updated_at: z.string().nullable(),
}).openapi("ApplicationSettingsRead");

const AppIdParam = z.object({ app_id: z.string().max(64).openapi({ param: { name: "app_id", in: "path" } }) });
const base = { tags: ["Applications"], security: API_KEY_SECURITY, middleware: [requireAdmin] };

async function applicationOr404(c: Context<AppEnv>, appId: string) {
  const app = await findApplication(c.env.DB, orgOf(c), appId);
  if (!app) throw new HttpError(404, "Application not found");
  return app;
}

export const appSettingsRoutes = newRouter()
  .openapi(
    createRoute({
      ...base, method: "get", path: "/applications/{app_id}/settings",
      summary: "Read the application's onboarding branding and settings (defaults filled in)",
      request: { params: AppIdParam }, responses: { 200: json(SettingsRead), ...errors(401, 404) },
    }),
    async (c) => {
      const app = await applicationOr404(c, c.req.valid("param").app_id);
      return c.json(await readAppSettings(c.env.DB, app), 200);
    },
  )
  .openapi(
    createRoute({
      ...base, method: "patch", path: "/applications/{app_id}/settings",
      summary: "Update some of the application's onboarding settings (null resets a field to its default)",
      request: { params: AppIdParam, body: jsonBody(SettingsPatch) },
      responses: { 200: json(SettingsRead), ...errors(400, 401, 404, 413) },
    }),
    async (c) => {
      const app = await applicationOr404(c, c.req.valid("param").app_id);
      return c.json(await updateAppSettings(c.env.DB, app, c.req.valid("json")), 200);
    },
  );
