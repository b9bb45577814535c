import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LivenessReport } from '@tripod/core';
import { freshWatch, holderLivenessMs, judgeServer, type LivenessPolicy, type ServerObservation, type ServerWatch } from '../src/server-liveness.js';

const policy: LivenessPolicy = { hangAfterMs: 2000, startGraceMs: 1000, killOnSlowMs: null, stallKillMs: null };
const PID = 20;

const report = (over: Partial<LivenessReport> = {}): LivenessReport => ({
  version: 1, pid: PID, token: 't', progressAgeMs: 10, turns: 100, lagMs: 1, inflight: 0, started: 0, completed: 0, oldestInflightMs: 0, ...over,
});
const live = (over: Partial<LivenessReport> = {}) => ({ ok: true as const, value: report(over), ms: 1 });
const silent = { ok: false as const, error: 'no answer within 500 ms', ms: 500 };
const served = { ok: true as const, value: PID, ms: 3 };
const timedOut = { ok: false as const, error: 'no answer within 1000 ms', ms: 1000 };

/** One check per second from t=0 (the holder is first seen at 0, grace ends at 1000). */
function run(steps: Partial<ServerObservation>[], p: LivenessPolicy = policy) {
  let watch: ServerWatch = freshWatch(null, 0);
  const out = steps.map((step, i) => {
    const o: ServerObservation = { now: i * 1000, holder: PID, liveness: live(), service: served, ...step };
    const d = judgeServer(watch, o, p);
    watch = d.watch;
    return d;
  });
  return { watch, out, kills: out.flatMap((d) => (d.kill ? [d.kill] : [])), verdicts: out.map((d) => d.watch.verdict) };
}

test('an overloaded server that progresses is busy, never killed, however long the heartbeat fails', () => {
  const busy = { liveness: live({ progressAgeMs: 300, lagMs: 1200, inflight: 0 }), service: timedOut };
  const { kills, verdicts, out } = run([{}, {}, ...Array.from({ length: 30 }, () => busy)]);
  assert.deepEqual(kills, []);
  assert.equal(verdicts.at(-1), 'busy');
  assert.ok(out.some((d) => d.logs.some((l) => l.event === 'heartbeat.fail')), 'the slow heartbeat is still reported');
  assert.ok(out.some((d) => d.logs.some((l) => l.event === 'server.busy')));
});

test('a lagging loop alone is busy; a fast one with a good heartbeat is ok', () => {
  assert.equal(run([{}, {}, { liveness: live({ lagMs: 800 }) }]).verdicts.at(-1), 'busy');
  assert.equal(run([{}, {}, {}]).verdicts.at(-1), 'ok');
});

test('no progress for longer than hangAfterMs (a spinning loop) is wedged and killed once', () => {
  const { kills, verdicts } = run([{}, {}, { liveness: live({ progressAgeMs: 1900 }) }, { liveness: live({ progressAgeMs: 2900 }) }]);
  assert.deepEqual(kills.map((k) => k.cause), ['hang']);
  assert.deepEqual(verdicts.slice(2), ['ok', 'wedged']);
});

test('a silent liveness socket (SIGSTOP) is wedged once the silence outlasts hangAfterMs, not before', () => {
  const { kills, out } = run([{}, {}, { liveness: silent, service: timedOut }, { liveness: silent, service: timedOut }, { liveness: silent, service: timedOut }]);
  assert.equal(out[3]!.kill, null, '2000 ms of silence is not more than the limit');
  assert.deepEqual(kills.map((k) => k.cause), ['hang']);
  assert.match(kills[0]!.reason, /silent for 3000 ms/);
});

test('an answer for another PID (a reused socket path) counts as silence', () => {
  const other = { liveness: live({ pid: 99 }) };
  const { kills } = run([{}, {}, other, other, other]);
  assert.deepEqual(kills.map((k) => k.cause), ['hang']);
});

test('nothing is killed in the start-up grace, even a server that never answers', () => {
  const { kills } = run([{ liveness: silent }], { ...policy, startGraceMs: 10_000 });
  assert.deepEqual(kills, []);
  const never = run(Array.from({ length: 5 }, () => ({ liveness: silent, service: timedOut })));
  assert.deepEqual(never.kills.map((k) => k.cause), ['hang'], 'after the grace a server that never answered is wedged');
  assert.equal(never.out[3]!.kill, null, 'silence is counted from the end of the grace');
});

test('a new lock holder starts a fresh watch', () => {
  let watch = freshWatch(null, 0);
  watch = judgeServer(watch, { now: 0, holder: PID, liveness: live(), service: served }, policy).watch;
  const d = judgeServer(watch, { now: 5000, holder: 21, liveness: silent, service: timedOut }, policy);
  assert.equal(d.watch.pid, 21);
  assert.equal(d.kill, null);
  assert.equal(d.watch.verdict, 'starting');
});

test('requests in flight that never complete: stalled, reported, not killed by default', () => {
  const stuck = (t: number) => ({ liveness: live({ inflight: 3, started: 3, completed: 0, oldestInflightMs: t }) });
  const { kills, verdicts, out } = run([{}, stuck(500), stuck(1500), stuck(2500), stuck(3500), stuck(30_500)]);
  assert.deepEqual(kills, []);
  assert.deepEqual(verdicts.slice(1), ['ok', 'ok', 'stalled', 'stalled', 'stalled']);
  assert.ok(out[3]!.logs.some((l) => l.event === 'server.stalled' && l.fields.oldestInflightMs === 2500));
});

test('completions in between mean a slow application, not a stall', () => {
  const step = (completed: number) => ({ liveness: live({ inflight: 10, started: completed + 10, completed, oldestInflightMs: 2500 }) });
  const { verdicts } = run([{}, step(1), step(5), step(9), step(14)]);
  assert.ok(!verdicts.includes('stalled'), verdicts.join());
});

test('--stall-kill-ms kills a stalled server once the stall reaches it', () => {
  const stuck = (t: number) => ({ liveness: live({ inflight: 1, started: 1, completed: 0, oldestInflightMs: t }) });
  const { kills, out } = run([{}, stuck(500), stuck(1500), stuck(2500), stuck(3500), stuck(4500)], { ...policy, stallKillMs: 4000 });
  assert.deepEqual(kills.map((k) => k.cause), ['stall']);
  assert.ok(out[5]!.kill !== null);
});

test('--kill-on-slow-ms kills a progressing server whose heartbeat keeps failing (the opt-in latency SLO)', () => {
  const busy = { liveness: live({ lagMs: 1500 }), service: timedOut };
  const { kills, out } = run([{}, {}, busy, busy, busy], { ...policy, killOnSlowMs: 2000 });
  assert.deepEqual(kills.map((k) => k.cause), ['slow']);
  assert.ok(out[3]!.kill !== null && out[2]!.kill === null, 'killed once the heartbeat failed for 2000 ms');
});

test('the liveness deadline ends just past the moment silence would exceed hangAfterMs', () => {
  const config = { probeTimeoutMs: 1000, hangAfterMs: 2000 };
  assert.equal(holderLivenessMs(config, null, 5000), 1000, 'no answer yet: the full deadline');
  assert.equal(holderLivenessMs(config, 5000, 5500), 1525, 'far from the limit: at most half the full deadline again');
  assert.equal(holderLivenessMs(config, 5000, 5000), 1525);
  assert.equal(holderLivenessMs(config, 5000, 6010), 1015, 'one period after the last answer: ends just past the limit');
  // The last answer is dated when its check decided, 40 ms after that check started (a slow ping beside
  // it): the next check, one period after that start, still ends just past the limit, not 15 ms short.
  assert.equal(holderLivenessMs(config, 5040, 6000), 1065, 'a late-dated last answer: past the full deadline, to the limit');
  assert.equal(holderLivenessMs(config, 5000, 6500), 525);
  assert.equal(holderLivenessMs(config, 5000, 7000), 50, 'at the limit: a short last chance, never less than 50 ms');
  assert.equal(holderLivenessMs({ probeTimeoutMs: 5000, hangAfterMs: 600 }, null, 0), 300, 'at most half of hangAfterMs');
  // Judged at the end of such a probe, a silent server is past the limit: wedged in that check.
  const at = 5000 + 2000 + 25;
  const judged = judgeServer({ ...freshWatch(PID, 0), lastAnswerAt: 5000, verdict: 'ok' }, { now: at, holder: PID, liveness: { ok: false, error: 'timeout', ms: 25 }, service: null }, policy);
  assert.equal(judged.watch.verdict, 'wedged');
});

test('a silent liveness socket before the first answer, in the start grace, is logged at info (the socket starts just after the lock)', () => {
  const silent = { ok: false as const, error: 'ENOENT', ms: 1 };
  const early = judgeServer(freshWatch(PID, 0), { now: 100, holder: PID, liveness: silent, service: null }, policy);
  assert.deepEqual(early.logs.filter((l) => l.event === 'liveness.fail').map((l) => l.level), ['info']);
  // After its first answer: one miss is info (a draining server closes its socket as it lets its lock
  // go); a silence of half the hang limit is a warning.
  const answered = { ...freshWatch(PID, 0), lastAnswerAt: 50, verdict: 'ok' as const };
  const once = judgeServer(answered, { now: 100, holder: PID, liveness: silent, service: null }, policy);
  assert.deepEqual(once.logs.filter((l) => l.event === 'liveness.fail').map((l) => l.level), ['info'], 'one missed answer is no news');
  const long = judgeServer(answered, { now: 50 + policy.hangAfterMs / 2, holder: PID, liveness: silent, service: null }, policy);
  assert.deepEqual(long.logs.filter((l) => l.event === 'liveness.fail').map((l) => l.level), ['warn'], 'half a hang of silence is a warning');
});
