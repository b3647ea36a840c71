/**
 * Where the engine is, as the docker CLI decides it (--host, DOCKER_HOST, the context, the
 * socket), and how dockerode reaches it: a socket, tcp:// with or without TLS, ssh://.
 */
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {Agent} from 'node:http';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, test} from 'node:test';
import {connectionOptions, resolveHost} from '../../source/engine/endpoint.js';

const config = mkdtempSync(path.join(tmpdir(), 'nm-docker-config-'));
after(() => rmSync(config, {recursive: true, force: true}));

/** A context in the CLI's store, as `docker context create remote --docker host=…` writes it. */
function makeContext(name: string, host: string, tls = false): void {
	const id = createHash('sha256').update(name).digest('hex');
	mkdirSync(path.join(config, 'contexts/meta', id), {recursive: true});
	writeFileSync(
		path.join(config, 'contexts/meta', id, 'meta.json'),
		JSON.stringify({Name: name, Endpoints: {docker: {Host: host, SkipTLSVerify: false}}}),
	);
	if (tls) {
		const folder = path.join(config, 'contexts/tls', id, 'docker');
		mkdirSync(folder, {recursive: true});
		for (const file of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(path.join(folder, file), `${name} ${file}`);
	}
}

makeContext('remote', 'tcp://10.9.8.7:2376', true);
makeContext('over-ssh', 'ssh://ops@docker-host');
writeFileSync(path.join(config, 'config.json'), JSON.stringify({currentContext: 'over-ssh'}));

test('--host wins, then DOCKER_HOST, then DOCKER_CONTEXT, then the current context, then the local socket', () => {
	const base = {DOCKER_CONFIG: config};
	assert.equal(resolveHost('unix:///x.sock', {...base, DOCKER_HOST: 'tcp://a:2375'}), 'unix:///x.sock');
	assert.equal(resolveHost(undefined, {...base, DOCKER_HOST: 'tcp://a:2375', DOCKER_CONTEXT: 'remote'}), 'tcp://a:2375');
	assert.equal(resolveHost(undefined, {...base, DOCKER_CONTEXT: 'remote'}), 'tcp://10.9.8.7:2376');
	assert.equal(resolveHost(undefined, base), 'ssh://ops@docker-host');
	assert.equal(resolveHost(undefined, {...base, DOCKER_CONTEXT: 'default'}), 'unix:///var/run/docker.sock');
	assert.equal(resolveHost(undefined, {DOCKER_CONFIG: path.join(config, 'absent')}), 'unix:///var/run/docker.sock');
});

test('tcp:// is plain HTTP on 2375 unless TLS is asked for; then HTTPS on 2376 with the three PEM files', () => {
	assert.deepEqual(connectionOptions('tcp://127.0.0.1:2375', {}), {host: '127.0.0.1', port: 2375, protocol: 'http'});
	const certs = mkdtempSync(path.join(tmpdir(), 'nm-certs-'));
	for (const file of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(path.join(certs, file), file);
	const tls = connectionOptions('tcp://127.0.0.1', {DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs}) as {
		port: number;
		protocol: string;
		ca: Buffer;
		key: Buffer;
	};
	assert.equal(tls.protocol, 'https');
	assert.equal(tls.port, 2376);
	assert.equal(tls.ca.toString(), 'ca.pem');
	assert.equal(tls.key.toString(), 'key.pem');
	rmSync(certs, {recursive: true, force: true});
});

test('a context with certificates is reached over TLS with them', () => {
	const options = connectionOptions('tcp://10.9.8.7:2376', {DOCKER_CONFIG: config, DOCKER_CONTEXT: 'remote'}) as {
		protocol: string;
		cert: Buffer;
	};
	assert.equal(options.protocol, 'https');
	assert.equal(options.cert.toString(), 'remote cert.pem');
});

test("ssh:// goes through the system ssh (ssh-transport.test.ts), not to tcp:2375 nor through dockerode's own ssh", () => {
	const {agent, ...rest} = connectionOptions('ssh://ops@docker-host:2222') as {agent?: unknown};
	assert.ok(agent instanceof Agent);
	assert.deepEqual(rest, {protocol: 'http', host: 'api.moby.localhost', port: 80});
	assert.deepEqual(connectionOptions('unix:///run/docker.sock'), {socketPath: '/run/docker.sock'});
	assert.throws(() => connectionOptions('npipe:////./pipe/docker_engine'), /unsupported engine address/);
});
