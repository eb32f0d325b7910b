/**
 * Finds and imports a function's handler the way Lambda's Node runtime does:
 * "dir/file.export" → dir/file.js, .mjs or .cjs, then its `export`. Runs inside the
 * worker: only erasable TypeScript here.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { HandlerLoadError } from "./lambda-error.ts";

export type LambdaCallback = (error: unknown, result?: unknown) => void;
export type LambdaHandler = (event: unknown, context: object, callback: LambdaCallback) => unknown;

const MODULE_EXTENSIONS = [".js", ".mjs", ".cjs"];

export function parseHandlerSpec(spec: string): { modulePath: string; exportPath: string[] } {
  const lastSlash = spec.lastIndexOf("/");
  const firstDot = spec.indexOf(".", lastSlash + 1);
  if (firstDot <= lastSlash + 1 || firstDot === spec.length - 1) {
    throw new HandlerLoadError("Runtime.MalformedHandlerName", `Bad handler ${spec}`);
  }
  return { modulePath: spec.slice(0, firstDot), exportPath: spec.slice(firstDot + 1).split(".") };
}

function errorCode(error: unknown): unknown {
  return typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
}

async function importModule(file: string): Promise<unknown> {
  try {
    return await import(pathToFileURL(file).href);
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new HandlerLoadError("Runtime.UserCodeSyntaxError", `${error.name}: ${error.message}`, error);
    }
    const code = errorCode(error);
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") {
      const message = error instanceof Error ? error.message : String(error);
      throw new HandlerLoadError("Runtime.ImportModuleError", `Error: ${message}`, error);
    }
    // An error thrown while the module initialises is reported under its own name.
    const name = error instanceof Error ? error.name : "Error";
    const message = error instanceof Error ? error.message : String(error);
    throw new HandlerLoadError(name, message, error);
  }
}

function pick(root: unknown, path: readonly string[]): unknown {
  let value = root;
  for (const key of path) {
    if ((typeof value !== "object" && typeof value !== "function") || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export async function loadHandler(codeDir: string, spec: string): Promise<LambdaHandler> {
  const { modulePath, exportPath } = parseHandlerSpec(spec);
  const file = MODULE_EXTENSIONS.map((extension) => join(codeDir, modulePath + extension)).find((f) => existsSync(f));
  if (file === undefined) {
    throw new HandlerLoadError("Runtime.ImportModuleError", `Error: Cannot find module '${modulePath}'`);
  }
  const namespace = await importModule(file);
  // A CommonJS bundle's exports may only be visible through `default`.
  const handler = pick(namespace, exportPath) ?? pick(pick(namespace, ["default"]), exportPath);
  if (typeof handler !== "function") {
    throw new HandlerLoadError("Runtime.HandlerNotFound", `${spec} is undefined or not exported`);
  }
  return handler as LambdaHandler;
}
