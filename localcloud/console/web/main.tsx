import "uplot/dist/uPlot.min.css";
import "./style.css";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api } from "./api.ts";
import { clockTime } from "./format.ts";
import { AlarmsPanel } from "./panels/alarms.tsx";
import { ChartsPanel } from "./panels/charts.tsx";
import { FunctionsPanel } from "./panels/functions.tsx";
import { LogsPanel } from "./panels/logs.tsx";
import { QueuesPanel } from "./panels/queues.tsx";
import { ResourcesPanel } from "./panels/resources.tsx";
import { TimelinePanel } from "./panels/timeline.tsx";
import { usePolling } from "./poll.ts";

/** The selected correlation id lives in the address (`#correlation=…`), so a view can be shared. */
function correlationFromHash(): string {
  return new URLSearchParams(location.hash.slice(1)).get("correlation") ?? "";
}

function App() {
  const [live, setLive] = useState(true);
  const [correlationId, setCorrelationId] = useState(correlationFromHash);
  const [source, setSource] = useState("");
  const [minutes, setMinutes] = useState(15);

  useEffect(() => {
    const onHash = () => setCorrelationId(correlationFromHash());
    addEventListener("hashchange", onHash);
    return () => removeEventListener("hashchange", onHash);
  }, []);
  const select = (id: string) => {
    setCorrelationId(id);
    history.replaceState(null, "", id === "" ? location.pathname : `#correlation=${encodeURIComponent(id)}`);
  };

  const overview = usePolling(api.overview, 2000, live);
  const logs = usePolling(() => api.logs({ correlationId, source, limit: 300 }), 1500, live, `${correlationId}|${source}`);
  const recent = usePolling(api.correlations, 3000, live);
  const timeline = usePolling(() => (correlationId === "" ? Promise.resolve(undefined) : api.timeline(correlationId)), 1500, live, correlationId);
  const charts = usePolling(() => api.charts(minutes), 5000, live, String(minutes));

  // An order id was asked for: follow the correlation id its lines carried.
  useEffect(() => {
    const answer = timeline.data;
    if (answer !== undefined && answer.asked === correlationId && answer.correlationId !== correlationId) select(answer.correlationId);
  }, [timeline.data]);

  const data = overview.data;
  // Physical names start with their stack's name: the rest is what tells them apart.
  const prefixes = (data?.stacks ?? []).map((s) => `${s.name}-`);
  const shortName = (name: string) => prefixes.find((p) => name.startsWith(p) && name.length > p.length) === undefined ? name : name.slice(name.indexOf("-") + 1);
  const error = overview.error ?? logs.error;
  return (
    <div class="page">
      <header class="top">
        <h1>Local cloud</h1>
        <div class="stacks">
          {(data?.stacks ?? []).map((s) => <span key={s.name} class="tag">{s.name} · {s.status}</span>)}
        </div>
        <div class="status">
          {error === undefined ? null : <span class="tag warn" title={error}>cloud not answering</span>}
          <span class={live ? "live on" : "live"} data-live={live}>{live ? "live" : "paused"}</span>
          <span class="muted small">{overview.updatedAt === undefined ? "" : `updated ${clockTime(overview.updatedAt)}`}</span>
          <button type="button" onClick={() => setLive(!live)}>{live ? "Pause" : "Resume"}</button>
        </div>
      </header>
      <main class="grid">
        <FunctionsPanel functions={data?.functions ?? []} from={data?.activityFrom ?? "logs"} />
        <QueuesPanel queues={data?.queues ?? []} shortName={shortName} />
        <TimelinePanel selected={correlationId} recent={recent.data?.correlationIds ?? []} timeline={timeline.data?.asked === correlationId ? timeline.data : undefined} onSelect={select} />
        <LogsPanel lines={logs.data?.lines ?? []} sources={logs.data?.sources ?? []} correlationId={correlationId} source={source} onCorrelation={select} onSource={setSource} />
        <AlarmsPanel alarms={data === undefined ? [] : data.alarms} />
        <ChartsPanel charts={charts.data} minutes={minutes} onMinutes={setMinutes} />
        <ResourcesPanel stacks={data?.stacks ?? []} />
      </main>
    </div>
  );
}

const root = document.getElementById("app");
if (root) render(<App />, root);
