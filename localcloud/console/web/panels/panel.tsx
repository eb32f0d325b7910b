import type { ComponentChildren } from "preact";

/** A titled box of the console; `id` names it for tests and links. */
export function Panel(props: { id: string; title: string; aside?: ComponentChildren; children: ComponentChildren; wide?: boolean }) {
  return (
    <section class={props.wide ? "panel wide" : "panel"} id={props.id} data-panel={props.id}>
      <header>
        <h2>{props.title}</h2>
        {props.aside === undefined ? null : <div class="aside">{props.aside}</div>}
      </header>
      <div class="body">{props.children}</div>
    </section>
  );
}

export function NotAvailable(props: { what: string }) {
  return <p class="muted">Not available: {props.what} come from the local cloud's monitoring, which this cloud was started without.</p>;
}

export function Empty(props: { children: ComponentChildren }) {
  return <p class="muted">{props.children}</p>;
}
