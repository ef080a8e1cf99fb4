/** The report's stylesheet: plain CSS, system fonts only (a web font would be a network request). */
export const REPORT_CSS = `
:root { --fg: #1d2329; --muted: #5b6670; --line: #d8dee4; --bg-alt: #f5f7f9; --bad: #b42318; --bad-bg: #fef3f2; --ok: #067647; --ok-bg: #ecfdf3; --warn: #93370d; --warn-line: #f79009; --warn-bg: #fffaeb; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: #fff; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1320px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 28px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 0 0 6px; }
.lead { font-size: 17px; color: var(--muted); margin: 0 0 14px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
pre { background: var(--bg-alt); padding: 12px; overflow-x: auto; border-radius: 4px; }
.banner { border: 2px solid var(--bad); background: var(--bad-bg); color: var(--bad); padding: 12px 16px; margin: 12px 0 16px; border-radius: 4px; font-size: 16px; }
.notice { border: 1px solid var(--warn-line); border-left-width: 5px; background: var(--warn-bg); color: var(--warn); padding: 8px 14px; margin: 8px 0; border-radius: 4px; }
.verdict { font-weight: 700; white-space: nowrap; }
.verdict.pass { color: var(--ok); }
.verdict.fail { color: var(--bad); }
.verdict.inconclusive { color: var(--warn); }
.verdict.not-judged { font-weight: 400; opacity: 0.75; }
td.verdict.pass:not(.not-judged) { background: var(--ok-bg); }
td.verdict.fail:not(.not-judged) { background: var(--bad-bg); }
.verdict-line { padding: 8px 14px; border-radius: 4px; border: 2px solid; }
.verdict-line.pass { color: var(--ok); border-color: var(--ok); background: var(--ok-bg); }
.verdict-line.fail { color: var(--bad); border-color: var(--bad); background: var(--bad-bg); }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(400px, 1fr)); gap: 4px 32px; margin: 8px 0 12px; }
.facts div { display: flex; gap: 12px; }
.facts dt { color: var(--muted); flex: 0 0 120px; }
.facts dd { margin: 0; word-break: break-word; }
.status { font-weight: 600; padding: 0 6px; border-radius: 3px; }
.status-ok { color: var(--ok); }
.status-bad { color: #fff; background: var(--bad); }
.table-wrap { overflow-x: auto; margin: 8px 0; }
table.data { border-collapse: collapse; font-size: 13.5px; min-width: 100%; }
table.data th, table.data td { border-bottom: 1px solid var(--line); padding: 5px 7px; text-align: left; vertical-align: top; }
table.data thead th { background: var(--bg-alt); font-weight: 600; vertical-align: bottom; text-align: center; }
table.data thead th:first-child { text-align: left; }
table.data tbody th { font-weight: 600; min-width: 9em; }
table.data tbody th .small { display: block; max-width: 22em; }
table.data tr.group-start > * { border-top: 2px solid var(--line); }
.num { text-align: right !important; font-variant-numeric: tabular-nums; white-space: nowrap; }
.muted { color: var(--muted); }
.caveat { color: var(--warn); font-size: 12px; }
.nowrap { white-space: nowrap; }
.small { font-size: 12px; font-weight: 400; }
.bad { color: var(--bad); font-weight: 600; }
.good { color: #1a7f37; font-weight: 600; }
.warn { color: #9a6700; }
#run-details { margin: 1.5rem 0; }
#run-details > summary { cursor: pointer; font-weight: 600; }
.note { color: var(--muted); font-size: 13.5px; }
figure.chart { margin: 18px 0 28px; }
figure.chart figcaption { color: var(--muted); font-size: 13.5px; max-width: 900px; margin-top: 6px; }
.vega-chart { min-height: 40px; overflow-x: auto; }
.chart-error { color: var(--bad); }
.key-figures li, .problems li { margin: 3px 0; }
footer { color: var(--muted); font-size: 12.5px; margin-top: 48px; border-top: 1px solid var(--line); padding-top: 8px; }
@media print { figure.chart, table { break-inside: avoid; } .table-wrap { overflow: visible; } }
`;
