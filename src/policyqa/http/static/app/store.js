// Conversations kept in this browser's localStorage (see README: "Where conversations are kept").
//
// A conversation is {id, title, created, updated, turns: [{id, question, history, asked, data, feedback}]},
// where data is the structured answer as the service sent it. Nothing here leaves the browser except
// what the official chooses to send as feedback.

const KEY = "policyqa.conversations.v1";
const CURRENT = "policyqa.current.v1";
export const MAX_CONVERSATIONS = 100;
const TITLE_CHARS = 40;

function read() {
  try {
    const parsed = JSON.parse(localStorage.getItem(KEY) || "[]");
    return Array.isArray(parsed) ? parsed.filter((c) => c && c.id && Array.isArray(c.turns)) : [];
  } catch (e) {
    return [];  // unreadable (or storage disabled): start empty rather than fail the page
  }
}

// Write the newest conversations; when the browser's quota is full, drop the oldest until they fit.
// Returns false when some had to be dropped (or nothing could be stored).
function write(list) {
  const sorted = list.slice().sort((x, y) => String(y.updated).localeCompare(String(x.updated)))
    .slice(0, MAX_CONVERSATIONS);
  for (let n = sorted.length; n >= 0; n--) {
    try {
      localStorage.setItem(KEY, JSON.stringify(sorted.slice(0, n)));
      return n === sorted.length;
    } catch (e) { /* quota exceeded: drop the oldest and try again */ }
  }
  return false;
}

export function conversations() {
  return read().sort((a, b) => String(b.updated).localeCompare(String(a.updated)));
}

export function get(id) {
  return read().find((c) => c.id === id) || null;
}

export function titleOf(question) {
  const text = String(question || "").replace(/\s+/g, " ").trim();
  return text.length > TITLE_CHARS ? text.slice(0, TITLE_CHARS - 1) + "…" : text || "新对话";
}

// Save (insert or replace) one conversation; returns whether everything still fits.
export function save(conversation) {
  conversation.updated = new Date().toISOString();
  const list = read().filter((c) => c.id !== conversation.id);
  list.push(conversation);
  return write(list);
}

export function remove(id) {
  write(read().filter((c) => c.id !== id));
  if (currentId() === id) setCurrentId(null);
}

export function currentId() {
  try { return localStorage.getItem(CURRENT); } catch (e) { return null; }
}

export function setCurrentId(id) {
  try {
    if (id) localStorage.setItem(CURRENT, id); else localStorage.removeItem(CURRENT);
  } catch (e) { /* storage disabled: the conversation lives as long as the tab */ }
}
