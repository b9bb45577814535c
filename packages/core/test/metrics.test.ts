import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeLabelValue, formatValue, renderMetrics, type MetricsInput } from '../src/metrics.js';
import { MANAGER_STATUS_VERSION } from '../src/wire/manager-status.js';

const NOW = 1_700_000_100_000;

const FULL: MetricsInput = {
  now: NOW,
  managerLive: true,
  holders: { cop: 100, manager: 200, server: 300 },
  cop: {
    version: 1,
    cop: { pid: 100, startedAt: NOW - 60_000 },
    managerStarts: 3,
    managerRestarts: 2,
    kills: { server: { heartbeat: 1 }, manager: { 'lock-without-server': 2 } },
    lastPing: { ms: 4, at: NOW - 500 },
    lastServerProbe: { ms: 12, at: NOW - 250 },
    firstReadyAt: NOW - 59_000,
    lastReload: { at: NOW - 10_000, applied: [], needsRestart: [], error: null },
    managerLastExit: null,
    managerBackoffUntil: null,
    server: {
      pid: 300, verdict: 'busy', lastAnswerAt: NOW - 300, livenessMs: 2, heartbeatFailures: 3,
      liveness: { version: 1, pid: 300, token: 't', progressAgeMs: 40, turns: 500, lagMs: 1250, inflight: 12, started: 912, completed: 900, oldestInflightMs: 3100 },
    },
  },
  manager: {
    version: MANAGER_STATUS_VERSION,
    manager: { pid: 200, startedAt: NOW - 30_000 },
    writtenAt: NOW - 1000,
    goal: 'run',
    serverExpected: true,
    size: 1,
    phase: 'serving',
    slots: [],
    rollingRestart: null,
    memoryReplacements: 0,
    servers: [
      { pid: 300, role: 'serving', slot: 0, startedAt: NOW - 20_000, readyAt: NOW - 19_500, handover: false, standbyReady: false },
      { pid: 299, role: 'draining', slot: 0, startedAt: NOW - 40_000, readyAt: NOW - 39_500, handover: false, standbyReady: false },
      { pid: 301, role: 'standby', slot: null, startedAt: NOW - 19_000, readyAt: null, handover: false, standbyReady: true },
    ],
    restarts: 5,
    consecutiveCrashes: 1,
    backoffUntil: NOW + 1500,
    stayDown: null,
    exitsByCause: { requested: 4, 'signal:SIGKILL': 3, 'code:1': 2 },
    lastExit: null,
    lastDrain: { pid: 299, outcome: 'success', openConnections: 0, ms: 1234, at: NOW - 5000 },
    lastOutage: null,
    listeners: [{ host: '127.0.0.1', port: 8080, queued: 7, backlog: 511 }, { host: '::1', port: 8081, queued: null, backlog: 128 }],
    backlog: 511,
  },
};

function sample(text: string, name: string, labels: string): string | undefined {
  const prefix = `${name}${labels} `;
  return text.split('\n').find((l) => l.startsWith(prefix))?.slice(prefix.length);
}

test('every required family is present with the values of the inputs', () => {
  const text = renderMetrics(FULL);
  assert.equal(sample(text, 'tripod_up', '{tier="cop"}'), '1');
  assert.equal(sample(text, 'tripod_up', '{tier="server"}'), '1');
  assert.equal(sample(text, 'tripod_uptime_seconds', '{tier="cop"}'), '60');
  assert.equal(sample(text, 'tripod_uptime_seconds', '{tier="manager"}'), '30');
  assert.equal(sample(text, 'tripod_uptime_seconds', '{tier="server"}'), '20');
  assert.equal(sample(text, 'tripod_restarts_total', '{tier="server",cause="signal:SIGKILL"}'), '3');
  assert.equal(sample(text, 'tripod_restarts_total', '{tier="server",cause="code:1"}'), '2');
  assert.equal(sample(text, 'tripod_restarts_total', '{tier="server",cause="requested"}'), undefined, 'requested exits are not restarts');
  assert.equal(sample(text, 'tripod_requested_exits_total', '{tier="server"}'), '4');
  assert.equal(sample(text, 'tripod_restarts_total', '{tier="manager",cause="any"}'), '2');
  assert.equal(sample(text, 'tripod_kills_total', '{tier="manager",reason="lock-without-server"}'), '2');
  assert.equal(sample(text, 'tripod_heartbeat_rtt_seconds', '{tier="manager"}'), '0.004');
  assert.equal(sample(text, 'tripod_heartbeat_rtt_seconds', '{tier="server"}'), '0.012');
  assert.equal(sample(text, 'tripod_heartbeat_age_seconds', '{tier="server"}'), '0.25');
  assert.equal(sample(text, 'tripod_listen_queue_depth', '{listener="127.0.0.1:8080"}'), '7');
  assert.equal(sample(text, 'tripod_listen_queue_depth', '{listener="[::1]:8081"}'), undefined, 'no LISTEN row: no sample');
  assert.equal(sample(text, 'tripod_listen_backlog', '{listener="[::1]:8081"}'), '128');
  assert.equal(sample(text, 'tripod_servers', '{role="draining"}'), '1');
  assert.equal(sample(text, 'tripod_servers', '{role="starting"}'), '0');
  assert.equal(sample(text, 'tripod_servers', '{role="standby"}'), '1');
  assert.equal(sample(text, 'tripod_backoff', ''), '1');
  assert.equal(sample(text, 'tripod_backoff_remaining_seconds', ''), '1.5');
  assert.equal(sample(text, 'tripod_last_drain_duration_seconds', '{outcome="success"}'), '1.234');
  assert.equal(sample(text, 'tripod_status_live', ''), '1');
  assert.equal(sample(text, 'tripod_status_age_seconds', ''), '1');
  assert.equal(sample(text, 'tripod_last_reload_success', ''), '1');
});

test('overload is visible: the verdict, the event-loop lag and the requests in flight of the serving server', () => {
  const text = renderMetrics(FULL);
  assert.equal(sample(text, 'tripod_server_verdict', '{verdict="busy"}'), '1');
  assert.equal(sample(text, 'tripod_server_verdict', '{verdict="wedged"}'), '0');
  assert.equal(sample(text, 'tripod_server_event_loop_lag_seconds', ''), '1.25');
  assert.equal(sample(text, 'tripod_server_requests_in_flight', ''), '12');
  assert.equal(sample(text, 'tripod_server_oldest_request_seconds', ''), '3.1');
  assert.equal(sample(text, 'tripod_server_progress_age_seconds', ''), '0.04');
  assert.equal(sample(text, 'tripod_server_requests_completed_total', ''), '900');
  const stale = renderMetrics({ ...FULL, holders: { ...FULL.holders, server: 301 } });
  assert.equal(sample(stale, 'tripod_server_verdict', '{verdict="busy"}'), undefined, 'a judgement of another server is not reported');
});

test('a dead instance: tiers down, no uptime, no backoff figures without a manager status', () => {
  const text = renderMetrics({ now: NOW, managerLive: false, holders: { cop: null, manager: null, server: null }, cop: null, manager: null });
  for (const tier of ['cop', 'manager', 'server']) assert.equal(sample(text, 'tripod_up', `{tier="${tier}"}`), '0');
  assert.doesNotMatch(text, /tripod_uptime_seconds\{/);
  assert.doesNotMatch(text, /^tripod_backoff /m);
  assert.equal(sample(text, 'tripod_status_live', ''), '0');
});

test('uptime is only reported for the process that holds the lock now (stale status files)', () => {
  const text = renderMetrics({ ...FULL, holders: { cop: 101, manager: 200, server: 301 } });
  assert.equal(sample(text, 'tripod_uptime_seconds', '{tier="cop"}'), undefined);
  assert.equal(sample(text, 'tripod_uptime_seconds', '{tier="server"}'), undefined);
  assert.equal(sample(text, 'tripod_uptime_seconds', '{tier="manager"}'), '30');
});

test('label values and help text are escaped', () => {
  assert.equal(escapeLabelValue('a"b\\c\nd'), 'a\\"b\\\\c\\nd');
  const text = renderMetrics({ ...FULL, cop: { ...FULL.cop!, kills: { server: { 'odd "reason"\\\n': 1 } } } });
  assert.ok(text.includes('tripod_kills_total{tier="server",reason="odd \\"reason\\"\\\\\\n"} 1'), text);
  assert.equal(formatValue(NaN), 'NaN');
  assert.equal(formatValue(Infinity), '+Inf');
  assert.equal(formatValue(-Infinity), '-Inf');
});

// The text format's grammar (https://prometheus.io/docs/instrumenting/exposition_formats/), 0.0.4.
const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\\\\\|\\\\"|\\\\n)*"';
const VALUE = '(?:[+-]?(?:\\d+\\.?\\d*(?:[eE][+-]?\\d+)?|\\.\\d+(?:[eE][+-]?\\d+)?)|NaN|[+-]Inf)';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(?:${LABEL}(?:,${LABEL})*,?)?\\})? ${VALUE}(?: -?\\d+)?$`);
const HELP = new RegExp(`^# HELP (${NAME}) (?:[^\\\\\\n]|\\\\\\\\|\\\\n)*$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);

function checkGrammar(text: string): void {
  assert.ok(text.endsWith('\n'), 'the body ends with a newline');
  const typed = new Map<string, string>();
  const finished = new Set<string>();
  let current: string | null = null;
  for (const line of text.slice(0, -1).split('\n')) {
    const help = HELP.exec(line);
    const type = TYPE.exec(line);
    const sampleMatch = SAMPLE.exec(line);
    if (help) {
      assert.ok(!typed.has(help[1]!), `HELP for ${help[1]} comes before its TYPE, once`);
    } else if (type) {
      assert.ok(!typed.has(type[1]!), `one TYPE line for ${type[1]}`);
      if (current) finished.add(current);
      typed.set(type[1]!, type[2]!);
      current = type[1]!;
      if (type[2] === 'counter') assert.match(type[1]!, /_total$/, 'counters end in _total');
    } else if (sampleMatch) {
      const name = sampleMatch[1]!;
      assert.equal(name, current, `sample ${line} belongs to the family whose TYPE came last`);
      assert.ok(!finished.has(name), `samples of ${name} are contiguous`);
    } else {
      assert.fail(`line does not match the exposition grammar: ${JSON.stringify(line)}`);
    }
  }
}

test('the output parses: every line matches the exposition grammar', () => {
  checkGrammar(renderMetrics(FULL));
  checkGrammar(renderMetrics({ now: NOW, managerLive: false, holders: { cop: null, manager: null, server: null }, cop: null, manager: null }));
  checkGrammar(renderMetrics({ ...FULL, cop: { ...FULL.cop!, kills: { server: { 'odd "reason"\\\n': 1 } } } }));
});

test('the grammar check itself rejects malformed lines', () => {
  assert.throws(() => checkGrammar('# TYPE a gauge\na{b="c} 1\n'));
  assert.throws(() => checkGrammar('# TYPE a gauge\na 1 2 3\n'));
  assert.throws(() => checkGrammar('# TYPE a_total counter\na_total 1\n# TYPE b gauge\nb 1\na_total 2\n'));
  assert.throws(() => checkGrammar('# TYPE a counter\na 1\n'));
});

test('a pool reports its size and each slot', () => {
  const slot = (n: number, phase: 'serving' | 'backing-off', restarts: number, memoryReplacements: number) => ({
    slot: n, phase, lock: `server.${n}.lock`, pid: phase === 'serving' ? 300 + n : null, readyAt: null, restarts, consecutiveCrashes: 0, backoffUntil: null, stayDown: null, lastExit: null, memoryReplacements,
  });
  const text = renderMetrics({ ...FULL, manager: { ...FULL.manager!, size: 2, slots: [slot(0, 'serving', 1, 2), slot(1, 'backing-off', 4, 0)] } });
  assert.match(text, /^tripod_pool_size 2$/m);
  assert.match(text, /^tripod_slot_serving\{slot="0"\} 1$/m);
  assert.match(text, /^tripod_slot_serving\{slot="1"\} 0$/m);
  assert.match(text, /^tripod_slot_restarts_total\{slot="1"\} 4$/m);
  assert.match(text, /^tripod_memory_replacements_total\{slot="0"\} 2$/m);
});

test('a pool: the cop\'s verdict on each slot\'s server, one series per slot', () => {
  const view = (slot: number, pid: number, verdict: 'ok' | 'wedged', progressAgeMs: number) => ({
    slot, pid, verdict, lastAnswerAt: NOW - 300, livenessMs: 2, heartbeatFailures: 0,
    liveness: { version: 1 as const, pid, token: 't', progressAgeMs, turns: 5, lagMs: 1, inflight: 0, started: 1, completed: 1, oldestInflightMs: 0 },
  });
  const text = renderMetrics({ ...FULL, cop: { ...FULL.cop!, slots: [view(0, 300, 'ok', 10), view(1, 301, 'wedged', 2500)] } });
  assert.match(text, /^tripod_slot_verdict\{slot="0",verdict="ok"\} 1$/m);
  assert.match(text, /^tripod_slot_verdict\{slot="1",verdict="wedged"\} 1$/m);
  assert.match(text, /^tripod_slot_verdict\{slot="1",verdict="ok"\} 0$/m);
  assert.match(text, /^tripod_slot_progress_age_seconds\{slot="1"\} 2\.5$/m);
  assert.doesNotMatch(renderMetrics(FULL), /tripod_slot_verdict/, 'a cop status without slots (an older cop) shows none');
});
