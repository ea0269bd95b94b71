// The document library: what is indexed, and (for administrators) upload, delete and rebuild with the
// progress of each rebuild. Every change is a job on the server; the page follows it until it is done.
import { api, setApiKey } from "./api.js";
import { $, el } from "./util.js";

const ui = {
  dialog: $("library"), open: $("open-library"), close: $("library-close"), rows: $("doc-rows"),
  tools: $("library-tools"), file: $("upload-file"), upload: $("upload"), rebuild: $("rebuild"),
  note: $("library-note"), jobs: $("jobs"), keyRow: $("admin-key-row"), key: $("admin-key"), keySave: $("admin-key-save"),
};
const POLL_MS = 600;
let admin = null;  // {max_upload_bytes, accepted} when this key may manage documents
let changed = () => {};
const followed = new Set();

export function initLibrary(options) {
  changed = options.changed;
  ui.open.addEventListener("click", openLibrary);
  ui.close.addEventListener("click", () => ui.dialog.close());
  ui.upload.addEventListener("click", upload);
  ui.rebuild.addEventListener("click", () => start(api("/api/admin/rebuild", { method: "POST" }), "重建索引"));
  ui.keySave.addEventListener("click", () => { setApiKey(ui.key.value); ui.key.value = ""; load(); });
  ui.key.addEventListener("keydown", (ev) => { if (ev.key === "Enter") { ev.preventDefault(); ui.keySave.click(); } });
}

export function openLibrary() {
  if (!ui.dialog.open) ui.dialog.showModal();
  load();
}

function setNote(text, bad = false) {
  ui.note.textContent = text;
  ui.note.classList.toggle("bad", bad);
}

async function load() {
  ui.rows.setAttribute("aria-busy", "true");
  try {
    await loadAdmin();
    renderRows((await api("/api/documents")).documents);
  } catch (err) {
    ui.rows.replaceChildren(el("tr", null, el("td", { colspan: "5" }, "文件列表载入失败：" + err.message)));
  } finally {
    ui.rows.removeAttribute("aria-busy");
  }
}

async function loadAdmin() {
  try {
    const info = await api("/api/admin/jobs");
    admin = info;
    ui.keyRow.hidden = true;
    ui.tools.hidden = false;
    ui.file.setAttribute("accept", info.accepted.join(","));
    setNote(`可上传 ${info.accepted.join(" ")} 文件，每个不超过 ${Math.floor(info.max_upload_bytes / 1048576)} MB；上传后自动重建索引。`);
    info.jobs.filter((j) => j.state !== "done" && j.state !== "failed").forEach((j) => follow(j, j.file || j.kind));
  } catch (err) {
    admin = null;
    ui.tools.hidden = true;
    const locked = err && (err.status === 401 || err.status === 403);
    ui.keyRow.hidden = !locked;
    const why = err && err.status === 403 ? "上传或删除文件需要管理员密钥；当前密钥只能查看。"
      : locked ? "查看文件列表需要 API 密钥；上传或删除文件需要管理员密钥。" : "文件管理暂不可用：" + err.message;
    setNote(why, !locked);
  }
}

function renderRows(documents) {
  const sorted = documents.slice().sort((a, b) =>
    String((b.metadata || {}).year || "").localeCompare(String((a.metadata || {}).year || "")) || a.title.localeCompare(b.title, "zh"));
  ui.rows.replaceChildren(...sorted.map((d) => {
    const meta = d.metadata || {};
    const remove = admin && !String(d.source).includes("#") && documents.length > 1
      ? el("button", { type: "button", class: "btn delete-doc", "aria-label": `删除《${d.title}》`, onclick: () => confirmDelete(d) }, "删除")
      : null;
    return el("tr", { dataset: { docId: d.doc_id } },
      el("td", null, el("div", { class: "doc-name" }, d.title), el("div", { class: "src" }, d.source)),
      el("td", null, meta.year ? String(meta.year) : "–"),
      el("td", null, meta.issuer ? String(meta.issuer) : "–"),
      el("td", { class: "num" }, String(d.passages)),
      el("td", null, remove));
  }));
}

function confirmDelete(doc) {
  if (!window.confirm(`删除《${doc.title}》？\n文件 ${doc.source} 将从文件库移除，并重建索引。`)) return;
  const path = "/api/admin/documents/" + String(doc.doc_id).split("/").map(encodeURIComponent).join("/");
  start(api(path, { method: "DELETE" }), `删除《${doc.title}》`);
}

function upload() {
  const file = ui.file.files && ui.file.files[0];
  if (!file) return setNote("请先选择文件。", true);
  const dot = file.name.lastIndexOf(".");
  const suffix = dot >= 0 ? file.name.slice(dot).toLowerCase() : "";
  if (admin && !admin.accepted.includes(suffix)) return setNote(`不支持的文件类型 ${suffix || "（无扩展名）"}。`, true);
  if (admin && file.size > admin.max_upload_bytes) return setNote("文件过大，未上传。", true);
  const body = new FormData();
  body.append("file", file, file.name);
  start(api("/api/admin/documents", { method: "POST", body }), `上传 ${file.name}`);
  ui.file.value = "";
}

async function start(request, label) {
  const box = el("div", { class: "job", role: "status" }, `${label}：正在提交…`);
  ui.jobs.prepend(box);
  try {
    const reply = await request;
    follow(reply.job, label, box);
  } catch (err) {
    box.className = "job failed";
    box.dataset.state = "failed";
    box.textContent = `${label}：未完成——${err.message}（文件库保持原样）`;
  }
}

async function follow(job, label, box) {
  if (followed.has(job.id)) return;
  followed.add(job.id);
  box = box || ui.jobs.appendChild(el("div", { class: "job", role: "status" }));
  box.dataset.job = job.id;
  for (;;) {
    show(box, job, label);
    if (job.state === "done" || job.state === "failed") break;
    await new Promise((r) => setTimeout(r, POLL_MS));
    try { job = await api("/api/admin/jobs/" + job.id); } catch (err) { job = Object.assign({}, job, { state: "failed", error: err.message }); }
  }
  followed.delete(job.id);
  if (job.state === "done") { load(); changed(); }
}

function show(box, job, label) {
  box.className = "job " + job.state;
  box.dataset.state = job.state;
  const report = job.report || {};
  let text;
  if (job.state === "failed") text = `${label}：未完成——${job.error}（文件库保持原样）`;
  else if (job.state !== "done") text = `${label}：${job.stage}…（${Math.round(job.elapsed_s)} 秒）`;
  else if (report.unchanged) text = `${label}：索引已是最新，无需更新（共 ${report.documents} 份文件）。`;
  else if (job.kind === "upload") text = `${label}：已收录，现在可以就该文件提问（共 ${report.documents} 份文件，${report.chunks} 个段落）。`;
  else text = `${label}：已完成（共 ${report.documents} 份文件，${report.chunks} 个段落）。`;
  box.replaceChildren(text + (job.state === "done" && job.error ? `（提示：${job.error}）` : ""));
  if (job.progress && job.state === "running") {
    box.append(el("progress", { max: String(job.progress.total), value: String(job.progress.done) },
      `${job.progress.done}/${job.progress.total}`));
  }
}
