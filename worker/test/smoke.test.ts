import { expect, it } from "vitest";
import { call } from "./setup/harness";

it("answers the root", async () => {
  const res = await call("GET", "/");
  expect(res.status).toBe(200);
  expect(res.json).toEqual({ message: "Server is running!" });
});
