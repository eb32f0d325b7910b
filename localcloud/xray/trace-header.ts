/** X-Ray's ids and its trace header, `Root=1-<8 hex epoch>-<24 hex>;Parent=<16 hex>;Sampled=1`. */
import { randomBytes } from "node:crypto";

export interface TraceContext {
  readonly traceId: string;
  readonly parentId?: string;
  /** The sampling decision upstream made; undefined when the header leaves it to the receiver. */
  readonly sampled?: boolean;
}

export function newTraceId(now: number = Date.now()): string {
  return `1-${Math.floor(now / 1000).toString(16).padStart(8, "0")}-${randomBytes(12).toString("hex")}`;
}

export function newSegmentId(): string {
  return randomBytes(8).toString("hex");
}

/** Undefined when the header has no Root. */
export function parseTraceHeader(header: string | undefined): TraceContext | undefined {
  if (!header) return undefined;
  const fields = new Map(header.split(";").map((part) => {
    const [key = "", value = ""] = part.trim().split("=");
    return [key, value] as const;
  }));
  const traceId = fields.get("Root");
  if (!traceId) return undefined;
  const parentId = fields.get("Parent");
  const sampled = fields.get("Sampled");
  return { traceId, ...(parentId ? { parentId } : {}), ...(sampled === "1" || sampled === "0" ? { sampled: sampled === "1" } : {}) };
}

export function formatTraceHeader(context: TraceContext & { readonly sampled: boolean }): string {
  return `Root=${context.traceId}${context.parentId ? `;Parent=${context.parentId}` : ""};Sampled=${context.sampled ? 1 : 0}`;
}
