import type { FunctionRow } from "../api.ts";
import { colorOf, formatMs } from "../format.ts";
import { Empty, Panel } from "./panel.tsx";

export function FunctionsPanel(props: { functions: readonly FunctionRow[]; from: "logs" | "monitoring" }) {
  const busiest = Math.max(1, ...props.functions.map((f) => f.invocations));
  const aside = props.from === "logs" ? "counted from START / REPORT lines" : "from the monitoring";
  return (
    <Panel id="functions" title="Functions" aside={aside}>
      {props.functions.length === 0 ? (
        <Empty>No function is deployed.</Empty>
      ) : (
        <table>
          <thead>
            <tr><th>Function</th><th class="num">Invocations</th><th class="num">Errors</th><th class="num">p50</th><th class="num">p99</th><th class="num">max</th></tr>
          </thead>
          <tbody>
            {props.functions.map((fn) => (
              <tr key={fn.functionName} data-function={fn.displayName} title={fn.functionName}>
                <td><span class="dot" style={{ background: colorOf(fn.displayName) }} />{fn.displayName}</td>
                <td class="num">
                  <span class="meter"><span style={{ width: `${(100 * fn.invocations) / busiest}%` }} /></span>
                  <span data-field="invocations">{fn.invocations}</span>
                </td>
                <td class={fn.errors > 0 ? "num bad" : "num"} data-field="errors">{fn.errors}</td>
                <td class="num">{formatMs(fn.durationMs.p50)}</td>
                <td class="num">{formatMs(fn.durationMs.p99)}</td>
                <td class="num">{formatMs(fn.durationMs.max)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
