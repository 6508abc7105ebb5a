import type { components } from "@open-wearables-edge/client";
import { call } from "./api";

/** The API's own management routes, called with the console session (mounted under /api/v1/console/manage). */
export const manage = <T>(method: string, path: string, body?: unknown) => call<T>(method, `/manage${path}`, body);

// The shapes are the API's own (generated from its OpenAPI document into client/), not copies kept by hand.
type Schemas = components["schemas"];
/** `app_secret` only on create and rotate (shown once). */
export type Application = Schemas["ApplicationRead"] & { app_secret?: string };
export type AppSettings = Schemas["ApplicationSettingsRead"];
export type ApiKey = Schemas["ApiKeyRead"];
/** `secret` only on create (shown once). */
export type Endpoint = Schemas["WebhookEndpoint"] & { secret?: string };
export type Delivery = Schemas["WebhookDelivery"];
export type McpGrant = Schemas["McpGrant"];
