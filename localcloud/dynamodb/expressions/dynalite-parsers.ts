import { createRequire } from "node:module";
import { cachingParser, type CacheCounts, type ExpressionParser } from "./parse-cache.ts";

const require = createRequire(import.meta.url);

/**
 * dynalite's generated parsers, one module each; its validation calls `parse` on the
 * module's exports at every request, so replacing that property is seen by dynalite.
 */
const PARSER_MODULES = ["dynalite/db/conditionParser.js", "dynalite/db/updateParser.js", "dynalite/db/projectionParser.js"];

const counts: CacheCounts = { hits: 0, misses: 0 };
const cached = new WeakSet<ExpressionParser>();

/**
 * Makes dynalite parse each distinct expression once (see parse-cache.ts). Returns how
 * many of its parsers are cached: a dynalite without these modules, or whose modules
 * look different, is left as it is and keeps parsing every time.
 */
export function cacheDynaliteExpressions(): number {
  let installed = 0;
  for (const path of PARSER_MODULES) {
    const parser = loadParserModule(path);
    if (parser === undefined) continue;
    if (!cached.has(parser.parse)) {
      parser.parse = cachingParser(parser.parse, counts);
      cached.add(parser.parse);
    }
    installed++;
  }
  return installed;
}

/** Hits and misses since the process started, over all three parsers. */
export function expressionCacheCounts(): Readonly<CacheCounts> {
  return { ...counts };
}

function loadParserModule(path: string): { parse: ExpressionParser } | undefined {
  try {
    const parser: unknown = require(path);
    if (typeof parser === "object" && parser !== null && "parse" in parser && typeof parser.parse === "function") {
      return parser as { parse: ExpressionParser };
    }
  } catch {
    // Another dynalite layout: it parses as it always did.
  }
  return undefined;
}
