import { servePlugin } from "@cig/sdk";
import { jobLimits } from "./job-limits.js";

servePlugin(jobLimits);
