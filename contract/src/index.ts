export * from "./codes";
export * from "./links";
export * from "./health-data-types";
export * from "./envelope";
export * from "./providers";
