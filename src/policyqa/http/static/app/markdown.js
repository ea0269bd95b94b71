// An answer, or a whole conversation, as Markdown: for the clipboard and for export to a file.
import { fmtDate, sectionPath, stamp } from "./util.js";

function references(data) {
  const cited = Array.isArray(data.citations) ? data.citations : [];
  const related = Array.isArray(data.related) ? data.related : [];
  const list = data.abstained ? related : cited;
  if (!list.length) return [];
  const lines = ["", data.abstained ? "可能相关的段落：" : "参考资料：", ""];
  list.forEach((c, i) => {
    const n = data.abstained ? i + 1 : c.n;
    const path = sectionPath(c);
    const where = `${c.title || c.doc_id}${path ? " › " + path : ""}`;
    const quote = (data.abstained ? c.text : c.quote) || "";
    lines.push(`${n}. [${n}] 《${where}》${quote ? "：“" + quote.replace(/\s+/g, " ").trim() + "”" : ""}（${c.doc_id}）`);
  });
  return lines;
}

function support(data) {
  const w = data.confidence_words;
  if (!w || data.abstained) return [];
  return ["", `依据：${w.words}（置信度 ${Number(w.confidence).toFixed(2)}）`];
}

// One question and its answer; the [n] markers in the answer match the numbered references.
export function turnMarkdown(turn, heading = "") {
  const data = turn.data || {};
  return [
    `${heading}问：${turn.question}`,
    "",
    String(data.answer || ""),
    ...support(data),
    ...references(data),
  ].join("\n");
}

export function conversationMarkdown(conversation) {
  const versions = [...new Set(conversation.turns.map((t) => t.data && t.data.index_version).filter(Boolean))];
  const parts = [
    `# 政策问答记录：${conversation.title}`,
    "",
    `- 导出时间：${fmtDate(new Date())}`,
    `- 对话开始：${fmtDate(conversation.created)}`,
    versions.length ? `- 文件库版本：${versions.join("、")}` : null,
    "- 说明：答案均摘自已收录的文件，[n] 对应文末参考资料。",
  ].filter((x) => x !== null);
  conversation.turns.forEach((turn, i) => parts.push("", turnMarkdown(turn, `## ${i + 1}. `)));
  return parts.join("\n") + "\n";
}

export function exportName(conversation) {
  const safe = String(conversation.title || "对话").replace(/[\\/:*?"<>|\s]+/g, "_").slice(0, 30);
  return `政策问答-${stamp(new Date(conversation.created || Date.now()))}-${safe}.md`;
}

export function download(filename, text) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/markdown;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// The clipboard API where the page is a secure context (https or this machine), else the old way.
export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try { await navigator.clipboard.writeText(text); return true; } catch (e) { /* fall through */ }
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.append(area);
  area.select();
  let ok = false;
  try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
  area.remove();
  return ok;
}
