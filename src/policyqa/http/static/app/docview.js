// The document panel: the whole cleaned document, the cited passage marked and the quote inside it.
import { api } from "./api.js";
import { $, el, sectionPath, unitMapper } from "./util.js";

const ui = {
  layout: $("layout"), panel: $("doc-panel"), title: $("doc-title"), meta: $("doc-meta"), where: $("doc-where"),
  note: $("doc-note"), body: $("doc-body"), close: $("doc-close"), locate: $("doc-locate"),
};
const docs = new Map();  // doc_id -> Promise<document>, cleared when the index version changes
let request = 0;
let trigger = null;  // the element that opened the panel, for focus return

function docUrl(docId) {
  // Ids may contain "/": encode each path segment, keep the separators.
  return "/api/documents/" + String(docId).split("/").map(encodeURIComponent).join("/");
}

function getDocument(docId) {
  let promise = docs.get(docId);
  if (!promise) {
    promise = api(docUrl(docId));
    docs.set(docId, promise);
    promise.catch(() => docs.delete(docId));
  }
  return promise;
}

export function forgetDocuments() { docs.clear(); }

function markActive(from, scope) {
  document.querySelectorAll(".cite-marker.active, .ref.active").forEach((n) => {
    n.classList.remove("active");
    n.removeAttribute("aria-current");
  });
  if (!from) return;
  const n = from.dataset.n;
  scope.querySelectorAll(`.cite-marker[data-n="${n}"], .refs:not(.related) .ref[data-n="${n}"]`).forEach((b) => {
    b.classList.add("active");
    b.setAttribute("aria-current", "true");
  });
  from.classList.add("active");
  from.setAttribute("aria-current", "true");
}

export async function openCitation(c, from, scope) {
  const mine = ++request;
  trigger = from;
  markActive(from, scope);
  ui.panel.hidden = false;
  ui.layout.classList.add("with-doc");
  ui.title.textContent = c.title || c.doc_id;
  ui.meta.textContent = c.doc_id;
  ui.where.textContent = sectionPath(c) ? "位置：" + sectionPath(c) : "";
  ui.note.hidden = true;
  ui.body.className = "doc-body loading";
  ui.body.setAttribute("aria-busy", "true");
  ui.body.textContent = "正在载入原文…";
  ui.title.focus({ preventScroll: true });
  try {
    const doc = await getDocument(c.doc_id);
    if (mine === request) render(doc, c);
  } catch (err) {
    if (mine !== request) return;
    ui.body.className = "doc-body failed";
    ui.body.textContent = "原文载入失败：" + ((err && err.message) || String(err));
  } finally {
    if (mine === request) ui.body.removeAttribute("aria-busy");
  }
}

function render(doc, c) {
  const text = String(doc.text || "");
  const toUnit = unitMapper(text);
  const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
  let ps = clamp(toUnit(Number(c.start) || 0), 0, text.length);
  let pe = clamp(toUnit(Number(c.end) || 0), ps, text.length);
  let qs = toUnit(Number(c.quote_start) || 0);
  let qe = toUnit(Number(c.quote_end) || 0);
  let note = "";
  if (c.text && text.slice(ps, pe) !== c.text) {
    // Offsets disagree with the passage (the document changed since): find the passage by its text.
    const found = text.indexOf(c.text);
    if (found >= 0) {
      qs += found - ps; qe += found - ps;
      ps = found; pe = found + c.text.length;
    } else {
      note = "提示：原文已更新，高亮位置可能不准确。";
    }
  }
  qs = clamp(qs, ps, pe);
  qe = clamp(qe, qs, pe);

  const meta = doc.metadata || {};
  const facts = [meta.doc_number, meta.issuer, meta.region, meta.date || meta.year, doc.source || doc.doc_id]
    .filter((v) => v !== undefined && v !== null && String(v).trim() !== "").map(String);
  ui.title.textContent = doc.title || doc.doc_id;
  ui.meta.textContent = facts.join(" · ");
  ui.note.textContent = note;
  ui.note.hidden = !note;

  const passage = el("mark", { class: "passage" });
  if (qe > qs) {
    passage.append(text.slice(ps, qs), el("mark", { class: "quote" }, text.slice(qs, qe)), text.slice(qe, pe));
  } else {
    passage.append(text.slice(ps, pe));
  }
  ui.body.className = "doc-body";
  ui.body.replaceChildren(document.createTextNode(text.slice(0, ps)), passage,
    document.createTextNode(text.slice(pe)));
  requestAnimationFrame(locate);
}

function locate() {
  const target = ui.body.querySelector("mark.quote") || ui.body.querySelector("mark.passage");
  if (target) target.scrollIntoView({ block: "center", inline: "nearest" });
}

export function closePanel() {
  if (ui.panel.hidden) return;
  request++;
  ui.panel.hidden = true;
  ui.layout.classList.remove("with-doc");
  markActive(null);
  if (trigger && document.contains(trigger)) trigger.focus();
  trigger = null;
}

ui.close.addEventListener("click", closePanel);
ui.locate.addEventListener("click", locate);
