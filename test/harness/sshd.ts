/**
 * A private sshd for the ssh:// end-to-end test, in front of the private engine only: it listens
 * on 127.0.0.1 at a free port with its own host key, and accepts one key (held by an ssh-agent of
 * its own) whose forced command is `docker --host unix://<engine socket> system dial-stdio`
 * whatever the client asks, so a session can never reach the host's /var/run/docker.sock.
 *
 * The `ssh` that netmigrate and compose run reads ~/.ssh/config and known_hosts from the passwd
 * entry's home, not $HOME (checked: a known_hosts under a temporary HOME is ignored), so the real
 * ~/.ssh is left alone another way: the PATH the test gives netmigrate starts with a wrapper `ssh`
 * that runs the real one with `-F` and a config of its own — this sshd's host key as the only
 * known host, strict checking, no prompts. The wrapper also tells sshd who ran it (the parent's
 * name: `node` for netmigrate, `docker-compose` for compose), and the forced command writes that
 * down before it dials, so the test can see both reached the engine over ssh.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {accessSync, chmodSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {connect, createServer, type AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {execa} from 'execa';

export type TestSshd = {
	/** `ssh://root@127.0.0.1:<port>`, for --host or DOCKER_HOST. */
	host: string;
	/** For netmigrate's process: the agent holding the key, and a PATH whose `ssh` knows this sshd's host key. */
	env: {SSH_AUTH_SOCK: string; PATH: string};
	/** The same, but the `ssh` on its PATH knows no host key (strictly, whatever the system's ssh_config says). */
	strangerEnv: {SSH_AUTH_SOCK: string; PATH: string};
	/** Every session the forced command ran so far: who opened it and what it asked for. */
	sessions: () => Array<{client: string; command: string}>;
	stop: () => Promise<void>;
};

export async function startSshd(engineSocket: string): Promise<TestSshd> {
	const sshd = '/usr/sbin/sshd';
	if (!existsSync(sshd))
		throw new Error(`${sshd} is missing: run \`sudo bash test/harness/install-engine.sh\` (it installs openssh-server)`);
	const dir = mkdtempSync(path.join(tmpdir(), 'nm-sshd-'));
	chmodSync(dir, 0o700);
	const file = (name: string) => path.join(dir, name);
	await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'netmigrate test host', '-f', file('host_key')]);
	await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'netmigrate test operator', '-f', file('operator_key')]);
	const port = await freePort();

	writeScript(file('dial-engine'), [
		'# The forced command of the test key: whatever the client asked, the private engine and nothing else.',
		`printf '%s\\t%s\\n' "\${NETMIGRATE_TEST_CLIENT:-unknown}" "$SSH_ORIGINAL_COMMAND" >> ${file('sessions')}`,
		`exec ${onPath('docker')} --host unix://${engineSocket} system dial-stdio`,
	]);
	writeFileSync(file('authorized_keys'), `restrict,command="${file('dial-engine')}" ${readFileSync(file('operator_key.pub'), 'utf8')}`);
	writeFileSync(file('sshd_config'), sshdConfig(dir, port));
	writeFileSync(file('known_hosts'), `[127.0.0.1]:${port} ${readFileSync(file('host_key.pub'), 'utf8')}`);
	writeFileSync(file('no_known_hosts'), '');
	const realSsh = onPath('ssh');
	writeWrapper(path.join(dir, 'bin'), realSsh, file('known_hosts'));
	writeWrapper(path.join(dir, 'bin-stranger'), realSsh, file('no_known_hosts'));

	// sshd's privilege separation directory, as the distribution's service unit creates it.
	mkdirSync('/run/sshd', {recursive: true, mode: 0o755});
	const daemon = spawn(sshd, ['-D', '-f', file('sshd_config'), '-E', file('sshd.log')], {stdio: 'ignore'});
	const agentSocket = file('agent.sock');
	const agent = spawn('ssh-agent', ['-D', '-a', agentSocket], {stdio: 'ignore'});
	const stopAll = () => [daemon, agent].forEach((child) => child.exitCode === null && child.kill());
	process.once('exit', stopAll);
	try {
		await waitFor(() => existsSync(agentSocket), 'ssh-agent socket');
		await execa('ssh-add', ['-q', file('operator_key')], {env: {SSH_AUTH_SOCK: agentSocket}});
		await waitFor(async () => accepts(port), `sshd on 127.0.0.1:${port} (see ${file('sshd.log')})`);
	} catch (error) {
		stopAll();
		throw error;
	}
	const pathWith = (bin: string) => `${path.join(dir, bin)}:${process.env.PATH ?? '/usr/bin:/bin'}`;
	return {
		host: `ssh://root@127.0.0.1:${port}`,
		env: {SSH_AUTH_SOCK: agentSocket, PATH: pathWith('bin')},
		strangerEnv: {SSH_AUTH_SOCK: agentSocket, PATH: pathWith('bin-stranger')},
		sessions: () => readSessions(file('sessions')),
		stop: async () => {
			process.removeListener('exit', stopAll);
			await Promise.all([daemon, agent].map(async (child) => stopChild(child)));
			rmSync(dir, {recursive: true, force: true});
		},
	};
}

function sshdConfig(dir: string, port: number): string {
	return [
		`ListenAddress 127.0.0.1:${port}`,
		`HostKey ${path.join(dir, 'host_key')}`,
		`PidFile ${path.join(dir, 'sshd.pid')}`,
		`AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
		'PubkeyAuthentication yes',
		'PasswordAuthentication no',
		'KbdInteractiveAuthentication no',
		// The tests run as root; a key with a forced command is all it may use.
		'PermitRootLogin prohibit-password',
		// The scratch folder is the test's, not root's home: no ownership checks on it.
		'StrictModes no',
		'UsePAM no',
		'AcceptEnv NETMIGRATE_TEST_CLIENT',
		'LogLevel VERBOSE',
		'',
	].join('\n');
}

/** A `ssh` that runs the real one with its own config: `knownHosts` the only host keys, checked strictly, never a prompt. */
function writeWrapper(bin: string, realSsh: string, knownHosts: string): void {
	mkdirSync(bin);
	const config = `${bin}.ssh_config`;
	writeFileSync(
		config,
		[
			'Host *',
			`  UserKnownHostsFile ${knownHosts}`,
			'  GlobalKnownHostsFile /dev/null',
			'  StrictHostKeyChecking yes',
			'  BatchMode yes',
			'',
		].join('\n'),
	);
	writeScript(path.join(bin, 'ssh'), [
		"# The test's ssh: its own config instead of ~/.ssh, and the name of the program that ran it, for the session record.",
		`exec ${realSsh} -F ${config} -o "SetEnv=NETMIGRATE_TEST_CLIENT=$(cat /proc/$PPID/comm)" "$@"`,
	]);
}

function writeScript(file: string, lines: string[]): void {
	writeFileSync(file, ['#!/bin/sh', ...lines, ''].join('\n'));
	chmodSync(file, 0o755);
}

/** The first executable `name` on this process's PATH (Engine 28's docker CLI when the harness put it first). */
function onPath(name: string): string {
	for (const folder of (process.env.PATH ?? '').split(':').filter(Boolean)) {
		const candidate = path.join(folder, name);
		try {
			accessSync(candidate, constants.X_OK);
			return candidate;
		} catch {}
	}
	throw new Error(`${name} is not on the PATH: run \`sudo bash test/harness/install-engine.sh\``);
}

function readSessions(file: string): Array<{client: string; command: string}> {
	if (!existsSync(file)) return [];
	return readFileSync(file, 'utf8')
		.split('\n')
		.filter(Boolean)
		.map((line) => {
			const [client = '', command = ''] = line.split('\t');
			return {client, command};
		});
}

async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

async function accepts(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
		socket.on('error', () => resolve(false));
	});
}

async function waitFor(ready: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await ready())) {
		if (Date.now() > deadline) throw new Error(`${what} did not come up within ${timeoutMs / 1000} s`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

async function stopChild(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.kill('SIGTERM');
	await exited;
}
