import type { MonitoringView } from "../monitoring/monitoring-view.ts";
import type { HttpRequest, HttpResponse } from "../types.ts";
import { consoleApiResponse, type ConsoleSources } from "./console-api.ts";
import { ConsolePage } from "./console-page.ts";
import { LogRing } from "./log-ring.ts";

export { CONSOLE_PATH } from "./console-page.ts";
export { LogRing } from "./log-ring.ts";

/**
 * The live console at `/_localcloud/`: the page and the JSON API it polls. Its log ring
 * must see every line, so the cloud puts `logs.add` in front of its LogSink.
 */
export class LocalCloudConsole {
  readonly logs = new LogRing();
  private readonly page = new ConsolePage();
  private readonly sources: ConsoleSources;

  constructor(sources: Omit<ConsoleSources, "logs" | "monitoring">, private monitoringView?: MonitoringView) {
    this.sources = { ...sources, logs: this.logs, monitoring: () => this.monitoringView };
  }

  /** Metrics, alarms, dashboards and traces come from here once the cloud has them. */
  attachMonitoring(view: MonitoringView): void {
    this.monitoringView = view;
  }

  /** Starts building the page (if its sources changed) before anyone asks for it. */
  warmUp(): void {
    this.page.prepare().catch(() => {
      // The request for the page reports the failure.
    });
  }

  /** The answer for a console path, or undefined when the request is for something else. */
  async handle(request: HttpRequest): Promise<HttpResponse | undefined> {
    if (!request.url.startsWith("/_localcloud")) return undefined;
    return consoleApiResponse(this.sources, request) ?? (await this.page.response(request));
  }
}
