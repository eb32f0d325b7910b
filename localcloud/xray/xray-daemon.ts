/** The X-Ray daemon's UDP listener, on loopback, collecting what the functions' X-Ray SDK sends. */
import { createSocket, type Socket } from "node:dgram";
import type { TraceSegmentView } from "../monitoring/monitoring-view.ts";
import { segmentsOfDatagram } from "./segment-documents.ts";
import { TraceStore } from "./trace-store.ts";

export class XRayDaemon {
  readonly store = new TraceStore();

  private constructor(private readonly socket: Socket, readonly address: string) {}

  static async start(): Promise<XRayDaemon> {
    const socket = createSocket("udp4");
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(0, "127.0.0.1", () => resolve());
    });
    socket.unref();
    // A UDP socket's later errors are not the sender's concern, and must not end the cloud.
    socket.on("error", () => {});
    const daemon = new XRayDaemon(socket, `127.0.0.1:${socket.address().port}`);
    socket.on("message", (message) => {
      for (const segment of segmentsOfDatagram(message.toString("utf8"))) daemon.store.add(segment);
    });
    return daemon;
  }

  /** A segment the local cloud made itself (an API stage's, a function invocation's). */
  record(segment: TraceSegmentView): void {
    this.store.add(segment);
  }

  traces(limit: number) {
    return this.store.traceSummaries(limit);
  }

  trace(traceId: string) {
    return this.store.segments(traceId);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}
