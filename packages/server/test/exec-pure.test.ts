import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { mirrorFor } from '../src/exec/exit-status.js';
import { decideLiveness, isActiveNow, isBusyNotHung, isWatchdogMissed, progressAgeMs } from '../src/exec/health.js';
import { keeperReport } from '../src/exec/progress-socket.js';
import { formatLivenessReport, parseLivenessReport } from '@tripod/core/wire/liveness';
import { decodeRelayLine, parseNotify } from '../src/exec/notify-message.js';
import { preludeArgv, PRELUDE_EXIT } from '../src/exec/prelude.js';
import { ENV_KEEPER, programEnv } from '../src/exec/program.js';
import { findAcceptedInode, httpStatusOk, isWaitingForConnections, settleProof, socketInode } from '../src/exec/proof.js';

test('notify datagrams: READY, STOPPING, WATCHDOG, STATUS, MAINPID, unknown lines ignored', () => {
  const m = parseNotify('READY=1\nSTATUS=Gunicorn arbiter booted\nFOO=bar\nMAINPID=4242\nWATCHDOG=1');
  assert.equal(m.ready, true);
  assert.equal(m.status, 'Gunicorn arbiter booted');
  assert.equal(m.mainPid, 4242);
  assert.equal(m.watchdog, true);
  assert.equal(m.stopping, false);
  assert.equal(parseNotify('READY=0').ready, false);
  assert.equal(parseNotify('STOPPING=1').stopping, true);
  assert.equal(parseNotify('WATCHDOG=trigger').watchdogTrigger, true);
  assert.equal(parseNotify('MAINPID=1').mainPid, null, 'init is never a main PID');
  assert.equal(parseNotify('MAINPID=12x').mainPid, null);
  assert.equal(parseNotify('=1\nREADY').ready, false);
});

test('relay lines decode hex; anything else is dropped', () => {
  assert.equal(decodeRelayLine(Buffer.from('READY=1\n').toString('hex')), 'READY=1\n');
  assert.equal(decodeRelayLine('zz'), null);
  assert.equal(decodeRelayLine('abc'), null);
  assert.equal(decodeRelayLine(''), null);
});

// Captured from this machine: a listener on 127.0.0.1:47123 (0xB813), a probe from port 52502 (0xCD16):
// the server side shows inode 0 while queued, the accepting socket's inode once accepted.
const QUEUED = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:B813 00000000:0000 0A 00000000:00000001 00:00000000 00000000     0        0 52165 1 0000000000000000 100 0 0 10 0
   1: 0100007F:CD16 0100007F:B813 01 00000000:00000000 00:00000000 00000000     0        0 52180 1 0000000000000000 20 4 30 10 -1
   2: 0100007F:B813 0100007F:CD16 01 00000000:00000000 00:00000000 00000000     0        0 0 1 0000000000000000 20 4 30 10 -1
`;
const ACCEPTED = QUEUED.replace('0        0 0 1 0000000000000000 20 4 30', '0        0 52441 1 0000000000000000 20 4 30');

test('the server side of a probe connection: 0 while queued, the inode once accepted, null when absent', () => {
  assert.equal(findAcceptedInode(QUEUED, 0xb813, 0xcd16), 0);
  assert.equal(findAcceptedInode(ACCEPTED, 0xb813, 0xcd16), 52441);
  assert.equal(findAcceptedInode(ACCEPTED, 0xb813, 0xcd17), null);
  assert.equal(findAcceptedInode(ACCEPTED, 0xb813, 0), null, 'the LISTEN row is never a connection');
});

test('fd links and HTTP status lines', () => {
  assert.equal(socketInode('socket:[52441]'), 52441);
  assert.equal(socketInode('pipe:[52441]'), null);
  assert.equal(httpStatusOk('HTTP/1.1 200 OK\r\n'), true);
  assert.equal(httpStatusOk('HTTP/1.0 302 Found\r\n'), true);
  assert.equal(httpStatusOk('HTTP/1.1 503 Busy\r\n'), false);
  assert.equal(httpStatusOk('HTTP/1.1 2'), null);
  assert.equal(httpStatusOk('SSH-2.0-OpenSSH\r\n'), false);
});

test('the keeper ends like its program: same code, or the same signal with 128+N as the fallback', () => {
  assert.deepEqual(mirrorFor({ code: 3, signal: null }), { kind: 'exit', code: 3 });
  assert.deepEqual(mirrorFor({ code: null, signal: 'SIGKILL' }), { kind: 'raise', signal: 'SIGKILL', fallbackCode: 137 });
  assert.deepEqual(mirrorFor({ code: null, signal: null }), { kind: 'exit', code: 1 });
});

test("the program's environment: socket activation set, stale protocol variables from above dropped", () => {
  const env = programEnv({
    base: { PATH: '/bin', NOTIFY_SOCKET: '/run/systemd/notify', WATCHDOG_USEC: '1', LISTEN_PID: '1', TRIPOD_TIER: 'server' },
    keeperPid: 77, fdNames: ['tcp-80', 'tcp-443'], notifySocket: '/run/tripod/notify-77.sock', watchdogMs: 0,
  });
  assert.equal(env.LISTEN_FDS, '2');
  assert.equal(env.LISTEN_FDNAMES, 'tcp-80:tcp-443');
  assert.equal(env.NOTIFY_SOCKET, '/run/tripod/notify-77.sock');
  assert.equal(env.LISTEN_PID, undefined, 'set by the prelude to the program\'s own PID');
  assert.equal(env.WATCHDOG_USEC, undefined);
  assert.equal(env.TRIPOD_TIER, 'server', 'the markers stay: the program is this instance\'s server');
  assert.equal(env[ENV_KEEPER], '77');
  assert.equal(programEnv({ base: {}, keeperPid: 1, fdNames: [], notifySocket: 'x', watchdogMs: 1500 }).WATCHDOG_USEC, '1500000');
});

test('the prelude execs the program with LISTEN_PID = its own PID, and refuses to run without its keeper', () => {
  const argv = preludeArgv({ keeperPid: process.pid, backlog: 16, fdCount: 0, argv: ['sh', '-c', 'echo "$LISTEN_PID $$"'] });
  const run = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
  const [listenPid, pid] = run.stdout.trim().split(' ');
  assert.equal(run.status, 0, run.stderr);
  assert.equal(listenPid, pid);
  const orphan = preludeArgv({ keeperPid: 1, backlog: 16, fdCount: 0, argv: ['true'] });
  assert.equal(spawnSync(orphan[0]!, orphan.slice(1)).status, PRELUDE_EXIT.PARENT_GONE);
  const missing = preludeArgv({ keeperPid: process.pid, backlog: 16, fdCount: 0, argv: ['/nonexistent/program'] });
  assert.equal(spawnSync(missing[0]!, missing.slice(1)).status, PRELUDE_EXIT.EXEC_FAILED);
});

test("the keeper's liveness answer: starting fails, draining passes, a fresh WATCHDOG=1 or proof passes, a stale one fails", () => {
  const base = { ready: true, stopping: false, watchdogMs: 0, lastWatchdogAt: 1000, lastProofAt: 1500, lastProofError: null, lastActivityAt: null, lastStill: null, staleMs: 2000 };
  assert.deepEqual(decideLiveness({ ...base, ready: false }, 2000), { ok: false, error: 'is starting', via: null, progressAt: null });
  assert.equal(decideLiveness({ ...base, stopping: true }, 9000).ok, true, 'a draining program is not judged');
  assert.deepEqual(decideLiveness(base, 3000), { ok: true, error: null, via: 'probe', progressAt: 1500 });
  assert.deepEqual(decideLiveness({ ...base, lastProofError: 'not accepted within 2000 ms' }, 3600), {
    ok: false, error: 'showed no progress for 2100 ms (last probe: not accepted within 2000 ms)', via: 'probe', progressAt: 1500,
  });
  assert.equal(decideLiveness({ ...base, lastProofAt: null }, 2900).ok, true, 'becoming ready counts as the first proof');
  assert.equal(decideLiveness({ ...base, lastProofAt: null }, 3100).ok, false);
  assert.deepEqual(decideLiveness({ ...base, watchdogMs: 1500, lastWatchdogAt: 5000 }, 6000), { ok: true, error: null, via: 'watchdog', progressAt: 5000 });
  // A busy program: its proofs wait in its accept queue, /proc shows it working.
  const busy = { ...base, lastProofError: 'not accepted within 2000 ms', lastActivityAt: 3400 };
  assert.deepEqual(decideLiveness(busy, 3600), { ok: true, error: null, via: 'activity', progressAt: 3400 });
  assert.deepEqual(decideLiveness({ ...busy, lastStill: 'every process stopped' }, 5600), {
    ok: false, error: 'showed no progress for 2200 ms (last probe: not accepted within 2000 ms; /proc: every process stopped)', via: 'activity', progressAt: 3400,
  });
  assert.equal(decideLiveness({ ...base, lastActivityAt: 1200 }, 3000).via, 'probe', 'the later evidence is named');
  assert.equal(isWatchdogMissed({ ...base, watchdogMs: 500 }, 1400), false);
  assert.equal(isWatchdogMissed({ ...base, watchdogMs: 500 }, 1600), true);
  assert.equal(isWatchdogMissed({ ...base, watchdogMs: 0 }, 99_999), false, 'no watchdog, never missed');
  assert.equal(isWatchdogMissed({ ...base, watchdogMs: 500, stopping: true }, 1600), false, 'a draining program is not killed for it');
});

test("the keeper's liveness report: progress is the later of its last proof and WATCHDOG=1, nothing is in flight, and it parses", () => {
  const base = { ready: true, stopping: false, watchdogMs: 0, lastWatchdogAt: 1000, lastProofAt: 1500, lastProofError: null, lastActivityAt: null, lastStill: null, staleMs: 2000 };
  assert.equal(progressAgeMs(base, 4000), 2500, 'since the last proof');
  assert.equal(progressAgeMs({ ...base, lastWatchdogAt: 3000 }, 4000), 1000, 'a later WATCHDOG=1 is progress too');
  assert.equal(progressAgeMs({ ...base, lastProofAt: null }, 4000), 3000, 'becoming ready is the first progress');
  assert.equal(progressAgeMs({ ...base, lastActivityAt: 3800 }, 4000), 200, 'system calls seen in /proc are progress');
  assert.equal(progressAgeMs({ ...base, lastActivityAt: 1100 }, 4000), 2500, 'old activity does not hide a later proof');
  assert.equal(progressAgeMs({ ...base, ready: false }, 99_999), 0, 'starting: holds no lock, not judged');
  assert.equal(progressAgeMs({ ...base, stopping: true }, 99_999), 0, 'draining: let go of its lock, not judged');
  const report = keeperReport(42, 'abc', { progressAgeMs: () => 2500, turns: () => 7 });
  const parsed = parseLivenessReport(formatLivenessReport(report).trim());
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.value, { version: 1, pid: 42, token: 'abc', progressAgeMs: 2500, turns: 7, lagMs: 0, inflight: 0, started: 0, completed: 0, oldestInflightMs: 0 });
});

test('busy, not hung: the last proof failed while /proc showed system calls within the limit', () => {
  const base = { ready: true, stopping: false, watchdogMs: 0, lastWatchdogAt: 1000, lastProofAt: 1500, lastProofError: 'not accepted within 2000 ms', lastActivityAt: 3900, lastStill: null, staleMs: 2000 };
  assert.equal(isBusyNotHung(base, 4000, 2000), true);
  assert.equal(isBusyNotHung({ ...base, lastProofError: null }, 4000, 2000), false, 'the proof did not fail');
  assert.equal(isBusyNotHung({ ...base, lastActivityAt: 1800 }, 4000, 2000), false, 'no recent activity either: that is a hang, not busy');
  assert.equal(isBusyNotHung({ ...base, lastActivityAt: null }, 4000, 2000), false);
  assert.equal(isBusyNotHung({ ...base, stopping: true }, 4000, 2000), false, 'draining: not judged');
  // No proof needed while /proc shows system calls at the last look.
  assert.equal(isActiveNow(base, 4000, 1000), true);
  assert.equal(isActiveNow({ ...base, lastStill: 'asleep, no system calls (idle, or blocked)' }, 4000, 1000), false, 'the last look saw nothing: prove');
  assert.equal(isActiveNow(base, 5000, 1000), false, 'too long ago: prove');
  assert.equal(isActiveNow({ ...base, lastActivityAt: null }, 4000, 1000), false);
});

test('a proof whose last try ran out of time in the queue, after tries that reached other members, reached other members', () => {
  const queued = { result: 'failed' as const, error: 'not accepted within 46 ms', queued: true };
  assert.deepEqual(settleProof(queued, true), { result: 'elsewhere' }, 'a pool: the keeper then looks whether its program waits for connections');
  assert.deepEqual(settleProof(queued, false), queued, 'never reached anyone: not accepted');
  const noAnswer = { result: 'failed' as const, error: 'no HTTP answer within 900 ms' };
  assert.deepEqual(settleProof(noAnswer, true), noAnswer, 'accepted by ours and not answered: a failure');
  assert.deepEqual(settleProof({ result: 'proven', pid: 7 }, true), { result: 'proven', pid: 7 });
});

test('waiting for connections: asleep in accept, poll, select or epoll; not stopped, running, in a futex, or with a hidden wchan', () => {
  for (const wchan of ['inet_csk_accept', 'do_select', 'do_sys_poll', 'ep_poll\n']) assert.equal(isWaitingForConnections('S', wchan), true, wchan);
  assert.equal(isWaitingForConnections('T', 'do_select'), false, 'stopped');
  assert.equal(isWaitingForConnections('R', '0'), false, 'running: spinning or busy');
  assert.equal(isWaitingForConnections('S', 'futex_wait_queue'), false, 'a deadlock');
  assert.equal(isWaitingForConnections('S', '0'), false, 'the kernel hides wchan');
  assert.equal(isWaitingForConnections(undefined, ''), false, 'gone');
});
