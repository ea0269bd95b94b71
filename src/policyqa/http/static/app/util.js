// Small helpers shared by the page's modules. Text from the server only ever becomes text nodes.

export const $ = (id) => document.getElementById(id);

export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function sectionPath(c) {
  return Array.isArray(c.section) ? c.section.filter(Boolean).join(" › ") : "";
}

export function fmtMs(ms) {
  if (typeof ms !== "number" || !isFinite(ms)) return "";
  return ms >= 1000 ? (ms / 1000).toFixed(2) + " 秒" : Math.round(ms) + " 毫秒";
}

const pad = (n) => String(n).padStart(2, "0");

// "2026年12月2日 14:05" in the browser's time zone; "" for a value that is not a date.
export function fmtDate(value, withYear = true) {
  const d = value instanceof Date ? value : new Date(value);
  if (isNaN(d.getTime())) return "";
  const day = `${d.getMonth() + 1}月${d.getDate()}日`;
  return `${withYear ? d.getFullYear() + "年" : ""}${day} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function stamp(d = new Date()) {
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}`;
}

export function randomId() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// Offsets from the server count Unicode code points (Python); JS strings index UTF-16 units.
export function unitMapper(text) {
  if (!/[\uD800-\uDFFF]/.test(text)) return (i) => i;
  const map = [];
  let unit = 0;
  for (const ch of text) { map.push(unit); unit += ch.length; }
  map.push(unit);
  return (i) => map[Math.max(0, Math.min(i, map.length - 1))];
}
