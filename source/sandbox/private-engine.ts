/**
 * The sandbox: a Docker daemon of our own for `netmigrate demo`, the tests and the benchmarks —
 * own socket, data-root, exec-root and pidfile under one scratch folder, so none of them
 * touches the host's engine. Stopped by PID. The product never needs this to run against a
 * real host; it lives here, apart from the engine adapter, for that reason.
 */
import {spawn, spawnSync} from 'node:child_process';
import {closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';

export type PrivateEngine = {
	/** `unix:///…/docker.sock`, for DOCKER_HOST. */
	host: string;
	socketPath: string;
	/** The scratch folder holding socket, data-root, exec-root, pidfile and log. */
	root: string;
	pid: number;
	version: string;
	apiVersion: string;
};

export type StartOptions = {
	/** Parent folder for the scratch folder; short, because unix socket paths are limited to 107 bytes. */
	parent?: string;
	timeoutMs?: number;
	/** Which engine: the installed one (26, from trixie) or 28 (from testing, extracted beside it). Default: NETMIGRATE_TEST_ENGINE, else 26. */
	release?: EngineRelease;
	/** A network namespace (`ip netns` name) to run the daemon in: a second swarm node on this machine. */
	netns?: string;
};

export type EngineRelease = '26' | '28';

/**
 * The tools of one engine release: its dockerd, the folder holding its docker CLI, and the
 * DOCKER_CONFIG that selects its compose plugin (undefined: the host's own CLI and plugins).
 */
export type EngineTools = {release: EngineRelease; dockerd: string; binDir?: string; dockerConfig?: string};

export function engineTools(release: EngineRelease = selectedRelease()): EngineTools {
	if (release === '26') return {release, dockerd: findDockerd()};
	const root = process.env.NETMIGRATE_ENGINE_28_DIR ?? '/opt/netmigrate/engine-28';
	const dockerd = path.join(root, 'usr/sbin/dockerd');
	if (!existsSync(dockerd))
		throw new Error(
			`Engine 28 is not installed in ${root}: run \`sudo bash test/harness/install-engine.sh\` (it extracts Debian testing's docker.io there)`,
		);
	return {release, dockerd, binDir: path.join(root, 'usr/bin'), dockerConfig: path.join(root, 'docker-config')};
}

export function selectedRelease(): EngineRelease {
	const wanted = process.env.NETMIGRATE_TEST_ENGINE ?? '26';
	if (wanted !== '26' && wanted !== '28') throw new Error(`NETMIGRATE_TEST_ENGINE=${wanted}: the harness knows engines 26 and 28`);
	return wanted;
}

export async function startPrivateEngine(options: StartOptions = {}): Promise<PrivateEngine> {
	const tools = engineTools(options.release);
	const dockerd = tools.dockerd;
	const root = mkdtempSync(path.join(options.parent ?? tmpdir(), 'nm-engine-'));
	const socketPath = path.join(root, 'docker.sock');
	const pidfile = path.join(root, 'docker.pid');
	const log = openSync(path.join(root, 'dockerd.log'), 'a');
	const child = spawn(
		// nsenter, not `ip netns exec`: that one also remounts /sys for the namespace, and the
		// cgroup mounts under it are lost to the daemon ("Devices cgroup isn't mounted").
		options.netns ? 'nsenter' : dockerd,
		[
			...(options.netns ? [`--net=/run/netns/${options.netns}`, '--', dockerd] : []),
			`--host=unix://${socketPath}`,
			`--data-root=${path.join(root, 'data')}`,
			`--exec-root=${path.join(root, 'exec')}`,
			`--pidfile=${pidfile}`,
			// No default bridge: a host engine's docker0 (172.17.0.0/16) must not clash with ours,
			// and the stacks we run use their own user-defined networks.
			'--bridge=none',
			// Names the embedded DNS cannot answer fail at once instead of going off the machine.
			'--dns=127.0.0.1',
			'--log-level=warn',
		],
		// Its own docker-proxy and docker-init first, for a release extracted beside the host's.
		// A swarm task's image is used as it is here, never pulled first: a sandbox sends nothing to a registry.
		{
			detached: true,
			stdio: ['ignore', log, log],
			env: {
				...process.env,
				PATH: [path.dirname(dockerd), tools.binDir, process.env.PATH].filter(Boolean).join(':'),
				DOCKER_SERVICE_PREFER_OFFLINE_IMAGE: '1',
			},
		},
	);
	closeSync(log);
	child.unref();
	const pid = child.pid;
	if (pid === undefined) throw new Error(`could not start ${dockerd}`);

	const docker = new Docker({socketPath});
	const deadline = Date.now() + (options.timeoutMs ?? 60_000);
	let lastError: unknown;
	while (Date.now() < deadline) {
		if (child.exitCode !== null || !isAlive(pid)) break;
		try {
			await docker.ping();
			const version = await docker.version();
			return {host: `unix://${socketPath}`, socketPath, root, pid, version: version.Version, apiVersion: version.ApiVersion};
		} catch (error) {
			lastError = error;
			await sleep(100);
		}
	}
	const tail = readTail(path.join(root, 'dockerd.log'));
	await stopPrivateEngine({root, pid, socketPath});
	throw new Error(`the private dockerd did not answer (${String(lastError ?? 'exited')}).\n--- dockerd.log ---\n${tail}`);
}

/**
 * Removes every container and network first: a bridge left behind keeps its subnet
 * in the kernel, and the next engine creating a network with that subnet fails.
 */
export async function stopPrivateEngine(engine: Pick<PrivateEngine, 'root' | 'pid' | 'socketPath'>): Promise<void> {
	if (isAlive(engine.pid) && existsSync(engine.socketPath)) {
		const docker = new Docker({socketPath: engine.socketPath});
		try {
			await cleanEngine(docker);
		} catch {
			// The daemon is going away regardless; its bridges go with it below.
		}
	}
	if (isAlive(engine.pid)) {
		process.kill(engine.pid, 'SIGTERM');
		const deadline = Date.now() + 20_000;
		while (isAlive(engine.pid) && Date.now() < deadline) await sleep(100);
		if (isAlive(engine.pid)) process.kill(engine.pid, 'SIGKILL');
	}
	detachMounts(engine.root);
	rmSync(engine.root, {recursive: true, force: true, maxRetries: 3});
}

/**
 * Mounts the daemon left under its root: with / a shared mount (systemd hosts; a test that
 * needs `rslave` binds), its network namespace file (`exec/netns/default`) has a peer that
 * outlives it, and the folder cannot be removed (EBUSY). Deepest first, lazily.
 */
function detachMounts(root: string): void {
	let table: string;
	try {
		table = readFileSync('/proc/self/mountinfo', 'utf8');
	} catch {
		return;
	}
	const points = table
		.split('\n')
		.map((line) => line.split(' ')[4] ?? '')
		.filter((point) => point.startsWith(`${root}/`))
		.sort((a, b) => b.length - a.length);
	for (const point of points) spawnSync('umount', ['-l', point], {stdio: 'ignore'});
}

export async function cleanEngine(docker: Docker): Promise<void> {
	// A swarm a test left behind: leaving it removes its services, tasks and ingress network.
	const info = (await docker.info()) as {Swarm?: {LocalNodeState?: string}};
	if (info.Swarm?.LocalNodeState === 'active') await docker.swarmLeave({force: true});
	const builtin = new Set(['bridge', 'host', 'none']);
	// A container can appear between the two lists — a compose call a killed run left going
	// recreates one (CI: "network media-network has active endpoints (cloudflared)" failed every
	// test of the next file) — so a network still in use sends it round again, for up to 10 s.
	for (let round = 1; ; round++) {
		const containers = await docker.listContainers({all: true});
		await Promise.all(
			containers.map(async (c) =>
				docker
					.getContainer(c.Id)
					.remove({force: true, v: true})
					.catch((error: unknown) => {
						if ((error as {statusCode?: number}).statusCode !== 404) throw error;
					}),
			),
		);
		const networks = (await docker.listNetworks()).filter((n) => !builtin.has(n.Name));
		const failed = await Promise.all(
			networks.map(async (n) =>
				docker
					.getNetwork(n.Id)
					.remove()
					.then(() => undefined)
					.catch((error: unknown) => error),
			),
		);
		const inUse = failed.filter((error) => error !== undefined && /active endpoints/.test(String(error)));
		const other = failed.find(
			(error) => error !== undefined && !inUse.includes(error) && (error as {statusCode?: number}).statusCode !== 404,
		);
		if (other) throw other;
		if (inUse.length === 0) return;
		if (round === 20) throw inUse[0];
		await sleep(500);
	}
}

export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function findDockerd(): string {
	for (const candidate of ['/usr/sbin/dockerd', '/usr/bin/dockerd', '/usr/local/bin/dockerd']) {
		if (existsSync(candidate)) return candidate;
	}
	throw new Error('dockerd is not installed: run `sudo bash test/harness/install-engine.sh` (Debian packages docker.io, docker-compose)');
}

function readTail(file: string): string {
	try {
		return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
	} catch {
		return '(no log)';
	}
}

async function sleep(ms: number): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, ms));
}
