// Talking to the service: JSON calls with the API key, and the SSE chat stream that OpenAI clients use.

const KEY = "policyqa.apiKey";

export function apiKey() {
  try { return sessionStorage.getItem(KEY) || ""; } catch (e) { return ""; }
}

export function setApiKey(value) {
  try { sessionStorage.setItem(KEY, value.trim()); } catch (e) { /* private mode: kept for no one */ }
}

export class ApiError extends Error {
  constructor(message, status, type) { super(message); this.status = status; this.type = type; }
}

function headers(extra) {
  const out = Object.assign({ "Accept": "application/json" }, extra || {});
  const key = apiKey();
  if (key) out["Authorization"] = "Bearer " + key;
  return out;
}

async function send(path, options) {
  try {
    return await fetch(path, Object.assign({}, options, { headers: headers(options.headers) }));
  } catch (err) {
    if (err && err.name === "AbortError") throw err;
    throw new ApiError("无法连接服务器，请检查网络或服务是否运行。", 0, "network_error");
  }
}

async function failure(response) {
  const data = await response.json().catch(() => null);
  const error = data && data.error;
  const message = (error && error.message) || ("服务器返回错误 HTTP " + response.status);
  return new ApiError(message, response.status, (error && error.type) || "http_error");
}

export async function api(path, options = {}) {
  const response = await send(path, options);
  if (!response.ok) throw await failure(response);
  const data = await response.json().catch(() => null);
  if (data === null) throw new ApiError("服务器返回的不是 JSON。", response.status, "bad_response");
  return data;
}

export function postJson(path, body, options = {}) {
  return api(path, Object.assign({
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  }, options));
}

// The chat endpoint with stream:true. onText(piece) gets each piece of text as it arrives; the promise
// resolves with the last chunk, which carries policyqa's structured answer (citations, confidence …).
export async function streamChat(messages, { signal, onText }) {
  const response = await send("/v1/chat/completions", {
    method: "POST",
    headers: { "Content-Type": "application/json", "Accept": "text/event-stream" },
    body: JSON.stringify({ model: "policyqa", stream: true, messages }),
    signal,
  });
  if (!response.ok) throw await failure(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let final = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const event = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      for (const line of event.split("\n")) {
        if (!line.startsWith("data: ")) continue;
        const data = line.slice(6);
        if (data === "[DONE]") return finish(final);
        const chunk = JSON.parse(data);
        const choice = (chunk.choices || [])[0] || {};
        if (choice.delta && choice.delta.content) onText(choice.delta.content);
        if (choice.finish_reason) final = chunk;
      }
    }
  }
  return finish(final);
}

function finish(final) {
  if (!final) throw new ApiError("回答不完整：连接在回答结束前中断。", 0, "incomplete_stream");
  return final;
}
