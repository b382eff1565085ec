// The server's feedback body schemas, written in zod 4 from docs/server-behaviour.md (the
// reference read from the Firecrawl API server), checked the way the server checks: JSON.parse,
// then the uuid package's validate() on the search route's path, then zod's safeParse.
// Reads one JSON request per line on stdin, writes one JSON answer per line:
//   {"route": "feedback" | "search", "pathId": "...", "raw": "<the body as sent>"}
//     -> {"ok": true, "data": <what the server stores>} or {"ok": false, "issues": [...]}
//   {"route": "url", "raw": "..."} -> {"ok": new URL(raw) parses with protocol http(s)}
//   {"route": "stringify", "raw": "<JSON>"} -> {"size": UTF-8 bytes of JSON.stringify(JSON.parse(raw))}
"use strict";
const readline = require("node:readline");
const { z } = require("zod");
const uuid = require("uuid");

const INTEGRATIONS = new Set(
  "dify zapier pipedream raycast langchain crewai llamaindex n8n camelai make flowise metagpt relevanceai viasocket cli hermes gstack prometheus".split(" "),
);
const isHttpUrl = (value) => {
  try {
    const { protocol } = new URL(value);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
};
const httpUrl = z.string().trim().min(1).max(2048).refine(isHttpUrl, "Invalid URL");
const valuableSource = z.strictObject({
  url: httpUrl,
  reason: z.string().trim().max(1000).optional(),
});
const missingContent = z.strictObject({
  topic: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).optional(),
});
const label = z.string().trim().min(1).max(80).regex(/^[a-z0-9][a-z0-9_-]*$/);
const common = (missingContentMax) => ({
  rating: z.enum(["good", "partial", "bad"]),
  valuableSources: z.array(valuableSource).max(50).optional(),
  missingContent: z.array(missingContent).max(missingContentMax).optional(),
  querySuggestions: z.string().trim().max(2000).optional(),
  origin: z.string().optional().default("api"),
  integration: z
    .string()
    .refine((name) => INTEGRATIONS.has(name) || name.startsWith("_"), "Unknown integration")
    .optional(),
});
const present = (value) => (Array.isArray(value) ? value.length > 0 : Boolean(value));
const NEEDS = {
  good: ["valuableSources"],
  partial: ["valuableSources", "missingContent"],
  bad: ["missingContent", "querySuggestions"],
};
const ratingRules = (data, ctx) => {
  if (!NEEDS[data.rating].some((key) => present(data[key]))) {
    ctx.addIssue({ code: "custom", path: ["rating"], message: "rating needs more" });
  }
};
const SIGNALS = ["issues", "tags", "note", "valuableSources", "missingContent", "querySuggestions", "url", "pageNumbers"];
const feedback = z
  .strictObject({
    ...common(50),
    endpoint: z.enum(["search", "scrape", "parse", "map"]),
    jobId: z.uuid(),
    url: httpUrl.optional(),
    issues: z.array(label).max(20).optional(),
    tags: z.array(label).max(20).optional(),
    note: z.string().trim().max(4000).optional(),
    pageNumbers: z.array(z.number().int().min(1)).max(100).optional(),
    metadata: z
      .record(z.string(), z.any())
      .refine((value) => Buffer.byteLength(JSON.stringify(value), "utf8") <= 8192, "metadata too large")
      .optional(),
  })
  .superRefine((data, ctx) => {
    if (!SIGNALS.some((key) => present(data[key]))) {
      ctx.addIssue({ code: "custom", path: [], message: "no signal" });
    }
    if (data.endpoint === "search") ratingRules(data, ctx);
  });
const search = z.strictObject(common(20)).superRefine(ratingRules);

function answer(request) {
  if (request.route === "url") return { ok: isHttpUrl(request.raw) };
  if (request.route === "stringify") {
    return { size: Buffer.byteLength(JSON.stringify(JSON.parse(request.raw)), "utf8") };
  }
  if (request.route === "search" && !uuid.validate(request.pathId)) {
    return { ok: false, issues: [["jobId (path)", "not a UUID"]] };
  }
  const result = (request.route === "search" ? search : feedback).safeParse(JSON.parse(request.raw));
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, issues: result.error.issues.map((issue) => [issue.path.join("."), issue.message]) };
}

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  process.stdout.write(JSON.stringify(answer(JSON.parse(line))) + "\n");
});
