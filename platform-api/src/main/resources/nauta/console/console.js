// Nauta's built-in console: reads the cluster through the Kubernetes API with the user's bearer
// token (kept in this tab's sessionStorage, sent only in the Authorization header), lists and then
// watches nodes, pods, deployments and events as an informer does (list, watch from the list's
// resourceVersion, relist on 410 Gone), and renders them. Read-only: it never writes an object.
// Text from the cluster is only ever set as textContent, never parsed as HTML.
'use strict';

const TOKEN_KEY = 'nauta.console.token';
const NAMESPACE_KEY = 'nauta.console.namespace';
const METRICS_PERIOD_MS = 5000;
const EVENTS_SHOWN = 25;

const $ = (id) => document.getElementById(id);

let session = null; // {token, namespace, controller, collections, metrics}

class AuthError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** The message of a Kubernetes Status body, or the HTTP status line. */
async function statusMessage(response) {
  try {
    const body = await response.json();
    if (body && body.message) return body.message;
  } catch (e) {
    // not a Status
  }
  return response.status + ' ' + response.statusText;
}

async function apiFetch(path, options = {}) {
  const headers = Object.assign(
    { Authorization: 'Bearer ' + session.token, Accept: 'application/json' },
    options.headers || {});
  const response = await fetch(path, Object.assign({}, options, {
    headers, signal: session.controller.signal, cache: 'no-store', credentials: 'omit' }));
  if (response.status === 401) {
    throw new AuthError(401, await statusMessage(response));
  }
  return response;
}

async function getJson(path) {
  const response = await apiFetch(path);
  if (!response.ok) {
    const error = new Error(await statusMessage(response));
    error.status = response.status;
    throw error;
  }
  return response.json();
}

function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

/**
 * One resource kept in sync as an informer keeps it: list, then watch from the list's
 * resourceVersion (bookmarks move it on), watch again from the last one when a watch ends, list
 * again when the server answers 410 Gone (the version left its window).
 */
class Collection {
  constructor(name, path, onChange, onError) {
    this.name = name;
    this.path = path;
    this.onChange = onChange;
    this.onError = onError;
    this.items = new Map();
    this.synced = false;
  }

  static key(o) {
    return (o.metadata.namespace || '') + '/' + o.metadata.name;
  }

  async run(signal) {
    let backoff = 500;
    while (!signal.aborted) {
      try {
        await this.list();
        backoff = 500;
        await this.watch(signal);
      } catch (e) {
        if (signal.aborted) return;
        if (e instanceof AuthError) {
          signOut(e.status === 401
            ? 'The server no longer accepts this token (401 Unauthorized): it may have expired. Sign in with a new one.'
            : e.message);
          return;
        }
        this.onError(e);
        await sleep(e.status === 403 ? 10000 : backoff, signal);
        backoff = Math.min(backoff * 2, 10000);
      }
    }
  }

  async list() {
    const list = await getJson(this.path);
    this.items = new Map((list.items || []).map((o) => [Collection.key(o), o]));
    this.resourceVersion = list.metadata.resourceVersion;
    this.synced = true;
    this.onError(null);
    this.onChange();
  }

  /** Returns when the collection must be listed again (410 Gone). */
  async watch(signal) {
    while (!signal.aborted) {
      const sep = this.path.includes('?') ? '&' : '?';
      const response = await apiFetch(this.path + sep + 'watch=1&allowWatchBookmarks=true&resourceVersion='
        + encodeURIComponent(this.resourceVersion));
      if (response.status === 410) return;
      if (!response.ok) {
        const error = new Error(await statusMessage(response));
        error.status = response.status;
        throw error;
      }
      setLive(true);
      const opened = Date.now();
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let newline;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          if (line && this.apply(JSON.parse(line)) === 'relist') {
            reader.cancel();
            return;
          }
        }
      }
      // The server ended the watch (its timeout): watch again from where this one got to, not
      // in a tight loop if it keeps ending them at once.
      if (Date.now() - opened < 1000) await sleep(1000, signal);
    }
  }

  apply(event) {
    const o = event.object;
    if (event.type === 'ERROR') {
      if (o && o.code === 410) return 'relist';
      throw new Error((o && o.message) || 'watch error');
    }
    if (o && o.metadata && o.metadata.resourceVersion) {
      this.resourceVersion = o.metadata.resourceVersion;
    }
    if (event.type === 'BOOKMARK') return null;
    if (event.type === 'DELETED') this.items.delete(Collection.key(o));
    else this.items.set(Collection.key(o), o);
    this.onChange();
    return null;
  }

  values() {
    return [...this.items.values()];
  }
}

// ---- quantities ---------------------------------------------------------------------------

const SUFFIXES = {
  '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5, Ei: 1024 ** 6,
};

/** A Kubernetes quantity ("250m", "1.5", "128Mi", "1e3") as a number; 0 when absent. */
function quantity(s) {
  if (s === undefined || s === null) return 0;
  const m = String(s).match(/^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/);
  if (!m || !(m[2] in SUFFIXES)) return 0;
  return parseFloat(m[1]) * SUFFIXES[m[2]];
}

function cpu(cores) {
  return cores < 1 ? Math.round(cores * 1000) + 'm' : (Math.round(cores * 100) / 100) + '';
}

function memory(bytes) {
  if (bytes >= 1024 ** 3) return (Math.round(bytes / 1024 ** 3 * 10) / 10) + 'Gi';
  return Math.round(bytes / 1024 ** 2) + 'Mi';
}

// ---- pods and selectors --------------------------------------------------------------------

function podRequests(pod) {
  let c = 0;
  let mem = 0;
  for (const container of (pod.spec && pod.spec.containers) || []) {
    const r = (container.resources && container.resources.requests) || {};
    c += quantity(r.cpu);
    mem += quantity(r.memory);
  }
  return { cpu: c, memory: mem };
}

/** What kubectl's STATUS column says of a pod. */
function podStatus(pod) {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  const status = pod.status || {};
  for (const cs of status.containerStatuses || []) {
    const waiting = cs.state && cs.state.waiting;
    if (waiting && waiting.reason) return waiting.reason;
    const terminated = cs.state && cs.state.terminated;
    if (terminated && terminated.reason && status.phase !== 'Succeeded') return terminated.reason;
  }
  return status.phase || 'Pending';
}

function podReady(pod) {
  const statuses = (pod.status && pod.status.containerStatuses) || [];
  const total = ((pod.spec && pod.spec.containers) || []).length;
  return statuses.filter((s) => s.ready).length + '/' + total;
}

function podRestarts(pod) {
  return ((pod.status && pod.status.containerStatuses) || [])
    .reduce((n, s) => n + (s.restartCount || 0), 0);
}

function matches(selector, labels) {
  if (!selector) return false;
  labels = labels || {};
  for (const [k, v] of Object.entries(selector.matchLabels || {})) {
    if (labels[k] !== v) return false;
  }
  for (const e of selector.matchExpressions || []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values || [];
    if (e.operator === 'In' && !(has && values.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && values.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

// ---- rendering -----------------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null) continue;
    if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function bar(fraction, ok) {
  const width = Math.max(0, Math.min(1, fraction || 0)) * 100;
  const fill = el('span');
  // Through the CSSOM: the Content-Security-Policy refuses style attributes.
  fill.style.width = width + '%';
  return el('span', { class: ok ? 'bar ok' : 'bar', title: Math.round(width) + '%' }, fill);
}

function table(headings, rows) {
  return el('table', {},
    el('thead', {}, el('tr', {}, headings.map((h) => el('th', {}, h)))),
    el('tbody', {}, rows));
}

function age(timestamp) {
  if (!timestamp) return '';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(timestamp)) / 1000));
  if (s < 120) return s + 's';
  if (s < 7200) return Math.round(s / 60) + 'm';
  if (s < 172800) return Math.round(s / 3600) + 'h';
  return Math.round(s / 86400) + 'd';
}

function sectionBody(id) {
  const body = $(id).querySelector('.body');
  body.replaceChildren();
  return body;
}

function renderDeployments() {
  const { deployments, pods } = session.collections;
  if (!deployments.synced) return;
  const body = sectionBody('deployments');
  const items = deployments.values().sort((a, b) => Collection.key(a).localeCompare(Collection.key(b)));
  if (items.length === 0) {
    body.append(el('p', { class: 'muted' }, 'No deployments.'));
    return;
  }
  const rows = items.map((d) => {
    const desired = d.spec.replicas === undefined ? 1 : d.spec.replicas;
    const s = d.status || {};
    const updated = s.updatedReplicas || 0;
    const ready = s.readyReplicas || 0;
    const available = s.availableReplicas || 0;
    const progressing = (s.conditions || []).find((c) => c.type === 'Progressing');
    const done = updated === desired && available === desired && (s.replicas || 0) === desired
      && (s.observedGeneration || 0) >= (d.metadata.generation || 0);
    const owned = pods.values()
      .filter((p) => p.metadata.namespace === d.metadata.namespace
        && matches(d.spec.selector, p.metadata.labels))
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const images = ((d.spec.template.spec && d.spec.template.spec.containers) || []).map((c) => c.image);
    return el('tr', { 'data-deployment': Collection.key(d) },
      el('td', {}, el('strong', {}, d.metadata.name), el('div', { class: 'muted' }, d.metadata.namespace)),
      el('td', {}, bar(desired === 0 ? 1 : available / desired, done), ' ',
        done ? 'complete' : (progressing ? progressing.reason : 'progressing')),
      el('td', { class: 'counts' }, `${updated}/${desired} updated, ${ready}/${desired} ready, ${available}/${desired} available`),
      el('td', {}, images.join(', ')),
      el('td', {}, el('div', { class: 'pods' }, owned.map((p) => {
        const status = podStatus(p);
        const ready = podReady(p);
        const [up, all] = ready.split('/');
        return el('span', { class: 'pod', 'data-pod': Collection.key(p),
          title: `${status}, ready ${ready}, node ${p.spec.nodeName || '(none)'}` },
        p.metadata.name, ' ', el('span', { class: 'status-' + status }, status),
        up === all ? null : el('span', { class: 'status-NotReady' }, ' ' + ready + ' ready'));
      }))));
  });
  body.append(table(['Deployment', 'Rollout', 'Replicas', 'Images', 'Pods'], rows));
}

function renderNodes() {
  const { nodes, pods } = session.collections;
  if (!pods.synced && !nodes.synced) return;
  const body = sectionBody('nodes');
  const byNode = new Map();
  for (const p of pods.values()) {
    const node = (p.spec && p.spec.nodeName) || '';
    if (!byNode.has(node)) byNode.set(node, []);
    byNode.get(node).push(p);
  }
  const names = new Set([...nodes.values().map((n) => n.metadata.name), ...byNode.keys()]);
  names.delete('');
  const usage = session.metrics;
  for (const name of [...names].sort()) {
    const node = nodes.items.get('/' + name);
    const onNode = (byNode.get(name) || []).sort((a, b) => Collection.key(a).localeCompare(Collection.key(b)));
    body.append(renderNode(name, node, onNode, usage));
  }
  const unscheduled = byNode.get('') || [];
  if (unscheduled.length > 0) {
    body.append(renderNode('(not scheduled)', null, unscheduled, usage));
  }
  if (names.size === 0 && unscheduled.length === 0) {
    body.append(el('p', { class: 'muted' }, 'No nodes.'));
  }
}

function renderNode(name, node, pods, usage) {
  const status = node ? node.status || {} : {};
  const ready = (status.conditions || []).find((c) => c.type === 'Ready');
  const readiness = !node ? '' : (ready && ready.status === 'True' ? 'Ready' : 'NotReady');
  const allocatable = status.allocatable || status.capacity || {};
  const requested = pods.filter((p) => !['Succeeded', 'Failed'].includes(p.status && p.status.phase))
    .map(podRequests).reduce((a, r) => ({ cpu: a.cpu + r.cpu, memory: a.memory + r.memory }),
      { cpu: 0, memory: 0 });
  const used = usage.nodes.get(name);
  const head = el('div', { class: 'node-head' },
    el('h3', {}, name),
    readiness ? el('span', { class: 'status-' + readiness }, readiness) : null,
    node ? el('span', {}, 'CPU ', usageText(used && used.cpu, requested.cpu, quantity(allocatable.cpu), cpu)) : null,
    node ? el('span', {}, 'memory ', usageText(used && used.memory, requested.memory, quantity(allocatable.memory), memory)) : null,
    el('span', { class: 'muted' }, pods.length + (pods.length === 1 ? ' pod' : ' pods')));
  const rows = pods.map((p) => {
    const u = usage.pods.get(Collection.key(p));
    const s = podStatus(p);
    return el('tr', { 'data-pod': Collection.key(p) },
      el('td', {}, p.metadata.namespace + '/' + p.metadata.name),
      el('td', { class: 'status-' + s }, s),
      el('td', {}, podReady(p)),
      el('td', {}, podRestarts(p)),
      el('td', {}, (p.status && p.status.podIP) || ''),
      el('td', {}, u ? cpu(u.cpu) : '–'),
      el('td', {}, u ? memory(u.memory) : '–'),
      el('td', {}, age(p.metadata.creationTimestamp)));
  });
  return el('div', { class: 'node', 'data-node': name }, head,
    pods.length ? table(['Pod', 'Status', 'Ready', 'Restarts', 'IP', 'CPU', 'Memory', 'Age'], rows) : null);
}

function usageText(used, requested, allocatable, format) {
  const parts = [];
  if (used !== undefined && used !== null) {
    parts.push(bar(allocatable ? used / allocatable : 0, false), ' ' + format(used) + ' used, ');
  }
  parts.push(format(requested) + ' requested of ' + (allocatable ? format(allocatable) : '?'));
  return parts;
}

function eventTime(e) {
  return e.lastTimestamp || e.eventTime || (e.series && e.series.lastObservedTime)
    || e.firstTimestamp || e.metadata.creationTimestamp;
}

function renderEvents() {
  const { events } = session.collections;
  if (!events.synced) return;
  const body = sectionBody('events');
  const items = events.values()
    .sort((a, b) => (Date.parse(eventTime(b)) || 0) - (Date.parse(eventTime(a)) || 0))
    .slice(0, EVENTS_SHOWN);
  if (items.length === 0) {
    body.append(el('p', { class: 'muted' }, 'No events.'));
    return;
  }
  body.append(table(['Age', 'Type', 'Reason', 'Object', 'Message', 'Count'], items.map((e) => {
    const o = e.involvedObject || e.regarding || {};
    return el('tr', {},
      el('td', {}, age(eventTime(e))),
      el('td', { class: 'status-' + (e.type || 'Normal') }, e.type || ''),
      el('td', {}, e.reason || ''),
      el('td', {}, (o.kind ? o.kind.toLowerCase() + '/' : '') + (o.name || ''),
        o.namespace ? el('div', { class: 'muted' }, o.namespace) : null),
      el('td', {}, e.message || e.note || ''),
      el('td', {}, e.count || (e.series && e.series.count) || 1));
  })));
}

let renderPending = false;

function render() {
  if (renderPending) return;
  renderPending = true;
  setTimeout(() => {
    renderPending = false;
    if (!session) return;
    renderDeployments();
    renderNodes();
    renderEvents();
  }, 50);
}

function showError(sectionId) {
  return (error) => {
    const p = $(sectionId).querySelector('.error');
    if (!error) {
      p.hidden = true;
      return;
    }
    p.hidden = false;
    p.textContent = error.status === 403
      ? 'Forbidden (403): ' + error.message
        + ' The token\'s user needs list and watch on these objects (for example a ClusterRole'
        + ' with get, list, watch on nodes, pods, deployments and events, bound to it).'
      : 'Cannot read from the API server: ' + error.message + ' (retrying)';
    setLive(false);
  };
}

function setLive(live) {
  const badge = $('live');
  badge.hidden = false;
  badge.textContent = live ? 'live' : 'reconnecting';
  badge.classList.toggle('stale', !live);
}

// ---- usage (metrics.k8s.io, when served) ---------------------------------------------------

async function pollMetrics(signal) {
  const prefix = '/apis/metrics.k8s.io/v1beta1/';
  const ns = session.namespace;
  while (!signal.aborted) {
    try {
      const [nodes, pods] = await Promise.all([
        ns ? Promise.resolve({ items: [] }) : getJson(prefix + 'nodes'),
        getJson(prefix + (ns ? 'namespaces/' + encodeURIComponent(ns) + '/' : '') + 'pods'),
      ]);
      session.metrics = {
        nodes: new Map(nodes.items.map((n) => [n.metadata.name,
          { cpu: quantity(n.usage.cpu), memory: quantity(n.usage.memory) }])),
        pods: new Map(pods.items.map((p) => [Collection.key(p), (p.containers || []).reduce(
          (a, c) => ({ cpu: a.cpu + quantity(c.usage.cpu), memory: a.memory + quantity(c.usage.memory) }),
          { cpu: 0, memory: 0 })])),
      };
      $('usage-note').textContent = nodes.items.length === 0 && pods.items.length === 0
        ? 'Usage: no figures from metrics.k8s.io yet (the API server scrapes the nodes\' agents).'
        : '';
      render();
    } catch (e) {
      if (signal.aborted) return;
      if (e instanceof AuthError) return; // the collections sign out
      $('usage-note').textContent = e.status === 404
        ? 'Usage: metrics.k8s.io is not served; requests shown.'
        : 'Usage unavailable: ' + e.message;
    }
    await sleep(METRICS_PERIOD_MS, signal);
  }
}

// ---- session -------------------------------------------------------------------------------

function paths(namespace) {
  const ns = namespace ? 'namespaces/' + encodeURIComponent(namespace) + '/' : '';
  return {
    nodes: '/api/v1/nodes',
    pods: '/api/v1/' + ns + 'pods',
    deployments: '/apis/apps/v1/' + ns + 'deployments',
    events: '/api/v1/' + ns + 'events',
  };
}

function start(token, namespace, user) {
  session = {
    token, namespace, controller: new AbortController(), collections: {},
    metrics: { nodes: new Map(), pods: new Map() },
  };
  $('login').hidden = true;
  $('cluster').hidden = false;
  $('logout').hidden = false;
  $('who').textContent = (user ? 'signed in as ' + user : 'signed in')
    + (namespace ? ' · namespace ' + namespace : ' · all namespaces');
  const p = paths(namespace);
  const sections = { nodes: 'nodes', pods: 'nodes', deployments: 'deployments', events: 'events' };
  for (const [name, path] of Object.entries(p)) {
    const collection = new Collection(name, path, render, showError(sections[name]));
    session.collections[name] = collection;
    collection.run(session.controller.signal);
  }
  pollMetrics(session.controller.signal);
}

/** Who the token is (SelfSubjectReview); a 401 means the token is not accepted. */
async function whoAmI(token) {
  const response = await fetch('/apis/authentication.k8s.io/v1/selfsubjectreviews', {
    method: 'POST',
    cache: 'no-store',
    credentials: 'omit',
    headers: { Authorization: 'Bearer ' + token, Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }),
  });
  if (response.status === 401) {
    throw new AuthError(401, 'The server did not accept this token (401 Unauthorized). '
      + 'Check that it is whole and not expired (kubectl create token gives one valid for an hour).');
  }
  if (!response.ok) return null;
  const review = await response.json();
  return review.status && review.status.userInfo && review.status.userInfo.username;
}

async function signIn(token, namespace) {
  const message = $('login-message');
  message.textContent = '';
  try {
    const user = await whoAmI(token);
    sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.setItem(NAMESPACE_KEY, namespace);
    start(token, namespace, user);
  } catch (e) {
    showLogin(e instanceof AuthError ? e.message : 'Cannot reach the API server: ' + e.message);
  }
}

function signOut(message) {
  if (session) session.controller.abort();
  session = null;
  sessionStorage.removeItem(TOKEN_KEY);
  showLogin(message || '');
}

function showLogin(message) {
  $('cluster').hidden = true;
  $('logout').hidden = true;
  $('live').hidden = true;
  $('who').textContent = '';
  $('login').hidden = false;
  $('login-message').textContent = message;
  $('token').value = '';
  $('token').focus();
}

document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $('token').value.trim().replace(/^Bearer\s+/i, '');
    signIn(token, $('namespace').value.trim());
  });
  $('logout').addEventListener('click', () => signOut('Signed out.'));
  const token = sessionStorage.getItem(TOKEN_KEY);
  $('namespace').value = sessionStorage.getItem(NAMESPACE_KEY) || '';
  if (token) signIn(token, $('namespace').value);
  else showLogin('');
  // Ages move on even when nothing changes.
  setInterval(() => { if (session) render(); }, 10000);
});
