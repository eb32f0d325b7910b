/**
 * What the X-Ray SDK sends its daemon over UDP: a header line `{"format":"json","version":1}`,
 * then one segment document, whose subsegments may be nested or sent on their own
 * (`"type":"subsegment"` with `trace_id` and `parent_id`).
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-api-segmentdocuments.html
 */
import type { TraceSegmentView } from "../monitoring/monitoring-view.ts";

type Document = Record<string, unknown>;

const isObject = (value: unknown): value is Document => typeof value === "object" && value !== null && !Array.isArray(value);

/** The segments of one datagram, nested subsegments flattened; none when it is not a segment document. */
export function segmentsOfDatagram(datagram: string): TraceSegmentView[] {
  const newline = datagram.indexOf("\n");
  let document: unknown;
  try {
    document = JSON.parse(newline < 0 ? datagram : datagram.slice(newline + 1));
  } catch {
    return [];
  }
  if (!isObject(document) || typeof document.trace_id !== "string") return [];
  return flatten(document, document.trace_id, typeof document.parent_id === "string" ? document.parent_id : undefined, document.type === "subsegment");
}

function flatten(document: Document, traceId: string, parentId: string | undefined, subsegment: boolean): TraceSegmentView[] {
  if (typeof document.id !== "string" || typeof document.name !== "string" || typeof document.start_time !== "number") return [];
  const annotations = isObject(document.annotations) ? annotationsOf(document.annotations) : undefined;
  const view: TraceSegmentView = {
    traceId,
    id: document.id,
    ...(parentId !== undefined ? { parentId } : {}),
    name: document.name,
    ...(!subsegment && typeof document.origin === "string" ? { origin: document.origin } : {}),
    startTime: document.start_time,
    ...(typeof document.end_time === "number" ? { endTime: document.end_time } : {}),
    ...(document.error === true || document.fault === true ? { error: true } : {}),
    ...(annotations && Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
  const children = Array.isArray(document.subsegments) ? document.subsegments.filter(isObject) : [];
  return [view, ...children.flatMap((child) => flatten(child, traceId, document.id as string, true))];
}

function annotationsOf(annotations: Document): Record<string, string | number | boolean> {
  const kept: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(annotations)) {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") kept[key] = value;
  }
  return kept;
}
