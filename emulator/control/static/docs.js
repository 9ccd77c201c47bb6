// Renders /_emulator/openapi.json: operations by tag, their servers, parameters, bodies and
// answers, schemas written out as compact type trees. No library, no network beyond the emulator.
"use strict";

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function resolve(spec, schema) {
  while (schema && schema.$ref) schema = spec.components.schemas[schema.$ref.split("/").pop()];
  return schema || {};
}

function typeText(spec, schema, depth, seen) {
  const name = schema && schema.$ref ? schema.$ref.split("/").pop() : null;
  schema = resolve(spec, schema);
  const pad = "  ".repeat(depth);
  if (name && (seen.has(name) || depth > 4)) return name;
  const next = name ? new Set([...seen, name]) : seen;
  if (schema.oneOf) return schema.oneOf.map((s) => typeText(spec, s, depth, next)).join(" | ");
  if (schema.type === "array") return `[${typeText(spec, schema.items || {}, depth, next)}]`;
  if (schema.properties) {
    const required = new Set(schema.required || []);
    const lines = Object.entries(schema.properties).map(([key, value]) =>
      `${pad}  ${key}${required.has(key) ? "" : "?"}: ${typeText(spec, value, depth + 1, next)}`);
    return `${name ? name + " " : ""}{\n${lines.join("\n")}\n${pad}}`;
  }
  if (schema.type === "object" && schema.additionalProperties && schema.additionalProperties !== true) {
    return `{string: ${typeText(spec, schema.additionalProperties, depth, next)}}`;
  }
  let text = schema.type || "any";
  if (schema.enum) text += ` (${schema.enum.map((v) => JSON.stringify(v)).join(", ")})`;
  if (schema.format) text += ` <${schema.format}>`;
  return text;
}

function operation(spec, path, method, op, servers) {
  const body = el("div", { class: "body" });
  if (op.description) body.append(el("p", {}, op.description));
  body.append(el("p", { class: "sum" }, "Servers: ", ...servers.map((s, i) =>
    el("span", {}, i ? " · " : "", el("code", {}, s.url), ` (${s.description || ""})`))));
  if (op.parameters && op.parameters.length) {
    body.append(el("h3", {}, "Parameters"), el("ul", { class: "params" }, ...op.parameters.map((p) =>
      el("li", {}, el("code", {}, p.name), ` in ${p.in}${p.required ? ", required" : ""}: `,
        typeText(spec, p.schema || {}, 0, new Set()), p.description ? ` — ${p.description}` : ""))));
  }
  if (op.requestBody) {
    for (const [type, media] of Object.entries(op.requestBody.content)) {
      body.append(el("h3", {}, `Body (${type})`), el("div", { class: "schema" }, typeText(spec, media.schema || {}, 0, new Set())));
    }
  }
  body.append(el("h3", {}, "Answers"));
  for (const [status, answer] of Object.entries(op.responses)) {
    body.append(el("p", {}, el("b", {}, status), ` ${answer.description}`,
      answer.headers ? ` (headers: ${Object.keys(answer.headers).join(", ")})` : ""));
    for (const [type, media] of Object.entries(answer.content || {})) {
      body.append(el("div", { class: "schema" }, `${type}: ${typeText(spec, media.schema || {}, 0, new Set())}`));
    }
  }
  return el("details", { class: "op", id: op.operationId },
    el("summary", {}, el("span", { class: `verb verb-${method}` }, method.toUpperCase()),
      el("span", { class: "route" }, path), el("span", { class: "sum" }, op.summary || "")), body);
}

async function main() {
  const spec = await (await fetch("openapi.json")).json();
  const article = document.getElementById("api");
  const toc = document.getElementById("toc");
  article.replaceChildren(el("h2", {}, `${spec.info.title} ${spec.info.version}`), el("p", {}, spec.info.description));
  let count = 0;
  for (const tag of spec.tags) {
    const section = el("section", { id: `tag-${tag.name}` }, el("h2", {}, tag.description || tag.name));
    toc.append(el("a", { href: `#tag-${tag.name}` }, tag.description || tag.name));
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (method === "servers" || !op.tags.includes(tag.name)) continue;
        section.append(operation(spec, path, method, op, item.servers || spec.servers));
        count += 1;
      }
    }
    article.append(section);
  }
  article.firstChild.textContent += ` · ${count} operations`;
}

main().catch((e) => { document.getElementById("api").textContent = `Could not load openapi.json: ${e}`; });
