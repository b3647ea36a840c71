/**
 * An ssh:// engine, reached as the docker CLI reaches it (and so as the compose netmigrate runs
 * with the same DOCKER_HOST): the system `ssh` runs `docker system dial-stdio` on the remote host,
 * and its stdin and stdout carry the engine's HTTP. The operator's own ssh setup is what is used —
 * ~/.ssh/config (port, user, key, ProxyJump), known_hosts (the host's key is checked), the agent —
 * and `BatchMode` keeps ssh from prompting on the terminal the wizard owns. Connections are kept
 * alive and reused, at most four at once: dockerode's own ssh transport opened one ssh session
 * per request, and the parallel inspects of a listing then met sshd's MaxStartups (beyond ten
 * handshakes at once it drops new ones: "Connection lost before handshake", seen with 40).
 */
import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process';
import {Agent} from 'node:http';
import {Duplex} from 'node:stream';
import {NetmigrateError} from '../errors.js';

/** Connections to one engine at once; sshd allows ten unauthenticated ones (MaxStartups) and ten sessions a connection (MaxSessions). */
const maxConnections = 4;
/** Idle connections kept for the next request, for so long; the rest are closed. A long-idle ssh may be dead (a NAT forgot it) without knowing. */
const maxIdle = 2;
const idleMs = 30_000;

type SshAddress = {user?: string; host: string; port?: string; socket?: string};

/** `ssh://[user@]host[:port][/socket]`, checked as the docker CLI checks it. */
function parseSshAddress(address: string): SshAddress {
	const url = new URL(address);
	if (url.protocol !== 'ssh:' || !url.hostname) throw badAddress(address, 'an ssh:// address names a host');
	if (url.password) throw badAddress(address, 'a password in the address is not supported');
	if (url.search || url.hash) throw badAddress(address, 'an ssh:// address has no query or fragment');
	return {
		host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
		...(url.username ? {user: decodeURIComponent(url.username)} : {}),
		...(url.port ? {port: url.port} : {}),
		...(url.pathname && url.pathname !== '/' ? {socket: decodeURIComponent(url.pathname)} : {}),
	};
}

/**
 * The ssh command line for an ssh:// address, as the docker CLI builds it: the remote `docker`
 * dials its default engine, or the socket the address's path names.
 */
export function dialStdioArgs(address: string): string[] {
	const {user, host, port, socket} = parseSshAddress(address);
	return [
		'-o',
		'ConnectTimeout=30',
		'-o',
		'BatchMode=yes',
		'-T',
		...(user ? ['-l', user] : []),
		...(port ? ['-p', port] : []),
		'--',
		host,
		'docker',
		...(socket ? ['--host', `unix://${socket}`] : []),
		'system',
		'dial-stdio',
	];
}

const agents = new Map<string, Agent>();

/** The HTTP agent that reaches the engine at `address` through `command` (ssh); one per address for the whole process. */
export function sshAgent(address: string, command = 'ssh'): Agent {
	const key = `${command} ${address}`;
	let agent = agents.get(key);
	if (!agent) {
		const args = dialStdioArgs(address);
		agent = new Agent({keepAlive: true, maxSockets: maxConnections, maxFreeSockets: maxIdle, timeout: idleMs});
		// In a session of its own, as the docker CLI starts it: the first Ctrl-C, which lets the
		// current action finish, must not reach ssh through the terminal's process group.
		agent.createConnection = () => new DialStdio(spawn(command, args, {stdio: 'pipe', detached: true}), address);
		agents.set(key, agent);
	}
	return agent;
}

/**
 * One ssh process as the socket HTTP runs over. Node's agent keeps an idle one unref'd, so an
 * idle connection never holds the CLI open; ssh's own failure (refused, host key, no key, no
 * docker on the remote PATH) becomes the connection's error, in ssh's words.
 */
class DialStdio extends Duplex {
	timeout = 0;
	private answered = false;
	private said = '';
	private idle: NodeJS.Timeout | undefined;

	constructor(
		private readonly child: ChildProcessWithoutNullStreams,
		private readonly address: string,
	) {
		super({allowHalfOpen: false});
		child.stdout.on('data', (chunk: Buffer) => {
			this.answered = true;
			this.active();
			if (!this.push(chunk)) child.stdout.pause();
		});
		child.stderr.on('data', (chunk: Buffer) => {
			this.said = (this.said + chunk.toString()).slice(-2000);
		});
		// A write to an ssh that died fails with EPIPE; 'close' below says why it died.
		child.stdin.on('error', () => undefined);
		child.on('error', (error) => this.destroy(sshFailed(this.address, error.message)));
		// 'close' comes after the process exited and its output was read to the end.
		child.on('close', (code) => {
			if (code !== 0 && !this.answered) this.destroy(sshFailed(this.address, this.said.trim() || `ssh exited with ${code}`));
			else this.push(null);
		});
	}

	override _read(): void {
		this.child.stdout.resume();
	}

	override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
		this.active();
		this.child.stdin.write(chunk, () => callback());
	}

	override _final(callback: (error?: Error | null) => void): void {
		this.child.stdin.end();
		callback();
	}

	override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
		clearTimeout(this.idle);
		if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
		callback(error);
	}

	ref(): this {
		for (const handle of [this.child, this.child.stdin, this.child.stdout, this.child.stderr] as Array<{ref?: () => void}>)
			handle.ref?.();
		return this;
	}

	unref(): this {
		for (const handle of [this.child, this.child.stdin, this.child.stdout, this.child.stderr] as Array<{unref?: () => void}>)
			handle.unref?.();
		return this;
	}

	// Asked of a net.Socket by Node's HTTP client: no TCP here, nothing to set.
	setKeepAlive(): this {
		return this;
	}

	setNoDelay(): this {
		return this;
	}

	/**
	 * As net.Socket's: 'timeout' after so long without a byte either way (the agent then closes an
	 * idle connection); 0 with a callback takes that callback off, as http does when a request on a
	 * kept-alive connection ends — else every request would leave one listener behind.
	 */
	setTimeout(timeout: number, callback?: () => void): this {
		this.timeout = timeout;
		if (callback && timeout === 0) this.off('timeout', callback);
		else if (callback) this.once('timeout', callback);
		this.active();
		return this;
	}

	private active(): void {
		clearTimeout(this.idle);
		this.idle = this.timeout > 0 ? setTimeout(() => this.emit('timeout'), this.timeout).unref() : undefined;
	}
}

function sshFailed(address: string, said: string): NetmigrateError {
	const last = said
		.split(/\r?\n/)
		.map((line) => line.trim())
		.filter(Boolean)
		.slice(-2)
		.join(' | ');
	const {user, host, port} = parseSshAddress(address);
	const target = `${port ? `-p ${port} ` : ''}${user ? `${user}@` : ''}${host}`;
	return new NetmigrateError(`ssh to the engine at ${address} failed: ${last}`, {
		code: 'engine-unreachable',
		hint: `netmigrate reaches it as \`docker -H ${address}\` does, with your ssh and without prompts: \`ssh ${target} docker version\` must work — the host in known_hosts, the key in ssh-agent (SSH_AUTH_SOCK), the remote user in the docker group, \`docker\` on its PATH`,
	});
}

function badAddress(address: string, why: string): NetmigrateError {
	return new NetmigrateError(`unsupported engine address ${address}: ${why}`, {
		code: 'bad-input',
		hint: 'use ssh://user@host[:port], as for `docker -H`',
	});
}
