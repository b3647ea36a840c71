// engines: 26 28 — both: this is where the engines differ (gw_priority, compose's recreate rules)
/**
 * An engine reached over TCP with TLS, as a remote host's is: certificates the test makes (a CA,
 * a server certificate for 127.0.0.1, a client one), a TLS endpoint on 127.0.0.1 that demands the
 * client certificate and forwards to the private engine's socket, and netmigrate — and the
 * compose it runs — pointed at it with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, as the docker
 * CLI would be. Without the certificates it is refused with what to do.
 */
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {connect, type AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {createServer, type Server} from 'node:tls';
import {execa} from 'execa';
import {runCli} from '../harness/cli.js';
import {stackState} from '../harness/state.js';
import {exampleStackSuite} from '../harness/suite.js';

const suite = exampleStackSuite();
const certs = mkdtempSync(path.join(tmpdir(), 'nm-tls-'));
let server: Server;
let endpoint = '';

async function openssl(...args: string[]): Promise<void> {
	await execa('openssl', args, {cwd: certs});
}

/** A CA, a server certificate for IP 127.0.0.1 and a client certificate, as `dockerd --tlsverify` setups use. */
async function makeCertificates(): Promise<void> {
	await openssl(
		'req',
		'-x509',
		'-newkey',
		'rsa:2048',
		'-nodes',
		'-keyout',
		'ca-key.pem',
		'-out',
		'ca.pem',
		'-days',
		'2',
		'-subj',
		'/CN=netmigrate test CA',
	);
	await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server-key.pem', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
	writeFileSync(path.join(certs, 'server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
	await openssl(
		'x509',
		'-req',
		'-in',
		'server.csr',
		'-CA',
		'ca.pem',
		'-CAkey',
		'ca-key.pem',
		'-CAcreateserial',
		'-out',
		'server-cert.pem',
		'-days',
		'2',
		'-extfile',
		'server.ext',
	);
	await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'client.csr', '-subj', '/CN=operator');
	writeFileSync(path.join(certs, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
	await openssl(
		'x509',
		'-req',
		'-in',
		'client.csr',
		'-CA',
		'ca.pem',
		'-CAkey',
		'ca-key.pem',
		'-CAcreateserial',
		'-out',
		'cert.pem',
		'-days',
		'2',
		'-extfile',
		'client.ext',
	);
}

before(async () => {
	await makeCertificates();
	const read = (file: string) => readFileSync(path.join(certs, file));
	// The engine's TLS endpoint: only a client with a certificate from our CA gets through to its socket.
	server = createServer(
		{key: read('server-key.pem'), cert: read('server-cert.pem'), ca: read('ca.pem'), requestCert: true, rejectUnauthorized: true},
		(client) => {
			const engine = connect(suite.engine.socketPath);
			client.pipe(engine).pipe(client);
			const close = () => (client.destroy(), engine.destroy());
			client.on('error', close);
			engine.on('error', close);
		},
	);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	endpoint = `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
	server?.close();
	rmSync(certs, {recursive: true, force: true});
});

test('apply and rollback against a TLS tcp:// engine, compose included, with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH', async () => {
	const tls = {DOCKER_HOST: endpoint, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs};
	const apply = await runCli(['apply', '--yes', '--no-matrix'], {cwd: suite.stack.root, env: tls});
	assert.equal(apply.exitCode, 0, apply.all);
	assert.match(apply.stdout, /✔ Iteration network-foundation done .*6\/6 checks passed/);
	// The engine is not on this machine as far as netmigrate knows: routes are read on its host, by probes.
	const report = readFileSync(/report: (\S+)/.exec(apply.stdout)?.[1] as string, 'utf8');
	assert.match(
		report,
		/## Default routes\n\n(Every container's default route \([1-9]\d* read\)|Joining networks moved \d+ of [1-9]\d* containers)/,
	);
	const rollback = await runCli(['rollback', '--yes'], {cwd: suite.stack.root, env: tls});
	assert.equal(rollback.exitCode, 0, rollback.all);
	assert.deepEqual(await stackState(suite.engine.docker, suite.stack.root), suite.start);
});

test('the same endpoint without the client certificate is refused with what to do, changing nothing', async () => {
	const result = await runCli(['apply', '--yes', '--no-matrix'], {cwd: suite.stack.root, env: {DOCKER_HOST: endpoint}});
	assert.equal(result.exitCode, 4, result.all);
	assert.match(result.stderr, /the Docker engine is not answering/);
	assert.deepEqual(await stackState(suite.engine.docker, suite.stack.root), suite.start);
});
