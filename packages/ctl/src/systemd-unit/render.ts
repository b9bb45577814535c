// The systemd units of one install: tripod.service (the cop, Type=notify) and tripod.socket. Pure text
// from the paths of the install at hand; why each directive: docs/systemd.md.
import { TIER_NODE_FLAGS } from '@tripod/core';

export interface UnitPaths {
  /** The node binary (absolute). */
  readonly node: string;
  /** The cop's entry script (absolute). */
  readonly copBin: string;
  /** The `tripod` entry script (absolute), for ExecReload. */
  readonly ctlBin: string;
}

export interface UnitOptions extends UnitPaths {
  /** HOST:PORT, the same in ListenStream= and --listen. */
  readonly listen: string;
  readonly user: string;
}

export const RUNTIME_DIR = '/run/tripod';
export const LOG_DIR = '/var/log/tripod';

/** A command-line word for systemd: quoted when it holds whitespace or quotes. */
export function unitWord(word: string): string {
  return /[\s"'\\]/.test(word) ? `"${word.replace(/["\\]/g, (c) => `\\${c}`)}"` : word;
}

function command(...words: string[]): string {
  return words.map(unitWord).join(' ');
}

/** tripod.service for this install. */
export function renderService(o: UnitOptions): string {
  return `# tripod: the cop, the manager and the server of one instance, supervised by systemd.
# Printed by \`tripod systemd-unit\` for the install it ran from; why each directive: docs/systemd.md.
[Unit]
Description=tripod process watchdog (cop, manager, server)
After=network.target tripod.socket
StartLimitIntervalSec=60
StartLimitBurst=10

[Service]
# The cop sends READY=1 once the first server answers its heartbeat through the listening socket.
Type=notify
# The messages come from systemd-notify, a child of the cop: only "all" accepts them when the cop is
# not root. The cop removes NOTIFY_SOCKET from the environment of everything it starts.
NotifyAccess=all
ExecStart=${command(o.node, ...TIER_NODE_FLAGS.cop, o.copBin, '--runtime-dir', RUNTIME_DIR, '--log-dir', LOG_DIR, '--listen', o.listen)}
# SIGHUP to the cop, then wait until the cop reports the reload done (systemd 252 does not wait by itself).
ExecReload=${command(o.node, o.ctlBin, 'reload', '--runtime-dir', RUNTIME_DIR)}
# Optional TRIPOD_* overrides (TRIPOD_APP=/srv/app/handler.mjs, TRIPOD_DRAIN_TIMEOUT_MS=…).
EnvironmentFile=-/etc/default/tripod
User=${o.user}
Group=${o.user}

# A crash or a watchdog kill of the cop restarts it; it adopts the running manager and server.
Restart=on-failure
RestartSec=1s
# Only the cop is signalled, on stop and on a cop crash alike: a restarted cop must find the manager
# and server still serving. On stop the cop's SIGTERM handler drains and stops the whole instance.
KillMode=process
# ≥ drain timeout (10 s) + kill grace of manager and server + margin.
TimeoutStopSec=30s
# Fed with WATCHDOG=1 after every check cycle; must exceed 4/3 × (stall bound 16.5 s + check interval).
WatchdogSec=30s

# Locks, control socket and status: kept across restarts of the cop (its manager still holds locks
# in it), removed when the service stops. Owner-only, like every directory tripod creates.
RuntimeDirectory=tripod
RuntimeDirectoryMode=0700
RuntimeDirectoryPreserve=restart
LogsDirectory=tripod
LogsDirectoryMode=0700
LimitNOFILE=65536
NoNewPrivileges=yes
ProtectSystem=full
PrivateTmp=yes

[Install]
WantedBy=multi-user.target
`;
}

/** tripod.socket: systemd holds (and listens on) the address, through restarts of every tier. */
export function renderSocket(o: Pick<UnitOptions, 'listen'>): string {
  return `# The listening socket of tripod.service, held by systemd: it listens before the cop starts and stays
# open through restarts of every tier, the cop included. Printed by \`tripod systemd-unit --socket\`.
[Unit]
Description=tripod listening socket

[Socket]
# Must match --listen in tripod.service (the cop probes its first listener).
ListenStream=${o.listen}
FileDescriptorName=http
Service=tripod.service
# The accept queue that holds connections while no server listens; the server re-applies --backlog.
Backlog=511

[Install]
WantedBy=sockets.target
`;
}
