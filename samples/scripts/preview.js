#!/usr/bin/env node
// A rough preview of a sample page as HTML, to eyeball the samples in
// Chromium (see preview.sh). It is NOT a reference renderer and knows only
// what the samples use: it runs the page's JS with a tiny App/Page/setData
// stub (onLoad, timers up to WAIT_MS, path keys like 'a[1].b'), expands the
// WXML (bindings, wx:if/elif/else, wx:for, block, template/import/include)
// into HTML, converts rpx to px for a 375 px wide screen, and adds Skyline's
// defaults (display:flex, column, border-box, position:relative). Text nodes
// become blocks, nested text becomes inline, image modes become object-fit.
// Usage: node preview.js APP_DIR ROUTE[?QUERY] WAIT_MS OUT.html
'use strict';
const fs = require('fs');
const path = require('path');

const [appDir, route, waitMsArg, outFile] = process.argv.slice(2);
const waitMs = Number(waitMsArg || 0);
const WIDTH = 375;

// ---------- logic layer stub ----------
let appObj = {};
let pageObj = null;
global.App = (o) => { appObj = o; };
global.getApp = () => appObj;
global.Page = (o) => { pageObj = o; };
global.wx = { navigateTo() {}, navigateBack() {}, redirectTo() {} };
require(path.resolve(appDir, 'app.js'));
if (appObj.onLaunch) appObj.onLaunch({});
const [routePath, queryString] = route.split('?');
require(path.resolve(appDir, routePath + '.js'));
const page = pageObj;
page.data = JSON.parse(JSON.stringify(page.data || {}));
page.setData = function (patch) {
  for (const key of Object.keys(patch)) {
    const parts = key.replace(/\[(\d+)\]/g, '.$1').split('.');
    let target = this.data;
    for (let i = 0; i < parts.length - 1; i++) target = target[parts[i]];
    target[parts[parts.length - 1]] = patch[key];
  }
};
const query = {};
if (queryString) for (const kv of queryString.split('&')) { const [k, v] = kv.split('='); query[k] = decodeURIComponent(v || ''); }
if (page.onLoad) page.onLoad(query);

// ---------- WXML parsing ----------
function parseWxml(src) {
  const root = { tag: '#root', attrs: {}, children: [] };
  const stack = [root];
  let i = 0;
  while (i < src.length) {
    if (src.startsWith('<!--', i)) { i = src.indexOf('-->', i) + 3; continue; }
    if (src[i] === '<' && src[i + 1] === '/') {
      const end = src.indexOf('>', i);
      stack.pop();
      i = end + 1;
      continue;
    }
    if (src[i] === '<') {
      const m = /^<([a-zA-Z][\w-]*)/.exec(src.slice(i));
      const node = { tag: m[1], attrs: {}, children: [] };
      i += m[0].length;
      for (;;) {
        while (/\s/.test(src[i])) i++;
        if (src[i] === '/' && src[i + 1] === '>') { i += 2; stack[stack.length - 1].children.push(node); break; }
        if (src[i] === '>') { i += 1; stack[stack.length - 1].children.push(node); stack.push(node); break; }
        const am = /^([^\s=/>]+)(\s*=\s*("([^"]*)"|'([^']*)'))?/.exec(src.slice(i));
        node.attrs[am[1]] = am[2] ? (am[4] !== undefined ? am[4] : am[5]) : '';
        i += am[0].length;
      }
      continue;
    }
    let end = src.indexOf('<', i);
    // A '<' inside {{ }} is an operator, not a tag.
    while (end !== -1) {
      const before = src.slice(i, end);
      if ((before.match(/\{\{/g) || []).length > (before.match(/\}\}/g) || []).length) end = src.indexOf('<', end + 1);
      else break;
    }
    if (end === -1) end = src.length;
    stack[stack.length - 1].children.push({ tag: '#text', text: src.slice(i, end) });
    i = end;
  }
  return root;
}

function evalExpr(expr, scope) {
  const body = expr.trim();
  const looksLikeObject = /^\.\.\.|^[\w$]+\s*:|^[\w$]+\s*,/.test(body);
  const code = looksLikeObject ? '({' + body + '})' : '(' + body + ')';
  try {
    // eslint-disable-next-line no-new-func
    return new Function('__s', 'with (__s) { return ' + code + '; }')(new Proxy(scope, {
      has: (t, k) => typeof k === 'string' && !(k in globalThis && !(k in t)),
      get: (t, k) => t[k],
    }));
  } catch (e) {
    return undefined;
  }
}

function interpolate(value, scope) {
  const whole = /^\{\{([\s\S]*)\}\}$/.exec(value);
  if (whole && whole[1].indexOf('}}') === -1) return evalExpr(whole[1], scope);
  return value.replace(/\{\{([\s\S]*?)\}\}/g, (_, e) => {
    const v = evalExpr(e, scope);
    return v === undefined || v === null ? '' : String(v);
  });
}

const templates = {};
function loadFile(file) { return fs.readFileSync(path.join(appDir, file), 'utf8'); }
function resolve(from, target) {
  if (target.startsWith('/')) return target.slice(1);
  return path.posix.normalize(path.posix.join(path.posix.dirname(from), target));
}
function collectTemplates(tree, file) {
  for (const n of tree.children) {
    if (n.tag === 'template' && n.attrs.name) templates[n.attrs.name] = n;
    if (n.tag === 'import') collectTemplates(parseWxml(loadFile(resolve(file, n.attrs.src))), resolve(file, n.attrs.src));
  }
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function renderChildren(children, scope, file, inText) {
  let out = '';
  let chainDone = false;
  for (const n of children) {
    if (n.tag === '#text') {
      const t = interpolate(n.text, scope);
      const s = t === undefined || t === null ? '' : String(t);
      if (s.trim()) out += inText ? esc(s) : '<span class="wx-raw">' + esc(s.trim()) + '</span>';
      continue;
    }
    if ('wx:if' in n.attrs) {
      chainDone = false;
      if (!interpolate(n.attrs['wx:if'], scope)) continue;
      chainDone = true;
    } else if ('wx:elif' in n.attrs) {
      if (chainDone || !interpolate(n.attrs['wx:elif'], scope)) continue;
      chainDone = true;
    } else if ('wx:else' in n.attrs) {
      if (chainDone) continue;
    }
    if ('wx:for' in n.attrs) {
      const list = interpolate(n.attrs['wx:for'], scope) || [];
      const itemName = n.attrs['wx:for-item'] || 'item';
      const indexName = n.attrs['wx:for-index'] || 'index';
      const rest = Object.assign({}, n, { attrs: Object.assign({}, n.attrs) });
      delete rest.attrs['wx:for'];
      list.forEach((item, index) => {
        const s = Object.create(scope);
        s[itemName] = item;
        s[indexName] = index;
        out += renderNode(rest, s, file, inText);
      });
      continue;
    }
    out += renderNode(n, scope, file, inText);
  }
  return out;
}

function renderNode(n, scope, file, inText) {
  switch (n.tag) {
    case 'block':
      return renderChildren(n.children, scope, file, inText);
    case 'import':
    case 'wxs':
      return '';
    case 'template': {
      if (n.attrs.name) return '';
      const name = interpolate(n.attrs.is, scope);
      const data = n.attrs.data ? interpolate(n.attrs.data, scope) : {};
      return templates[name] ? renderChildren(templates[name].children, Object.assign({}, data), file, inText) : '';
    }
    case 'include': {
      const inc = resolve(file, n.attrs.src);
      const tree = parseWxml(loadFile(inc));
      return renderChildren(tree.children.filter((c) => c.tag !== 'template'), scope, inc, inText);
    }
    default: {
      const tag = n.tag === 'text' ? 'span' : n.tag === 'image' ? 'img' : 'div';
      const classes = ['wx-' + n.tag];
      let attrs = '';
      for (const [k, v] of Object.entries(n.attrs)) {
        if (k.startsWith('wx:') || k.startsWith('bind') || k.startsWith('catch') || k === 'hover-class') continue;
        const val = interpolate(v, scope);
        if (k === 'class') { classes.push(String(val || '')); continue; }
        if (k === 'src') { attrs += ' src="' + esc(path.join(path.resolve(appDir), String(val))) + '"'; continue; }
        if (k === 'mode') { classes.push('mode-' + val); continue; }
        attrs += ' ' + k + '="' + esc(val) + '"';
      }
      if (inText && n.tag === 'text') classes.push('wx-text-inner');
      const open = '<' + tag + ' class="' + esc(classes.join(' ').trim()) + '"' + rpxAttrs(attrs) + '>';
      if (tag === 'img') return open;
      return open + renderChildren(n.children, scope, file, inText || n.tag === 'text') + '</' + tag + '>';
    }
  }
}

function rpx(css) { return css.replace(/(-?[\d.]+)rpx/g, (_, n) => (Number(n) * WIDTH / 750) + 'px'); }
const rpxAttrs = rpx;
function loadWxss(file) {
  let css;
  try { css = loadFile(file); } catch (e) { return ''; }
  return css.replace(/@import\s+"([^"]+)";/g, (_, f) => loadWxss(resolve(file, f)));
}

function render() {
  const file = routePath + '.wxml';
  const tree = parseWxml(loadFile(file));
  collectTemplates(tree, file);
  const body = renderChildren(tree.children, page.data, file, false);
  const css = rpx(loadWxss('app.wxss') + '\n' + loadWxss(routePath + '.wxss'));
  const defaults = `
    html, body { margin: 0; padding: 0; width: ${WIDTH}px; font-family: "DejaVu Sans", "Noto Sans CJK SC", sans-serif; font-size: 16px; }
    div, span, img { display: flex; flex-direction: column; box-sizing: border-box; position: relative; flex-shrink: 1; min-width: 0; }
    span { display: block; }
    .wx-text-inner { display: inline; }
    img { width: 320px; height: 240px; }
    img.mode-aspectFill { object-fit: cover; }
    img.mode-aspectFit { object-fit: contain; }
    img.mode-widthFix { height: auto; }
  `;
  // Chromium clamps lines only with display:-webkit-box, which Skyline's WXSS
  // does not have; the preview adds it to the article's clamped title.
  const clampFix = '.title { display: -webkit-box; -webkit-box-orient: vertical; }';
  const html = `<!doctype html><html><head><meta charset="utf-8"><style>${defaults}</style><style>${css}</style><style>${clampFix}</style></head><body>${body}</body></html>`;
  fs.writeFileSync(outFile, html);
}

setTimeout(render, waitMs);
