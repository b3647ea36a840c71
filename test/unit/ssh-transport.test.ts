/**
 * The ssh:// transport without an sshd: the ssh command line the docker CLI would run, and the
 * HTTP agent over a stand-in for `ssh` (a script that pipes its stdio to a local HTTP server, as
 * `docker system dial-stdio` pipes it to the engine) — connections capped and reused, ssh's own
 * failure in its words, and an idle connection that never holds the process open.
 * test/e2e/ssh-engine.test.ts runs the real thing through a real sshd.
 */
import assert from 'node:assert/strict';
import {chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, get, request, type Agent, type Server} from 'node:http';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {execa} from 'execa';
import {dialStdioArgs, sshAgent} from '../../source/engine/ssh.js';
import {NetmigrateError} from '../../source/errors.js';
import {repoRoot} from '../harness/engine.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'nm-ssh-unit-'));
const socket = path.join(scratch, 'engine.sock');
let server: Server;
let connections = 0;

/** A stand-in for `ssh`: ignores its arguments, runs `body` with the engine's socket in $1. */
function fakeSsh(name: string, body: string): string {
	const file = path.join(scratch, name);
	writeFileSync(file, `#!/bin/sh\n${body}\n`);
	chmodSync(file, 0o755);
	return file;
}

const dial = `const s = require('net').connect(process.argv[1]); process.stdin.pipe(s); s.pipe(process.stdout);`;
const dialer = () => fakeSsh('ssh-dial', `exec ${JSON.stringify(process.execPath)} -e ${JSON.stringify(dial)} ${JSON.stringify(socket)}`);

async function fetchVersion(agent: Agent): Promise<string> {
	return new Promise((resolve, reject) => {
		get({agent, host: 'api.moby.localhost', path: '/version'}, (response) => {
			let body = '';
			response.on('data', (chunk: Buffer) => (body += chunk.toString()));
			response.on('end', () => resolve(body));
		}).on('error', reject);
	});
}

before(async () => {
	server = createServer((_request, response) => setTimeout(() => response.end('{"Version":"26.1"}'), 10));
	// The engine keeps an idle connection as long as the client does (Node's default would close it after 5 s).
	server.keepAliveTimeout = 60_000;
	server.on('connection', () => connections++);
	// An exec's hijacked stream: the engine switches protocols, writes the output and closes.
	server.on('upgrade', (_request, socket) =>
		socket.end('HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\nprobe output'),
	);
	await new Promise<void>((resolve) => server.listen(socket, resolve));
});

after(() => {
	server.closeAllConnections();
	server.close();
	rmSync(scratch, {recursive: true, force: true});
});

test("the ssh command line is the docker CLI's: user, port, host, then the remote docker dialing its engine", () => {
	const options = ['-o', 'ConnectTimeout=30', '-o', 'BatchMode=yes', '-T'];
	assert.deepEqual(dialStdioArgs('ssh://ops@docker-host:2222'), [
		...options,
		'-l',
		'ops',
		'-p',
		'2222',
		'--',
		'docker-host',
		'docker',
		'system',
		'dial-stdio',
	]);
	assert.deepEqual(dialStdioArgs('ssh://docker-host'), [...options, '--', 'docker-host', 'docker', 'system', 'dial-stdio']);
	assert.deepEqual(dialStdioArgs('ssh://ops@[::1]/run/user/1000/docker.sock'), [
		...options,
		'-l',
		'ops',
		'--',
		'::1',
		'docker',
		'--host',
		'unix:///run/user/1000/docker.sock',
		'system',
		'dial-stdio',
	]);
	assert.throws(
		() => dialStdioArgs('ssh://ops:secret@docker-host'),
		(error: NetmigrateError) => error.code === 'bad-input' && /password/.test(error.message),
	);
	assert.throws(() => dialStdioArgs('ssh://docker-host?x=1'), /no query/);
});

test('forty requests at once share at most four ssh connections, and every one is answered', async () => {
	const agent = sshAgent('ssh://ops@parallel-host', dialer());
	connections = 0;
	const answers = await Promise.all(Array.from({length: 40}, async () => fetchVersion(agent)));
	assert.equal(answers.filter((answer) => answer === '{"Version":"26.1"}').length, 40);
	assert.ok(connections >= 1 && connections <= 4, `${connections} connections`);
	assert.equal(sshAgent('ssh://ops@parallel-host', dialer()), agent, 'one agent per engine for the whole process');
});

test("a hijacked stream (an exec's output) is read to its end when the engine closes it", async () => {
	const agent = sshAgent('ssh://ops@exec-host', dialer());
	const output = await new Promise<string>((resolve, reject) => {
		const upgrade = request({agent, method: 'POST', path: '/exec/probe/start', headers: {Connection: 'Upgrade', Upgrade: 'tcp'}});
		upgrade.on('upgrade', (_response, stream, head) => {
			let text = head.toString();
			stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
			stream.on('end', () => resolve(text));
		});
		upgrade.on('error', reject);
		upgrade.end();
	});
	assert.equal(output, 'probe output');
});

test("ssh's own failure is the error, in its words, as an unreachable engine with what to check", async () => {
	const refused = sshAgent(
		'ssh://ops@refusing-host:2222',
		fakeSsh('ssh-refused', 'echo "ops@refusing-host: Permission denied (publickey)." >&2; exit 255'),
	);
	await assert.rejects(fetchVersion(refused), (error: NetmigrateError) => {
		assert.equal(error.code, 'engine-unreachable');
		assert.match(error.message, /ssh to the engine at ssh:\/\/ops@refusing-host:2222 failed: .*Permission denied \(publickey\)/);
		assert.match(error.hint ?? '', /`ssh -p 2222 ops@refusing-host docker version` must work/);
		return true;
	});
	const missing = sshAgent('ssh://ops@nowhere', path.join(scratch, 'no-such-ssh'));
	await assert.rejects(
		fetchVersion(missing),
		(error: NetmigrateError) => error.code === 'engine-unreachable' && /ENOENT/.test(error.message),
	);
});

test('a process whose requests are done exits on its own though its ssh connections stay open for reuse', async () => {
	const program = `const {sshAgent} = await import('./source/engine/ssh.js'); const {get} = await import('node:http');
		const agent = sshAgent('ssh://ops@idle-host', ${JSON.stringify(dialer())});
		for (let i = 0; i < 3; i++) await new Promise((resolve, reject) => get({agent, path: '/version'}, (r) => { r.resume(); r.on('end', resolve); }).on('error', reject));
		console.log('answered', Object.values(agent.freeSockets).flat().length, 'idle');`;
	const started = Date.now();
	const child = await execa(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], {
		cwd: repoRoot,
		timeout: 15_000,
		reject: false,
	});
	assert.equal(child.exitCode, 0, child.stderr);
	assert.equal(child.stdout, 'answered 1 idle');
	assert.ok(Date.now() - started < 10_000, 'it did not wait for the idle connection');
});
