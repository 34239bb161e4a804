/*
 * The live dashboard. Once a second it reads, from the actuator on the management port:
 *   GET  /actuator/pool/{name}   the pool's snapshot and its open connections (gauges, counters, evictions,
 *                                resets), who held connections (holders) and the sizing advice
 *   GET  /actuator/prometheus    the pool.connections.acquire histogram, for acquire-time percentiles
 * and from the app itself GET /load (the load run) and GET /leak (the leaked connections).
 * The Misbehave buttons call POST /leak, GET /slow and POST /nested (a pool deadlock of nested transactions).
 * The buttons POST the endpoint's actions to /actuator/pool/{name}, and start load runs with POST /load.
 * Chart.js draws; everything else is plain DOM.
 */
'use strict';

const POLL_MS = 1000;
const HISTORY = 120;             // samples kept on the time charts: two minutes
const PERCENTILE_WINDOW = 10;    // samples (seconds) the acquire-time percentiles are computed over
const LONG_HELD_MS = 5000;       // connections held longer are highlighted in the table
const COLORS = {
    active: '#f5a524', idle: '#2fbf71', pending: '#ef5350', total: '#5aa9f2', max: '#8593a3',
    p50: '#2fbf71', p95: '#f5a524', p99: '#ef5350', grid: '#263241', text: '#8593a3',
};

const $ = (selector) => document.querySelector(selector);

const state = {
    poolName: null,
    actuator: null,               // base URL of the actuator, e.g. http://localhost:8081/actuator
    ticks: 0,
    previousBorrowed: null,       // {value, at} for the borrow rate
    histograms: [],               // the last PERCENTILE_WINDOW + 1 acquire histograms, oldest first
    resizeFilled: false,
    lastLeakCount: 0,
};

let connectionsChart;
let acquireChart;
let evictionsChart;

document.addEventListener('DOMContentLoaded', start);

async function start() {
    createCharts();
    bindControls();
    try {
        const config = await fetchJson('dashboard/config');
        state.poolName = config.pool;
        state.actuator = config.actuator;
    } catch (e) {
        showBanner('Cannot read dashboard/config from the app: ' + e.message);
        return;
    }
    document.querySelectorAll('.pool-name, #pool-name').forEach((el) => el.textContent = state.poolName);
    document.title = 'Pool · ' + state.poolName + ' · live dashboard';
    log('reading ' + poolUrl() + ' every second');
    poll();
}

/* ---------- polling ---------- */

async function poll() {
    const started = Date.now();
    try {
        await tick();
    } finally {
        setTimeout(poll, Math.max(0, POLL_MS - (Date.now() - started)));
    }
}

async function tick() {
    state.ticks++;
    const [pool, prometheus, load, leaks, health, pools] = await Promise.allSettled([
        fetchJson(poolUrl()),
        fetchText(state.actuator + '/prometheus'),
        fetchJson('load'),
        fetchJson('leak'),
        state.ticks % 5 === 1 ? fetchJson(state.actuator + '/health', { acceptErrors: true }) : Promise.resolve(null),
        fetchJson(state.actuator + '/pool'),
    ]);
    const now = new Date();
    if (pool.status === 'fulfilled') {
        hideBanner();
        const histogram = prometheus.status === 'fulfilled' ? acquireHistogram(prometheus.value, state.poolName) : null;
        record(now, pool.value, histogram);
        renderSnapshot(pool.value);
        $('#updated').textContent = 'live · ' + clock(now);
    } else {
        showBanner('Cannot read ' + poolUrl() + ': ' + pool.reason.message
            + '. Is the app up, and does management.endpoints.web.cors.allowed-origin-patterns allow '
            + location.origin + '?');
        $('#updated').textContent = 'disconnected';
    }
    if (load.status === 'fulfilled') {
        renderLoad(load.value);
    }
    if (leaks.status === 'fulfilled') {
        renderLeaks(leaks.value || []);
    }
    if (health.status === 'fulfilled' && health.value) {
        state.health = health.value;
        renderHealth(health.value);
    }
    if (pools.status === 'fulfilled') {
        renderPools(pools.value.pools || {});
    }
}

/* ---------- every pool: the primary's and the read replicas' ---------- */

function renderPools(pools) {
    const components = state.health?.components?.pool?.components;
    const rows = Object.entries(pools).map(([name, snapshot]) => {
        const row = document.createElement('tr');
        row.dataset.pool = name;
        row.className = name === state.poolName ? 'followed' : '';
        const health = components ? components[name] : state.health?.components?.pool;
        const replica = /-replica-\d+$/.test(name);
        const cells = [name, replica ? (health?.details?.usable === false ? 'replica, skipped' : 'replica') : 'primary',
            snapshot.state, health ? health.status : '…', snapshot.active, snapshot.idle, snapshot.pending,
            snapshot.total + ' / ' + snapshot.maxSize, formatCount(snapshot.counters?.borrowed ?? 0)];
        cells.forEach((value) => row.insertCell().textContent = String(value));
        if (replica && health?.details?.skippedBecause) {
            row.title = 'skipped because ' + health.details.skippedBecause;
        }
        const follow = document.createElement('button');
        follow.type = 'button';
        follow.textContent = name === state.poolName ? 'followed' : 'follow';
        follow.disabled = name === state.poolName;
        follow.addEventListener('click', () => followPool(name));
        row.insertCell().append(follow);
        return row;
    });
    $('#pools-rows').replaceChildren(...rows);
}

/** Follows another pool: the tiles, charts, actions and tables below show it from now on. */
function followPool(name) {
    state.poolName = name;
    state.previousBorrowed = null;
    state.histograms = [];
    [connectionsChart, acquireChart, evictionsChart].forEach((chart) => {
        chart.data.labels.length = 0;
        chart.data.datasets.forEach((dataset) => dataset.data.length = 0);
        chart.update('none');
    });
    document.querySelectorAll('.pool-name, #pool-name').forEach((el) => el.textContent = name);
    document.title = 'Pool · ' + name + ' · live dashboard';
    log('following ' + poolUrl());
    if (state.health) {
        renderHealth(state.health);
    }
}

function poolUrl() {
    return state.actuator + '/pool/' + encodeURIComponent(state.poolName);
}

/* ---------- the time series ---------- */

function record(now, snapshot, histogram) {
    const label = clock(now);
    const connections = connectionsChart.data;
    connections.labels.push(label);
    connections.datasets[0].data.push(snapshot.active);
    connections.datasets[1].data.push(snapshot.idle);
    connections.datasets[2].data.push(snapshot.pending);
    connections.datasets[3].data.push(snapshot.total);
    connections.datasets[4].data.push(snapshot.maxSize);
    trim(connections);
    connectionsChart.update('none');

    const canvas = connectionsChart.canvas;
    canvas.dataset.samples = String(Number(canvas.dataset.samples) + 1);
    canvas.dataset.peakActive = String(Math.max(Number(canvas.dataset.peakActive), snapshot.active));
    canvas.dataset.peakPending = String(Math.max(Number(canvas.dataset.peakPending), snapshot.pending));

    if (histogram) {
        state.histograms.push(histogram);
        if (state.histograms.length > PERCENTILE_WINDOW + 1) {
            state.histograms.shift();
        }
    }
    const percentiles = acquirePercentiles();
    const acquire = acquireChart.data;
    acquire.labels.push(label);
    acquire.datasets[0].data.push(percentiles.p50);
    acquire.datasets[1].data.push(percentiles.p95);
    acquire.datasets[2].data.push(percentiles.p99);
    trim(acquire);
    acquireChart.update('none');
    acquireChart.canvas.dataset.p50 = percentiles.p50 ?? '';
    acquireChart.canvas.dataset.p95 = percentiles.p95 ?? '';
    acquireChart.canvas.dataset.p99 = percentiles.p99 ?? '';
    setStat('#stat-acquire-p99', percentiles.p99, formatMs(percentiles.p99));

    const borrowed = snapshot.counters?.borrowed;
    if (borrowed !== undefined) {
        const previous = state.previousBorrowed;
        if (previous) {
            const rate = (borrowed - previous.value) / ((now - previous.at) / 1000);
            setStat('#stat-borrow-rate', Math.round(rate), formatCount(Math.round(rate)));
        }
        state.previousBorrowed = { value: borrowed, at: now };
    }
}

function trim(data) {
    while (data.labels.length > HISTORY) {
        data.labels.shift();
        data.datasets.forEach((dataset) => dataset.data.shift());
    }
}

/* ---------- acquire-time percentiles from the Prometheus histogram ---------- */

/**
 * The cumulative buckets of pool_connections_acquire_seconds for one pool, as
 * {buckets: [[le, count], ...] sorted by le, count, sum}; null when the scrape has none.
 */
function acquireHistogram(text, poolName) {
    const buckets = [];
    let count = null;
    let sum = null;
    for (const line of text.split('\n')) {
        if (!line.startsWith('pool_connections_acquire_seconds')) {
            continue;
        }
        const sample = parseSample(line);
        if (!sample || sample.labels.pool !== poolName) {
            continue;
        }
        if (sample.name === 'pool_connections_acquire_seconds_bucket') {
            buckets.push([Number(sample.labels.le === '+Inf' ? Infinity : sample.labels.le), sample.value]);
        } else if (sample.name === 'pool_connections_acquire_seconds_count') {
            count = sample.value;
        } else if (sample.name === 'pool_connections_acquire_seconds_sum') {
            sum = sample.value;
        }
    }
    if (count === null) {
        return null;
    }
    buckets.sort((a, b) => a[0] - b[0]);
    return { buckets, count, sum };
}

/** One line of the Prometheus text format: name{label="value",...} value */
function parseSample(line) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) {
        return null;
    }
    const labels = {};
    for (const label of (match[2] || '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
        labels[label[1]] = label[2];
    }
    return { name: match[1], labels, value: Number(match[3]) };
}

/**
 * p50, p95 and p99 in ms of the acquisitions in the window, interpolated within buckets the way
 * Prometheus' histogram_quantile does; the mean when the timer publishes no buckets; null when
 * nothing was acquired in the window.
 */
function acquirePercentiles() {
    const none = { p50: null, p95: null, p99: null };
    const histograms = state.histograms;
    if (histograms.length < 2) {
        return none;
    }
    const oldest = histograms[0];
    const newest = histograms[histograms.length - 1];
    const count = newest.count - oldest.count;
    if (count <= 0) {
        return none;
    }
    if (newest.buckets.length === 0 || newest.buckets.length !== oldest.buckets.length) {
        const mean = round((newest.sum - oldest.sum) / count * 1000);
        return { p50: mean, p95: mean, p99: mean };
    }
    const deltas = newest.buckets.map(([le, total], i) => [le, total - oldest.buckets[i][1]]);
    const quantile = (q) => {
        const rank = q * deltas[deltas.length - 1][1];
        for (let i = 0; i < deltas.length; i++) {
            const [upper, cumulative] = deltas[i];
            if (cumulative >= rank) {
                const lower = i === 0 ? 0 : deltas[i - 1][0];
                const below = i === 0 ? 0 : deltas[i - 1][1];
                if (upper === Infinity) {
                    return lower * 1000;
                }
                const inBucket = cumulative - below;
                return (lower + (upper - lower) * (inBucket > 0 ? (rank - below) / inBucket : 1)) * 1000;
            }
        }
        return null;
    };
    return { p50: round(quantile(0.5)), p95: round(quantile(0.95)), p99: round(quantile(0.99)) };
}

/* ---------- rendering ---------- */

function renderSnapshot(snapshot) {
    setStat('#stat-active', snapshot.active);
    setStat('#stat-idle', snapshot.idle);
    setStat('#stat-pending', snapshot.pending);
    setStat('#stat-total', snapshot.total);
    setStat('#stat-max', snapshot.maxSize);
    const counters = snapshot.counters || {};
    setStat('#stat-borrowed', counters.borrowed, formatCount(counters.borrowed));
    setStat('#stat-waits', counters.waits, formatCount(counters.waits));
    setStat('#stat-timeouts', counters.timeouts, formatCount(counters.timeouts));
    renderRejections(counters.rejections || {});

    const badge = $('#pool-state');
    badge.textContent = snapshot.state;
    badge.dataset.state = snapshot.state;
    badge.className = 'badge ' + (snapshot.state === 'RUNNING' ? 'ok' : snapshot.state === 'SUSPENDED' ? 'warn' : 'bad');
    $('#action-suspend').disabled = snapshot.state !== 'RUNNING';
    $('#action-resume').disabled = snapshot.state !== 'SUSPENDED';

    if (!state.resizeFilled) {
        $('#resize-min-idle').value = snapshot.minIdle;
        $('#resize-max-size').value = snapshot.maxSize;
        state.resizeFilled = true;
    }

    renderEvictions(counters.evictions || {});
    renderResets(counters.resets || {});
    renderHolders(snapshot.holders || []);
    renderAdvice(snapshot.advice, snapshot.maxSize);
    renderConnections(snapshot.connections || []);
    renderConfig(snapshot.config || {});
}

function renderRejections(rejections) {
    const total = Object.values(rejections).reduce((a, b) => a + b, 0);
    setStat('#stat-rejections', total, formatCount(total));
    const tile = $('#stat-rejections');
    tile.dataset.reasons = JSON.stringify(rejections);
    tile.title = Object.keys(rejections).sort().map((reason) => `${reason}: ${rejections[reason]}`).join('\n');
}

function renderEvictions(evictions) {
    const reasons = Object.keys(evictions).sort();
    const counts = reasons.map((reason) => evictions[reason]);
    evictionsChart.data.labels = reasons;
    evictionsChart.data.datasets[0].data = counts;
    evictionsChart.update('none');
    evictionsChart.canvas.dataset.total = String(counts.reduce((a, b) => a + b, 0));
    evictionsChart.canvas.dataset.evictions = JSON.stringify(evictions);
}

function renderResets(resets) {
    const kinds = Object.keys(resets);
    const rows = kinds.map((what) => {
        const row = document.createElement('tr');
        row.dataset.what = what;
        row.className = resets[what] > 0 ? 'needed' : '';
        row.insertCell().textContent = what;
        row.insertCell().textContent = formatCount(resets[what]);
        return row;
    });
    const table = $('#resets');
    table.replaceChildren(...rows);
    table.dataset.resets = JSON.stringify(resets);
    table.dataset.total = String(kinds.reduce((sum, what) => sum + resets[what], 0));
}

function renderHolders(holders) {
    const rows = holders.slice(0, 8).map((h) => {
        const row = document.createElement('tr');
        row.dataset.site = h.site;
        const site = row.insertCell();
        site.textContent = h.site;
        site.className = 'site';
        [formatCount(h.borrows), formatMs(h.heldMs.total), formatMs(h.heldMs.p50), formatMs(h.heldMs.p99), formatMs(h.heldMs.max)]
            .forEach((value) => row.insertCell().textContent = value);
        return row;
    });
    $('#holders tbody').replaceChildren(...rows);
}

function renderAdvice(advice, maxSize) {
    setStat('#advice-current', maxSize);
    const why = $('#advice-why');
    if (!advice) {
        setStat('#advice-max', null);
        why.textContent = '';
        why.dataset.suggested = '';
        return;
    }
    setStat('#advice-max', advice.suggestedMaxSize);
    $('#advice-max').className = advice.suggestedMaxSize > maxSize ? 'more' : advice.suggestedMaxSize < maxSize ? 'fewer' : '';
    why.textContent = 'Sizing advice: ' + advice.why;
    why.dataset.suggested = String(advice.suggestedMaxSize);
}

function renderConnections(connections) {
    const rows = connections.map((c, i) => {
        const row = document.createElement('tr');
        row.className = c.state + (c.state === 'active' && c.heldMs >= LONG_HELD_MS ? ' long-held' : '');
        if (c.stack) {
            row.title = 'borrowed at\n' + c.stack.split('\n').slice(0, 12).join('\n');
        }
        [i + 1, c.pid ?? '', c.state, formatDuration(c.ageMs), c.borrowCount, formatDuration(c.heldMs),
            c.lastUsedMs == null ? '' : formatDuration(c.lastUsedMs) + ' ago', c.thread || '']
            .forEach((value) => row.insertCell().textContent = value ?? '');
        return row;
    });
    $('#connections tbody').replaceChildren(...rows);
}

function renderConfig(config) {
    const rows = Object.keys(config).sort().map((key) => {
        const row = document.createElement('tr');
        row.insertCell().textContent = key;
        const value = config[key];
        row.insertCell().textContent = typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
        return row;
    });
    $('#config').replaceChildren(...rows);
}

function renderHealth(health) {
    const all = health.components?.pool;
    const pool = all?.components ? all.components[state.poolName] : all; // several pools: one component each
    const status = pool ? pool.status : health.status;
    const badge = $('#pool-health');
    badge.textContent = 'health ' + status;
    badge.className = 'badge ' + (status === 'UP' ? 'ok' : 'bad');
    badge.title = JSON.stringify(pool ? pool.details : health, null, 1);
}

function renderLoad(status) {
    const box = $('#load-state');
    const running = Boolean(status && status.running);
    box.dataset.running = String(running);
    $('#start-load').disabled = running;
    $('#stop-load').disabled = !running;
    if (!status) {
        return;
    }
    box.dataset.ok = String(status.ok);
    box.dataset.failed = String(status.failed);
    const done = status.durationSeconds > 0 ? Math.min(1, status.elapsedSeconds / status.durationSeconds) : 1;
    $('#load-progress').style.width = (running ? done * 100 : 100) + '%';
    const mix = Object.entries(status.mix).map(([key, weight]) => key + ' ' + weight).join(' / ');
    $('#load-summary').textContent = (running
        ? `Running: ${status.threads} threads, ${Math.ceil(status.remainingSeconds)} s to go`
        : `Last run: ${status.threads} threads for ${Math.round(status.elapsedSeconds)} s`) + ` (mix ${mix})`;
    const header = '<tr><th></th><th>ok</th><th>failed</th></tr>';
    $('#load-requests').innerHTML = header + Object.entries(status.requests)
        .map(([key, r]) => `<tr><td>${key}</td><td>${formatCount(r.ok)}</td><td>${formatCount(r.failed)}</td></tr>`)
        .join('');
    $('#load-error').textContent = status.lastError ? 'last error: ' + status.lastError : '';
}

function renderLeaks(leaks) {
    const items = leaks.slice(0, 5).map((leak) => {
        const item = document.createElement('li');
        item.textContent = leak.reclaimed
            ? `backend ${leak.backendPid}: reclaimed by the pool. Its next call: "${leak.nextCallFails}"`
            : `backend ${leak.backendPid}: leaked ${Math.round(leak.heldMs / 1000)} s ago, still held`;
        return item;
    });
    $('#leaks').replaceChildren(...items);
}

function setStat(selector, value, text) {
    const el = $(selector);
    el.dataset.value = value ?? '';
    el.textContent = text ?? (value ?? '–');
}

/* ---------- controls ---------- */

function bindControls() {
    document.querySelectorAll('button[data-action]').forEach((button) =>
        button.addEventListener('click', () => poolAction({ action: button.dataset.action })));

    $('#resize-form').addEventListener('submit', (event) => {
        event.preventDefault();
        poolAction({
            action: 'resize',
            minIdle: Number($('#resize-min-idle').value),
            maxSize: Number($('#resize-max-size').value),
        });
    });

    $('#load-form').addEventListener('submit', async (event) => {
        event.preventDefault();
        const request = {
            threads: Number($('#load-threads').value),
            durationSeconds: Number($('#load-duration').value),
            mix: { read: Number($('#mix-read').value), write: Number($('#mix-write').value), slow: Number($('#mix-slow').value) },
        };
        $('#start-load').disabled = true;
        const response = await send('POST', 'load', request);
        if (response.ok) {
            log(`load run started: ${request.threads} threads for ${request.durationSeconds} s`);
            renderLoad(response.body);
        } else {
            log('load run refused: ' + problem(response), true);
            $('#start-load').disabled = false;
        }
    });

    $('#stop-load').addEventListener('click', async () => {
        const response = await send('DELETE', 'load');
        log(response.ok ? 'load run stopping' : 'stop failed: ' + problem(response), !response.ok);
    });

    $('#leak').addEventListener('click', async () => {
        const response = await send('POST', 'leak');
        log(response.ok
            ? `leaked the connection of backend ${response.body.backendPid}: watch the WARN in the log, then its reclaim`
            : 'leak refused: ' + problem(response), !response.ok);
    });

    $('#slow-query').addEventListener('click', async () => {
        log('slow query started (3 s)');
        const response = await send('GET', 'slow?seconds=3');
        log(response.ok ? `slow query done in ${response.body.tookMs} ms` : 'slow query failed: ' + problem(response), !response.ok);
    });


    $('#nested').addEventListener('click', async () => {
        const response = await send('POST', 'nested?depth=20');
        log(response.ok ? `nested ${response.body.depth} transactions deep` : 'nested transactions refused: ' + problem(response),
            !response.ok);
    });
}

async function poolAction(body) {
    const response = await send('POST', poolUrl(), body);
    const what = body.action === 'resize' ? `resize(minIdle ${body.minIdle}, maxSize ${body.maxSize})` : body.action;
    if (response.ok) {
        log(`${what} → ${response.body.state}, ${response.body.active} active, ${response.body.idle} idle, max ${response.body.maxSize}`);
        renderSnapshot(response.body);
    } else {
        log(`${what} refused: ${problem(response)}`, true);
    }
}

function log(message, failed) {
    const item = document.createElement('li');
    item.textContent = clock(new Date()) + '  ' + message;
    if (failed) {
        item.className = 'failed';
    }
    const list = $('#log');
    list.prepend(item);
    while (list.children.length > 50) {
        list.lastChild.remove();
    }
}

/* ---------- HTTP ---------- */

async function fetchJson(url, options = {}) {
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
    if (response.status === 204) {
        return null;
    }
    if (!response.ok && !options.acceptErrors) {
        throw new Error('HTTP ' + response.status);
    }
    return response.json();
}

async function fetchText(url) {
    const response = await fetch(url, { headers: { Accept: 'text/plain' } });
    if (!response.ok) {
        throw new Error('HTTP ' + response.status);
    }
    return response.text();
}

/** {ok, status, body}; never throws, so a failed action ends up in the activity log. */
async function send(method, url, body) {
    try {
        const response = await fetch(url, {
            method,
            headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await response.text();
        let parsed = text;
        try {
            parsed = text ? JSON.parse(text) : null;
        } catch (ignored) {
            // not JSON: keep the text
        }
        return { ok: response.ok, status: response.status, body: parsed };
    } catch (e) {
        return { ok: false, status: 0, body: e.message };
    }
}

/** The most telling part of an error response: a problem's detail, Boot's message, or the text. */
function problem(response) {
    const body = response.body;
    const detail = body && typeof body === 'object' ? (body.detail || body.message || body.error) : body;
    return `${response.status} ${detail || ''}`.trim();
}

/* ---------- charts ---------- */

function createCharts() {
    Chart.defaults.color = COLORS.text;
    Chart.defaults.borderColor = COLORS.grid;
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.animation = false;

    const timeAxis = (ticks) => ({ ticks: { maxTicksLimit: ticks, maxRotation: 0 }, grid: { display: false } });
    const line = (label, color, extra = {}) => ({
        label, data: [], borderColor: color, backgroundColor: color + '33', borderWidth: 2,
        pointRadius: 0, tension: 0.25, ...extra,
    });

    connectionsChart = new Chart($('#connections-chart'), {
        type: 'line',
        data: {
            labels: [],
            datasets: [
                line('active', COLORS.active, { fill: 'origin' }),
                line('idle', COLORS.idle),
                line('pending', COLORS.pending),
                line('total', COLORS.total),
                line('max', COLORS.max, { borderDash: [6, 4], borderWidth: 1, tension: 0 }),
            ],
        },
        options: {
            maintainAspectRatio: false,
            interaction: { mode: 'index', intersect: false },
            scales: { x: timeAxis(8), y: { beginAtZero: true, ticks: { precision: 0 } } },
            plugins: { legend: { position: 'top', align: 'end', labels: { boxWidth: 12 } } },
        },
    });

    acquireChart = new Chart($('#acquire-chart'), {
        type: 'line',
        data: {
            labels: [],
            datasets: [line('p50', COLORS.p50), line('p95', COLORS.p95), line('p99', COLORS.p99)],
        },
        options: {
            maintainAspectRatio: false,
            interaction: { mode: 'index', intersect: false },
            scales: { x: timeAxis(4), y: { beginAtZero: true, title: { display: true, text: 'ms' } } },
            plugins: { legend: { position: 'top', align: 'end', labels: { boxWidth: 12 } } },
        },
    });

    evictionsChart = new Chart($('#evictions-chart'), {
        type: 'bar',
        data: { labels: [], datasets: [{ label: 'evictions', data: [], backgroundColor: '#5aa9f2aa', borderRadius: 3 }] },
        options: {
            maintainAspectRatio: false,
            indexAxis: 'y',
            scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { grid: { display: false } } },
            plugins: { legend: { display: false } },
        },
    });
}

/* ---------- formatting ---------- */

function clock(date) {
    return date.toLocaleTimeString([], { hour12: false });
}

function round(value) {
    return value === null || Number.isNaN(value) ? null : Math.round(value * 100) / 100;
}

function formatMs(ms) {
    if (ms === null || ms === undefined) {
        return '–';
    }
    return ms < 10 ? ms.toFixed(2) + ' ms' : Math.round(ms) + ' ms';
}

function formatCount(n) {
    return n === null || n === undefined ? '–' : Number(n).toLocaleString();
}

function formatDuration(ms) {
    if (ms === null || ms === undefined) {
        return '';
    }
    if (ms < 1000) {
        return ms + ' ms';
    }
    if (ms < 60000) {
        return (ms / 1000).toFixed(1) + ' s';
    }
    return Math.floor(ms / 60000) + ' m ' + Math.round((ms % 60000) / 1000) + ' s';
}

function showBanner(message) {
    const banner = $('#banner');
    banner.textContent = message;
    banner.hidden = false;
}

function hideBanner() {
    $('#banner').hidden = true;
}
