"use strict";
let input = null; // {name, bytes}
const $ = (id) => document.getElementById(id);
function current() {
  if (input) return input;
  const text = $("paste").value;
  if (!text.trim()) return null;
  return { name: "", pasted: true, bytes: new TextEncoder().encode(text) };
}
function query(extra) {
  const c = current();
  const p = new URLSearchParams({ name: c.name, edition: $("edition").value, ...extra });
  return p.toString();
}
function esc(s) { const d = document.createElement("div"); d.textContent = s; return d.innerHTML; }
async function failure(resp) {
  if (resp.status === 413) return "文件过大（上限 16 MB） / file too large (limit 16 MB)";
  try { const j = await resp.json(); return j.error_zh + " / " + j.error_en; }
  catch (e) { return "请求失败 / request failed (" + resp.status + ")"; }
}
async function recognize() {
  const c = current();
  if (!c) { $("status").innerHTML = '<span class="error">请先粘贴报告或选择文件 / paste a report or choose a file first</span>'; return; }
  $("status").textContent = "识别中… / recognizing…";
  const resp = await fetch("/api/recognize?" + query({}), { method: "POST", body: c.bytes, headers: { "X-Xxgk-Request": "1" } });
  if (!resp.ok) { $("status").innerHTML = '<span class="error">' + esc(await failure(resp)) + "</span>"; return; }
  const data = await resp.json();
  let html = "";
  let n = 0;
  for (const r of data.reports) {
    html += '<section class="report" data-report="' + n++ + '">';
    const info = r.report;
    html += "<h2>" + esc(info.title || info.agency || "报告 / report") + "</h2>";
    html += "<p>版本 / edition: " + esc(info.edition) + (info.report_year ? "　年度 / year: " + info.report_year : "") + "</p>";
    if (r.findings.length) {
      html += '<h3>勾稽关系问题 / consistency findings (' + r.findings.length + ')</h3><ul class="findings">';
      for (const f of r.findings) {
        // Each finding leads to its highlighted cell in the table below.
        let where = "";
        if (f.form_cell) where += '<a href="#" class="goto" data-path="' + esc(f.field) + '">表中位置 / on the form: ' + esc(f.form_cell) + "</a>";
        if (f.input_at) where += ' <span class="at">原文位置 / in the input: ' + esc(f.input_at) + "</span>";
        html += "<li>" + esc(f.message_zh) + '<br><span class="en">' + esc(f.message_en) + "</span>" + (where ? "<br>" + where : "") + "</li>";
      }
      html += "</ul>";
    } else {
      html += '<p id="clean">未发现勾稽关系问题 / no consistency findings</p>';
    }
    if (r.diagnostics.length) {
      html += "<details><summary>识别提示 / recognition notes (" + r.diagnostics.length + ")</summary><ul>";
      for (const d of r.diagnostics) html += "<li>" + esc(d.message_zh) + '<br><span class="en">' + esc(d.message_en) + "</span></li>";
      html += "</ul></details>";
    }
    html += r.tables_html + "</section>";
  }
  $("result").innerHTML = html;
  $("status").textContent = "完成 / done: " + data.reports.length + " 份报告 / report(s)";
  for (const b of document.querySelectorAll("button.dl")) b.disabled = false;
}
async function download(to) {
  const c = current();
  if (!c) return;
  const resp = await fetch("/api/convert?" + query({ to }), { method: "POST", body: c.bytes, headers: { "X-Xxgk-Request": "1" } });
  if (!resp.ok) { $("status").innerHTML = '<span class="error">' + esc(await failure(resp)) + "</span>"; return; }
  const blob = await resp.blob();
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  const base = c.name ? c.name.replace(/\.[^.]*$/, "") : "report";
  a.download = base + "." + to;
  document.body.appendChild(a);
  a.click();
  a.remove();
}
$("result").addEventListener("click", (e) => {
  const a = e.target.closest("a.goto");
  if (!a) return;
  e.preventDefault();
  const section = a.closest("section.report");
  const cell = section && [...section.querySelectorAll("td[data-path]")].find((td) => td.dataset.path === a.dataset.path);
  if (!cell) return;
  cell.scrollIntoView({ block: "center" });
  cell.classList.remove("flash");
  void cell.offsetWidth;
  cell.classList.add("flash");
  cell.focus && cell.setAttribute("tabindex", "-1");
  cell.focus && cell.focus();
});
$("go").addEventListener("click", recognize);
for (const b of document.querySelectorAll("button.dl")) b.addEventListener("click", () => download(b.dataset.to));
$("paste").addEventListener("input", () => { input = null; $("file").value = ""; });
async function take(file) {
  input = { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
  $("status").textContent = "已选择 / chosen: " + file.name;
}
$("file").addEventListener("change", (e) => { if (e.target.files[0]) take(e.target.files[0]); });
const drop = $("drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); if (e.dataTransfer.files[0]) take(e.dataTransfer.files[0]); });
