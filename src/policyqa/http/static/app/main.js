// The chat page: asking (the answer streams in), conversations kept in this browser, the index status in
// plain words, and example questions from the current documents.
import { api, setApiKey, streamChat } from "./api.js";
import { renderAnswer, streamingView } from "./answer.js";
import { closePanel, forgetDocuments } from "./docview.js";
import { initLibrary } from "./library.js";
import { conversationMarkdown, download, exportName } from "./markdown.js";
import { renderList } from "./sidebar.js";
import * as store from "./store.js";
import { $, el, fmtDate, randomId } from "./util.js";

window.__policyqaStarted = true;
const MAX_HISTORY = 10;  // earlier questions sent with a follow-up
const STATUS_EVERY_MS = 60000;
const ui = {
  conversation: $("conversation"), welcome: $("welcome"), examples: $("examples"), form: $("ask-form"),
  question: $("question"), ask: $("ask"), formError: $("form-error"), newChat: $("new-chat"),
  status: $("index-status"), keyRow: $("key-row"), apiKey: $("api-key"), keySave: $("key-save"),
  exportChat: $("export-chat"),
};
const state = {
  conversation: null,  // the open conversation (store format), null until its first answer
  busy: false,
  controller: null,    // AbortController of the request in flight
  epoch: 0,            // bumped when the conversation changes, so late answers of another one are dropped
  indexVersion: null,
  retry: null,         // {question, article} to resend after an API key is entered
};

// ---------- status and examples ----------
async function refreshStatus() {
  try {
    const response = await fetch("/readyz", { headers: { "Accept": "application/json" } });
    const data = await response.json().catch(() => null);
    if (response.ok && data && data.status === "ready") {
      const when = fmtDate(data.updated);
      ui.status.className = "status ok";
      ui.status.textContent = `已收录 ${data.documents} 份文件` + (when ? `，更新于 ${when}` : "");
      ui.status.title = `共 ${data.chunks} 个段落 · 索引版本 ${data.index_version} · 模型 ${data.model}`;
      if (data.index_version !== state.indexVersion) {
        if (state.indexVersion !== null) forgetDocuments();
        state.indexVersion = data.index_version;
        loadExamples();
      }
    } else {
      ui.status.className = "status bad";
      ui.status.textContent = "文件库暂不可用：" + ((data && data.error && data.error.message) || "HTTP " + response.status);
      ui.status.title = ui.status.textContent;
    }
  } catch (err) {
    ui.status.className = "status bad";
    ui.status.textContent = ui.status.title = "无法连接服务器";
  }
}

async function loadExamples() {
  try {
    const data = await api("/api/examples");
    ui.examples.replaceChildren(...data.questions.map((q) =>
      el("li", null, el("button", { class: "btn example", type: "button", onclick: () => ask(q) }, q))));
  } catch (err) {
    ui.examples.replaceChildren();  // no examples (e.g. a key is needed first): the page works without them
  }
}

// ---------- conversations ----------
function refreshList() {
  renderList(state.conversation && state.conversation.id, { open: openConversation, remove: removeConversation });
}

function resetView() {
  state.epoch++;
  if (state.controller) state.controller.abort();
  state.controller = null;
  setBusy(false);
  closePanel();
  ui.conversation.querySelectorAll(".turn").forEach((t) => t.remove());
  showFormError("");
}

function newConversation() {
  resetView();
  state.conversation = null;
  store.setCurrentId(null);
  ui.welcome.hidden = false;
  ui.question.value = "";
  autosize();
  refreshList();
  ui.question.focus();
}

function openConversation(id) {
  const conversation = store.get(id);
  if (!conversation) return newConversation();
  resetView();
  state.conversation = conversation;
  store.setCurrentId(id);
  ui.welcome.hidden = conversation.turns.length > 0;
  for (const turn of conversation.turns) {
    const { article, bubble } = turnView(turn.question);
    bubble.replaceChildren(renderAnswer(turn, { saveTurn }));
    ui.conversation.append(article);
  }
  ui.conversation.scrollTop = ui.conversation.scrollHeight;
  refreshList();
}

function removeConversation(id) {
  store.remove(id);
  if (state.conversation && state.conversation.id === id) newConversation();
  else refreshList();
}

function saveTurn() {
  if (!state.conversation) return;
  if (!store.save(state.conversation)) showFormError("浏览器存储空间已满：较早的对话未能保存，可先导出后删除。");
  refreshList();
}

ui.exportChat.addEventListener("click", () => {
  if (state.conversation) download(exportName(state.conversation), conversationMarkdown(state.conversation));
});

// ---------- asking ----------
function showFormError(message) {
  ui.formError.textContent = message;
  ui.formError.hidden = !message;
}

function setBusy(busy) {
  state.busy = busy;
  ui.ask.disabled = busy;
  ui.ask.textContent = busy ? "检索中…" : "提问";
  ui.form.setAttribute("aria-busy", busy ? "true" : "false");
}

function turnView(question) {
  const bubble = el("div", { class: "bubble" });
  const article = el("article", { class: "turn", "aria-label": "问答" },
    el("div", { class: "msg user" }, el("span", { class: "who", "aria-hidden": "true" }, "问"),
      el("div", { class: "bubble" }, el("span", { class: "visually-hidden" }, "问题："), question)),
    el("div", { class: "msg bot" }, el("span", { class: "who", "aria-hidden": "true" }, "答"), bubble));
  return { article, bubble };
}

function scrollToTurn(turn) {
  ui.conversation.scrollTop = Math.max(0, turn.offsetTop - ui.conversation.offsetTop - 12);
}

async function ask(raw) {
  const question = (raw || "").trim();
  if (state.busy) return;
  if (!question) {
    showFormError("请输入问题后再提问。");
    ui.question.focus();
    return;
  }
  showFormError("");
  ui.welcome.hidden = true;
  ui.question.value = "";
  autosize();

  const epoch = state.epoch;
  const earlier = state.conversation ? state.conversation.turns.map((t) => t.question) : [];
  const history = earlier.slice(-MAX_HISTORY);
  const { article, bubble } = turnView(question);
  bubble.append(el("div", { class: "answer pending", role: "status" },
    el("span", { class: "spinner", "aria-hidden": "true" }), "正在检索资料并组织答案…"));
  ui.conversation.append(article);
  scrollToTurn(article);

  setBusy(true);
  const controller = new AbortController();
  state.controller = controller;
  let view = null;
  try {
    const messages = [...history, question].map((content) => ({ role: "user", content }));
    const final = await streamChat(messages, {
      signal: controller.signal,
      onText: (piece) => {
        if (epoch !== state.epoch) return;
        if (!view) { view = streamingView(); bubble.replaceChildren(view.box); }
        view.add(piece);
      },
    });
    if (epoch !== state.epoch) return;
    const data = {};
    for (const k of ["answer", "abstained", "citations", "related", "confidence", "confidence_words", "query",
      "timing_ms", "index_version"]) data[k] = final[k];
    const turn = { id: randomId(), question, history, asked: new Date().toISOString(), data, feedback: null };
    if (!state.conversation) {
      const now = new Date().toISOString();
      state.conversation = { id: randomId(), title: store.titleOf(question), created: now, updated: now, turns: [] };
      store.setCurrentId(state.conversation.id);
    }
    state.conversation.turns.push(turn);
    saveTurn();
    bubble.replaceChildren(renderAnswer(turn, { saveTurn }));
    if (data.index_version && data.index_version !== state.indexVersion) refreshStatus();
  } catch (err) {
    if (epoch !== state.epoch || (err && err.name === "AbortError")) return;
    bubble.replaceChildren(el("div", { class: "answer error", role: "alert" },
      el("p", { class: "answer-text" }, "出错了：" + ((err && err.message) || String(err)))));
    if (err && err.status === 401) {
      state.retry = { question, article };
      ui.keyRow.hidden = false;
      ui.apiKey.focus();
    } else if (!ui.question.value) {
      ui.question.value = question;  // give the question back to edit
      autosize();
    }
  } finally {
    if (state.controller === controller) {
      state.controller = null;
      setBusy(false);
    }
  }
  scrollToTurn(article);
}

function autosize() {
  ui.question.style.height = "auto";
  ui.question.style.height = Math.min(ui.question.scrollHeight + 2, window.innerHeight * 0.4) + "px";
}

// ---------- wiring ----------
ui.form.addEventListener("submit", (ev) => { ev.preventDefault(); ask(ui.question.value); });
ui.question.addEventListener("keydown", (ev) => {
  // Enter asks; Shift+Enter is a newline; Enter that confirms an IME candidate is left alone.
  if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing && ev.keyCode !== 229) {
    ev.preventDefault();
    ask(ui.question.value);
  }
});
ui.question.addEventListener("input", () => { autosize(); if (ui.question.value.trim()) showFormError(""); });
ui.newChat.addEventListener("click", newConversation);
document.addEventListener("keydown", (ev) => { if (ev.key === "Escape" && !$("library").open) closePanel(); });
ui.keySave.addEventListener("click", () => {
  setApiKey(ui.apiKey.value);
  ui.keyRow.hidden = true;
  ui.apiKey.value = "";
  forgetDocuments();
  loadExamples();
  const retry = state.retry;
  state.retry = null;
  if (retry) {
    retry.article.remove();  // the refused turn gives way to the answered one
    ask(retry.question);
  } else {
    ui.question.focus();
  }
});
ui.apiKey.addEventListener("keydown", (ev) => { if (ev.key === "Enter") { ev.preventDefault(); ui.keySave.click(); } });
initLibrary({ changed: refreshStatus });

const last = store.currentId();
if (last && store.get(last)) openConversation(last); else refreshList();
refreshStatus();
setInterval(() => { if (!document.hidden) refreshStatus(); }, STATUS_EVERY_MS);
ui.question.focus();
