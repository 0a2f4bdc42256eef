#!/usr/bin/env node
import { importBundled } from "@cig/sdk/import-bundled";

await importBundled(import.meta.url, "../dist/main.js");
