// The list of past conversations: reopen one, or delete it.
import * as store from "./store.js";
import { $, el, fmtDate } from "./util.js";

const ui = { layout: $("layout"), list: $("conv-list"), toggle: $("toggle-sidebar"), exportChat: $("export-chat") };
const narrow = window.matchMedia("(max-width: 900px)");

export function renderList(currentId, { open, remove }) {
  const items = store.conversations();
  ui.list.replaceChildren();
  if (!items.length) {
    ui.list.append(el("li", { class: "conv-empty" }, "还没有对话记录"));
  }
  for (const c of items) {
    const current = c.id === currentId;
    ui.list.append(el("li", { class: "conv-item" + (current ? " current" : ""), dataset: { id: c.id } },
      el("button", {
        type: "button", class: "conv-open", "aria-current": current ? "true" : null,
        title: c.title, onclick: () => { open(c.id); hideOnNarrow(); },
      }, el("span", { class: "conv-title" }, c.title), el("span", { class: "conv-date" },
        `${fmtDate(c.updated)} · ${c.turns.length} 问`)),
      el("button", {
        type: "button", class: "conv-delete", "aria-label": `删除对话：${c.title}`, title: "删除此对话",
        onclick: () => { if (window.confirm(`删除对话“${c.title}”？删除后无法恢复。`)) remove(c.id); },
      }, "×")));
  }
  ui.exportChat.disabled = !currentId || !items.some((c) => c.id === currentId);
}

function hideOnNarrow() {
  if (narrow.matches) {
    ui.layout.classList.remove("show-sidebar");
    ui.toggle.setAttribute("aria-expanded", "false");
  }
}

// On a wide screen the list is shown unless hidden; on a narrow one it slides in over the chat.
ui.toggle.addEventListener("click", () => {
  const cls = narrow.matches ? "show-sidebar" : "no-sidebar";
  const on = ui.layout.classList.toggle(cls);
  ui.toggle.setAttribute("aria-expanded", String(narrow.matches ? on : !on));
});

function syncToggle() {
  const shown = narrow.matches ? ui.layout.classList.contains("show-sidebar") : !ui.layout.classList.contains("no-sidebar");
  ui.toggle.setAttribute("aria-expanded", String(shown));
}
narrow.addEventListener("change", syncToggle);
syncToggle();
