import { createRoute, z } from "@hono/zod-openapi";
import { requireAdmin } from "../../auth/middleware";
import { API_KEY_SECURITY, errors, json, jsonBody, newRouter } from "../../http/router";
import { DEVICE_TYPES, PROVIDERS, listPriorities, setPriorities } from "../../control/priorities";
import { orgOf } from "./shared";

/** Source priorities (reference /priorities): which provider and device type a day's summary prefers. Admin only. */

const base = { tags: ["Priorities"], security: API_KEY_SECURITY, middleware: [requireAdmin] };
const Priority = z.number().int().min(1).max(100);
const stamps = { id: z.string(), created_at: z.string(), updated_at: z.string() };
const ProviderItem = z.object({ provider: z.enum(PROVIDERS), priority: Priority });
const DeviceItem = z.object({ device_type: z.enum(DEVICE_TYPES), priority: Priority });
const ProviderList = z.object({ items: z.array(ProviderItem.extend(stamps)) }).openapi("ProviderPriorityList");
const DeviceList = z.object({ items: z.array(DeviceItem.extend(stamps)) }).openapi("DeviceTypePriorityList");
const ProviderBulk = z.strictObject({ priorities: z.array(ProviderItem).max(PROVIDERS.length) })
  .openapi("ProviderPriorityBulkUpdate", { example: { priorities: [{ provider: "garmin", priority: 1 }, { provider: "apple", priority: 2 }] } });
const DeviceBulk = z.strictObject({ priorities: z.array(DeviceItem).max(DEVICE_TYPES.length) })
  .openapi("DeviceTypePriorityBulkUpdate", { example: { priorities: [{ device_type: "ring", priority: 1 }, { device_type: "watch", priority: 2 }] } });

export const priorityRoutes = newRouter()
  .openapi(
    createRoute({ ...base, method: "get", path: "/priorities/providers", operationId: "getProviderPriorities", summary: "Provider priorities (lower wins)",
      responses: { 200: json(ProviderList, "Priorities"), ...errors(401) } }),
    async (c) => c.json({ items: await listPriorities(c.var.services.db, orgOf(c), "providers") } as z.infer<typeof ProviderList>, 200),
  )
  .openapi(
    createRoute({ ...base, method: "put", path: "/priorities/providers", operationId: "setProviderPriorities", summary: "Set provider priorities (the ones listed; others keep theirs)",
      request: { body: jsonBody(ProviderBulk) }, responses: { 200: json(ProviderList, "Priorities"), ...errors(400, 401) } }),
    async (c) => {
      const items = c.req.valid("json").priorities.map((p) => ({ name: p.provider, priority: p.priority }));
      return c.json({ items: await setPriorities(c.var.services.db, orgOf(c), "providers", items) } as z.infer<typeof ProviderList>, 200);
    },
  )
  .openapi(
    createRoute({ ...base, method: "get", path: "/priorities/device-types", operationId: "getDeviceTypePriorities", summary: "Device-type priorities (lower wins)",
      responses: { 200: json(DeviceList, "Priorities"), ...errors(401) } }),
    async (c) => c.json({ items: await listPriorities(c.var.services.db, orgOf(c), "device-types") } as z.infer<typeof DeviceList>, 200),
  )
  .openapi(
    createRoute({ ...base, method: "put", path: "/priorities/device-types", operationId: "setDeviceTypePriorities", summary: "Set device-type priorities (the ones listed; others keep theirs)",
      request: { body: jsonBody(DeviceBulk) }, responses: { 200: json(DeviceList, "Priorities"), ...errors(400, 401) } }),
    async (c) => {
      const items = c.req.valid("json").priorities.map((p) => ({ name: p.device_type, priority: p.priority }));
      return c.json({ items: await setPriorities(c.var.services.db, orgOf(c), "device-types", items) } as z.infer<typeof DeviceList>, 200);
    },
  );
