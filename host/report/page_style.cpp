// The report's CSS: system fonts, a readable measure, cards in a grid, print rules.
#include "report/page_style.hpp"

namespace segmint::report {

const char* page_css() {
  return R"CSS(
:root{--ink:#1d232b;--muted:#5b6672;--line:#d9dee4;--bg:#f6f7f9;--card:#fff}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
header,main,footer{max-width:1180px;margin:0 auto;padding:0 24px}
header{padding-top:28px}
h1{font-size:28px;margin:0 0 4px}
h2{font-size:21px;margin:0 0 4px}
h3{font-size:17px;margin:0 0 2px}
.facts,.lead,.note,.size{color:var(--muted)}
.note{font-size:13px}
nav ul{list-style:none;padding:0;margin:12px 0 0;display:flex;flex-wrap:wrap;gap:6px 18px}
nav a{color:#0b5cab;text-decoration:none;border-bottom:1px solid #b7cde6}
section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:20px 22px;margin:20px 0}
svg.chart{width:100%;height:auto;display:block;font-size:12px}
#size-chart{max-width:760px}
#projection-chart{max-width:680px}
#nightly-size-chart{max-width:760px}
svg text{fill:var(--ink)}
.bar-label{font-weight:600}
.chart-title{font-weight:600;font-size:13px}
.grid{stroke:#e6e9ed}
.frame{fill:none;stroke:var(--line)}
.mark{stroke:#222;stroke-dasharray:4 3}
.mark-label{font-weight:600}
.small-multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:16px}
.swatch{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:6px;vertical-align:baseline}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:4px 16px;font-size:13px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:16px}
.card{border:1px solid var(--line);border-top:5px solid;border-radius:6px;padding:14px 16px;break-inside:avoid;page-break-inside:avoid}
.card .size{margin:0;font-size:13px}
.sentence{margin:8px 0 10px}
table{border-collapse:collapse}
.values{width:100%;font-size:13px}
.values th,.values td{padding:2px 4px;border-bottom:1px solid #eef0f3;text-align:right}
.values td{white-space:nowrap}
.values th[scope=row]{text-align:left;font-weight:normal;color:var(--muted)}
.values .population{color:var(--muted)}
.traits-title{margin:10px 0 2px;font-size:13px;font-weight:600}
.traits{margin:0;padding-left:18px;font-size:13px}
.traits .up::marker{content:"\25B2  ";color:#b2182b}
.traits .down::marker{content:"\25BC  ";color:#2166ac}
.table-scroll{overflow-x:auto}
.heatmap,.migrations{font-size:13px;font-variant-numeric:tabular-nums}
.heatmap th,.heatmap td,.migrations th,.migrations td{border:1px solid #fff;padding:3px 8px}
.heatmap thead th,.migrations thead th{vertical-align:bottom;text-align:center;font-weight:600;max-width:110px}
.heatmap tbody th,.migrations tbody th{text-align:left;font-weight:normal;white-space:nowrap}
.heatmap td,.migrations td{text-align:center;min-width:64px}
.migrations td.stay{outline:2px solid #1d232b;outline-offset:-2px;font-weight:600}
svg.legend-scale{width:340px;height:40px;display:block;margin-top:8px;font-size:11px}
footer{color:var(--muted);font-size:12px;padding-bottom:28px}
@media (max-width:640px){header,main,footer{padding:0 10px}section{padding:14px}}
@media print{
 body{background:#fff;font-size:11pt}
 section{border:none;padding:0;margin:0 0 14pt;break-inside:auto}
 nav{display:none}
 .card{border-top-width:4px}
 .table-scroll{overflow:visible}
 h2{break-after:avoid}
}
)CSS";
}

}  // namespace segmint::report
