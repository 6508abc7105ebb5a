import { newRouter } from "../http/router";
import { timeseriesRoutes } from "./read/timeseries";
import { eventRoutes } from "./read/events";
import { summaryRoutes } from "./read/summaries";
import { connectionRoutes } from "./read/connections";
import { syncStatusRoutes } from "./read/sync-status";
import { healthScoreRoutes } from "./read/health-scores";
import { priorityRoutes } from "./read/priorities";

/** The read API for customer backends (reference §9), with an API key; one file per concern under read/. */
export const readRoutes = newRouter()
  .route("/", timeseriesRoutes)
  .route("/", eventRoutes)
  .route("/", summaryRoutes)
  .route("/", connectionRoutes)
  .route("/", syncStatusRoutes)
  .route("/", healthScoreRoutes)
  .route("/", priorityRoutes);
