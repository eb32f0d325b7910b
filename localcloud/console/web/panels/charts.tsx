import type { Charts } from "../api.ts";
import { Chart } from "./chart.tsx";
import { Empty, NotAvailable, Panel } from "./panel.tsx";

export function ChartsPanel(props: { charts: Charts | undefined; minutes: number; onMinutes: (minutes: number) => void }) {
  const { charts } = props;
  const picker = (
    <select value={props.minutes} onChange={(e) => props.onMinutes(Number(e.currentTarget.value))} aria-label="Time range">
      {[5, 15, 60, 180].map((m) => <option key={m} value={m}>last {m < 60 ? `${m} min` : `${m / 60} h`}</option>)}
    </select>
  );
  return (
    <Panel id="charts" title="Dashboards" aside={charts?.available ? picker : undefined} wide>
      {charts === undefined ? (
        <Empty>Loading…</Empty>
      ) : !charts.available ? (
        <NotAvailable what="metrics and dashboards" />
      ) : charts.dashboards.length === 0 ? (
        <Empty>The stack declares no dashboard.</Empty>
      ) : (
        charts.dashboards.map((dashboard) => (
          <div key={dashboard.name} class="dashboard">
            <h3>{dashboard.name}</h3>
            <div class="charts">
              {dashboard.charts.map((chart, i) => <Chart key={`${chart.title}-${i}`} title={chart.title} series={chart.series} minutes={props.minutes} />)}
            </div>
          </div>
        ))
      )}
    </Panel>
  );
}
