// 👍 / 👎 on an answer, with an optional comment, the right answer, or "the documents do not say".
// Stored by the service (POST /api/feedback) and exported by evaluators as eval questions.
import { postJson } from "./api.js";
import { el } from "./util.js";

function payload(turn, rating, extra) {
  const data = turn.data || {};
  const cited = Array.isArray(data.citations) ? data.citations : [];
  return Object.assign({
    id: turn.id,
    rating,
    question: turn.question,
    history: turn.history,
    answer: String(data.answer || ""),
    abstained: Boolean(data.abstained),
    confidence: typeof data.confidence === "number" ? data.confidence : null,
    citations: cited.map((c) => ({
      n: c.n, doc_id: c.doc_id, title: c.title || "", section: c.section || [], quote: c.quote || "",
      quote_start: c.quote_start || 0, quote_end: c.quote_end || 0,
    })),
    index_version: data.index_version || null,
  }, extra);
}

function form(onSubmit, onCancel) {
  const comment = el("textarea", { rows: "2", maxlength: "2000", name: "comment" });
  const correction = el("input", { type: "text", maxlength: "2000", name: "correction" });
  const refuse = el("input", { type: "checkbox", name: "should_refuse" });
  const send = el("button", { type: "submit", class: "btn primary" }, "提交反馈");
  const node = el("form", { class: "feedback-form", "aria-label": "反馈答案的问题" },
    el("label", null, "哪里不对？（可选）", comment),
    el("label", null, "正确答案（可选；最好从原文中摘录关键数字或句子）", correction),
    el("label", { class: "check" }, refuse, "资料中没有这个问题的答案，应回答“未找到”"),
    el("div", { class: "row" }, send, el("button", { type: "button", class: "btn", onclick: onCancel }, "取消")));
  node.addEventListener("submit", (ev) => {
    ev.preventDefault();
    send.disabled = true;
    onSubmit({ comment: comment.value.trim(), correction: correction.value.trim(), should_refuse: refuse.checked })
      .finally(() => { send.disabled = false; });
  });
  return { node, focus: () => comment.focus() };
}

// A thumb drawn here rather than an emoji: office machines often lack a colour emoji font.
const THUMB = "M2 10h4v11H2z M8 21h9.5a2 2 0 0 0 2-1.6l1.4-7A2 2 0 0 0 19 10h-5l.8-4.2A1.8 1.8 0 0 0 13 3.6L8 10z";

function thumb(down) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "14");
  svg.setAttribute("height", "14");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "thumb");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", THUMB);
  path.setAttribute("fill", "currentColor");
  if (down) path.setAttribute("transform", "rotate(180 12 12)");
  svg.append(path);
  return svg;
}

export function feedbackBar(turn, actions, note, box, saveTurn) {
  const up = el("button", { type: "button", class: "btn rate-up", "aria-pressed": "false", title: "答案有帮助" },
    thumb(false), " 有帮助");
  const down = el("button", { type: "button", class: "btn rate-down", "aria-pressed": "false", title: "答案有误或不完整" },
    thumb(true), " 有问题");
  let open = null;

  function show(rating) {
    up.setAttribute("aria-pressed", String(rating === "up"));
    down.setAttribute("aria-pressed", String(rating === "down"));
  }

  async function send(rating, extra) {
    note.className = "action-note";
    note.textContent = "正在提交…";
    try {
      await postJson("/api/feedback", payload(turn, rating, extra || {}));
    } catch (err) {
      note.className = "action-note bad";
      note.textContent = "反馈未能提交：" + ((err && err.message) || String(err));
      return false;
    }
    turn.feedback = Object.assign({ rating }, extra || {});
    saveTurn(turn);
    show(rating);
    note.textContent = rating === "up" ? "已记录：有帮助，谢谢！" : "已记录，谢谢指正！评估人员会据此改进。";
    return true;
  }

  function closeForm() {
    if (open) open.node.remove();
    open = null;
  }

  up.addEventListener("click", () => { closeForm(); send("up"); });
  down.addEventListener("click", () => {
    if (open) return open.focus();
    open = form(async (extra) => { if (await send("down", extra)) closeForm(); }, closeForm);
    box.append(open.node);
    open.focus();
  });
  show(turn.feedback && turn.feedback.rating);
  actions.append(up, down, note);
}
