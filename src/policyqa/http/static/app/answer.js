// One answer: its text with [n] markers, its references, how well it is supported, and its actions.
import { openCitation } from "./docview.js";
import { feedbackBar } from "./feedback.js";
import { copyText, turnMarkdown } from "./markdown.js";
import { el, fmtMs, sectionPath } from "./util.js";

// The chat stream's text is Markdown made inert (see openai_chat.markdown_safe); shown as plain text.
function plain(text) {
  return text.replace(/\\([[\]])/g, "$1").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

// The answer as it streams in: the text so far, and a cursor while more is coming.
export function streamingView() {
  const text = el("p", { class: "answer-text" });
  const box = el("div", { class: "answer streaming", "aria-busy": "true" }, text);
  let received = "";
  return {
    box,
    add(piece) {
      received += piece;
      // A piece may end inside an escape ("&l" of "&lt;", or the "\\" of "\\["): hold that back.
      text.textContent = plain(received.replace(/(\\|&[a-z]{0,3})$/, ""));
    },
  };
}

function answerText(answer, byN, box) {
  const text = el("p", { class: "answer-text" });
  const marker = /\[(\d+)\]/g;
  let last = 0;
  let m;
  while ((m = marker.exec(answer)) !== null) {
    if (m.index > last) text.append(answer.slice(last, m.index));
    const c = byN.get(Number(m[1]));
    if (c) {
      text.append(el("button", {
        type: "button", class: "cite-marker", dataset: { n: String(c.n) },
        "aria-label": `引用 ${c.n}：${c.title}${sectionPath(c) ? "，" + sectionPath(c) : ""}`,
        title: `${c.title}${sectionPath(c) ? " › " + sectionPath(c) : ""}`,
        onclick: (ev) => openCitation(c, ev.currentTarget, box),
      }, `[${c.n}]`));
    } else {
      text.append(m[0]);
    }
    last = marker.lastIndex;
  }
  if (last < answer.length) text.append(answer.slice(last));
  return text;
}

function referenceList(list, abstained, box) {
  const id = "refs-" + Math.random().toString(36).slice(2, 9);
  const ol = el("ol", { class: "refs" + (abstained ? " related" : ""), "aria-labelledby": id });
  list.forEach((c, i) => {
    const path = sectionPath(c);
    const label = abstained ? String(i + 1) : String(c.n);
    const snippet = abstained ? c.text : c.quote;
    ol.append(el("li", null, el("button", {
      type: "button", class: "ref", dataset: { n: label }, onclick: (ev) => openCitation(c, ev.currentTarget, box),
    },
    el("span", { class: "ref-n" }, `[${label}]`),
    el("span", { class: "ref-title" }, c.title || c.doc_id),
    path ? el("span", { class: "ref-path" }, " › " + path) : null,
    snippet ? el("span", { class: abstained ? "ref-excerpt" : "ref-quote" }, snippet) : null,
    el("span", { class: "ref-id" }, c.doc_id))));
  });
  return [el("h3", { class: "refs-title", id }, abstained ? "可能相关的段落" : "参考资料"), ol];
}

function metaLine(data, turn) {
  const meta = el("p", { class: "meta" });
  const words = data.confidence_words;
  if (words && !data.abstained) {
    meta.append(el("span", null, el("span", {
      class: "support " + words.level, tabindex: "0",
      title: `置信度 ${Number(words.confidence).toFixed(2)}：${words.hint}`,
    }, words.words)));
  }
  const timing = data.timing_ms || {};
  if (typeof timing.total === "number") {
    const parts = Object.entries(timing).filter(([k]) => k !== "total").map(([k, v]) => `${k} ${fmtMs(v)}`);
    meta.append(el("span", { title: `服务端 ${parts.join("，")}` }, "用时 " + fmtMs(timing.total)));
  }
  if (turn.history.length && data.query && data.query !== turn.question) {
    meta.append(el("span", { class: "query" }, "结合上文检索：" + data.query));
  }
  return meta;
}

// hooks.saveTurn(turn) persists the turn after its feedback changed.
export function renderAnswer(turn, hooks) {
  const data = turn.data || {};
  const abstained = Boolean(data.abstained);
  const citations = Array.isArray(data.citations) ? data.citations : [];
  const related = Array.isArray(data.related) ? data.related : [];
  const box = el("div", { class: "answer" + (abstained ? " abstained" : ""), dataset: { turn: turn.id } });
  box.append(answerText(String(data.answer || ""), new Map(citations.map((c) => [Number(c.n), c])), box));
  const list = abstained ? related : citations;
  if (list.length) box.append(...referenceList(list, abstained, box));
  const meta = metaLine(data, turn);
  if (meta.childNodes.length) box.append(meta);

  const note = el("span", { class: "action-note", role: "status" });
  const copy = el("button", { type: "button", class: "btn copy", title: "复制答案及参考资料" }, "复制");
  copy.addEventListener("click", async () => {
    const ok = await copyText(turnMarkdown(turn));
    note.className = "action-note" + (ok ? "" : " bad");
    note.textContent = ok ? "已复制答案及参考资料" : "复制失败，请手动选择文字复制";
  });
  const actions = el("div", { class: "actions" }, copy);
  box.append(actions);
  feedbackBar(turn, actions, note, box, hooks.saveTurn);
  return box;
}
