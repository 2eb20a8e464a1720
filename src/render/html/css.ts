/**
 * The page's one stylesheet: system fonts only (no font is fetched), colours as custom properties with a dark set
 * for prefers-color-scheme, tables that become labelled cards on a phone, and an A4 print layout.
 */
export const CSS = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--panel:#f6f8fa;
--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--accent:#0969da;--lease:#8250df;--grid:#eaeef2}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#8d96a0;--line:#30363d;--panel:#161b22;
--ok:#3fb950;--bad:#f85149;--warn:#d29922;--accent:#58a6ff;--lease:#bc8cff;--grid:#21262d}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",
"Liberation Sans",Arial,sans-serif}
main{max-width:76rem;margin:0 auto;padding:1.5rem 1.5rem 3rem}
h1{font-size:1.35rem;line-height:1.3;margin:0 0 .4rem;overflow-wrap:anywhere}
h2{font-size:1.05rem;margin:2rem 0 .6rem;padding-bottom:.25rem;border-bottom:1px solid var(--line)}
p{margin:.4rem 0}
/* A path or URL in running text (the notes, the retest step) is one long word: break it rather than scroll. */
p,li{overflow-wrap:break-word}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.88em}
code{overflow-wrap:anywhere}
td code{overflow-wrap:normal}
code.etag{white-space:nowrap}
pre{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:.6rem .8rem;margin:.4rem 0;
white-space:pre-wrap;overflow-wrap:anywhere}
.copy{user-select:all;-webkit-user-select:all}
.muted{color:var(--muted)}
.meta{color:var(--muted);font-size:.9rem;overflow-wrap:anywhere}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:999px;font-weight:600;font-size:.85rem;
border:1px solid currentColor;white-space:nowrap}
.bad{color:var(--bad)}.ok{color:var(--ok)}.warn{color:var(--warn)}.lease{color:var(--lease)}.accent{color:var(--accent)}
.verdict{margin:1rem 0;padding:.8rem 1rem;border-left:4px solid var(--bad);background:var(--panel);border-radius:4px}
.verdict.good{border-left-color:var(--ok)}
.verdict strong{font-size:1.05rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0;font-size:.92rem}
th,td{text-align:left;vertical-align:top;padding:.35rem .55rem;border-bottom:1px solid var(--line)}
th{font-weight:600;color:var(--muted);font-size:.85rem}
tr.self td{background:color-mix(in srgb,var(--bad) 9%,transparent)}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td[data-label="caller and user agent"]{min-width:16rem}
td .ua{color:var(--muted);font-size:.85em}
ol.steps li,ol.fix li{margin:.3rem 0}
.states{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:.8rem}
.card{border:1px solid var(--line);border-radius:6px;padding:.6rem .8rem;background:var(--panel);min-width:0}
.card h3{margin:0 0 .3rem;font-size:.9rem;color:var(--muted)}
.chart{display:grid;grid-template-columns:minmax(6.5rem,15rem) minmax(0,1fr);margin:.4rem 0;
border:1px solid var(--line);border-radius:6px;padding:.2rem .6rem .2rem .4rem;background:var(--bg)}
.chart>svg{display:block;width:100%;overflow:visible}
.labels{min-width:0}
.lane-label{height:34px;display:flex;flex-direction:column;justify-content:center;padding-right:.5rem;
font-size:.8rem;line-height:1.2}
.lane-label span{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.lane-label .ua{color:var(--muted);font-size:.72rem}
.axis text,.tick{fill:var(--muted);font-size:11px}
.lane-bg{fill:transparent}.lane-bg.alt{fill:var(--grid)}
.gridline{stroke:var(--line);stroke-width:1}
.y-tick{paint-order:stroke;stroke:var(--bg);stroke-width:3px;stroke-linejoin:round}
.failure-line{stroke:var(--bad);stroke-width:1.5;stroke-dasharray:4 3}
.mark circle{stroke:var(--bg);stroke-width:1.5}
.mark.ok circle{fill:var(--ok)}
.mark.failed circle{fill:var(--bg);stroke:var(--warn);stroke-width:2.5}
.mark.self .cross{stroke:var(--bad);stroke-width:3.5;stroke-linecap:round}
.mark.self circle{fill:none;stroke:var(--bad);stroke-width:2}
.mark.link circle{stroke:var(--accent);stroke-width:3}
.etag-link{stroke:var(--accent);stroke-width:2;fill:none}
.arrowhead{fill:var(--accent)}
.etag-label{fill:var(--accent);font-size:11px;font-family:ui-monospace,Menlo,Consolas,monospace}
.lease-bar{fill:color-mix(in srgb,var(--lease) 35%,transparent);stroke:var(--lease);stroke-width:1.5}
.lease-bar.ended-expired{stroke-dasharray:5 3}
.lease-bar.ended-broken{stroke:var(--bad)}
.lease-end.broken{stroke:var(--bad);stroke-width:3}
.lease-end.released{stroke:var(--lease);stroke-width:3}
.lease-end.expired,.lease-end.changed{stroke:var(--muted);stroke-width:2;stroke-dasharray:2 2}
.renew{stroke:var(--lease);stroke-width:2}
.legend{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;font-size:.82rem;color:var(--muted);margin:.2rem 0 .6rem}
.legend svg{vertical-align:middle;margin-right:.3rem}
.chain{display:flex;flex-wrap:wrap;align-items:stretch;gap:.4rem;margin:.4rem 0}
.chain .card{flex:1 1 14rem}
.chain .arrow{align-self:center;font-size:1.4rem;color:var(--accent)}
.chain a{color:var(--accent)}
.chain .card.self{border-color:var(--bad)}
.bar-cell{display:block;min-width:6rem}
.bar-cell svg{display:block;width:100%;height:12px}
.bar{fill:var(--accent)}.bar.bad{fill:var(--bad)}
.rate-chart{display:block;width:100%;border:1px solid var(--line);border-radius:6px;overflow:visible}
.deploy-line{stroke:var(--warn);stroke-width:2;stroke-dasharray:6 4}
.deploy-label{fill:var(--warn);font-size:12px;font-weight:600}
.rate-bar{fill:var(--bad)}.req-bar{fill:var(--grid)}
footer{margin-top:3rem;color:var(--muted);font-size:.8rem}
@media (max-width:640px){
main{padding:1rem .75rem 2rem}
body{font-size:14px}
.chart{grid-template-columns:minmax(5.5rem,8.5rem) minmax(0,1fr)}
.chain{flex-direction:column}
.chain .arrow{transform:rotate(90deg)}
.axis text:nth-of-type(even),.etag-label{display:none}
table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:100%}
table.cards thead{display:none}
table.cards tr{border:1px solid var(--line);border-radius:6px;margin:.5rem 0;padding:.3rem .5rem}
table.cards td{border:0;padding:.15rem 0}
table.cards td::before{content:attr(data-label);display:block;font-size:.75rem;color:var(--muted)}
table.cards td.num{text-align:left}
td code,code.etag{white-space:normal;overflow-wrap:anywhere}
}
@page{size:A4;margin:14mm}
@media print{
:root{color-scheme:light;--bg:#fff;--fg:#000;--muted:#444;--line:#bbb;--panel:#f4f4f4;--grid:#eee}
body{font-size:10pt}
main{max-width:none;padding:0}
section,.card,tr,.chart{break-inside:avoid}
h2{break-after:avoid}
*{print-color-adjust:exact;-webkit-print-color-adjust:exact}
}
`;
