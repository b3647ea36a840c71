// engines: 26 — Engine 26 only: ssh carries the same HTTP to either release
/**
 * An engine reached over ssh://, through a real sshd (test/harness/sshd.ts) whose only key runs
 * `docker system dial-stdio` against the private engine. netmigrate and the compose it runs both
 * go through the system ssh, with the agent in SSH_AUTH_SOCK and the test's known_hosts. On the
 * membership fixture, with a label on worker added to its iteration so that compose really
 * recreates a service over ssh: `plan` reads the engine (--host, then DOCKER_HOST), `apply`
 * changes it, `rollback` undoes it; the engine, read through its own socket, saw every change, and
 * sshd's record shows sessions opened by netmigrate and by compose. An unknown host key is
 * refused with ssh's words, before any change.
 */
import assert from 'node:assert/strict';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {runCli} from '../harness/cli.js';
import {repoRoot} from '../harness/engine.js';
import {startSshd, type TestSshd} from '../harness/sshd.js';
import {stackState} from '../harness/state.js';
import {stackSuite} from '../harness/suite.js';

const label = 'test.netmigrate.reached';
let sshd: TestSshd;

const suite = stackSuite(path.join(repoRoot, 'test/fixtures/membership-stack'), 'shop', async (suite) => {
	// The fixture's iteration plus a label on worker: the labels step recreates worker through compose.
	const planFile = path.join(suite.stack.root, 'netmigrate.yml');
	const plan = readFileSync(planFile, 'utf8');
	assert.ok(plan.includes('    checks:\n'));
	writeFileSync(planFile, plan.replace('    checks:\n', `    labels:\n      worker: {${label}: over-ssh}\n    checks:\n`));
	suite.start = await stackState(suite.engine.docker, suite.stack.root, 'shop');
	sshd = await startSshd(suite.engine.socketPath);
});

after(async () => sshd?.stop());

const networkNames = async () => (await suite.engine.docker.listNetworks()).map((network) => network.Name).sort();
const workerLabel = async () => (await suite.engine.docker.getContainer('shop-worker-1').inspect()).Config.Labels[label];
const sessionsOf = (client: string) => sshd.sessions().filter((session) => session.client === client);

test('plan reads the engine over ssh, with --host and with DOCKER_HOST, and changes nothing', async () => {
	for (const how of [
		{args: ['--host', sshd.host], env: sshd.env},
		{args: [], env: {...sshd.env, DOCKER_HOST: sshd.host}},
	]) {
		const result = await runCli(['plan', ...how.args], {cwd: suite.stack.root, env: how.env});
		assert.equal(result.exitCode, 0, result.all);
		assert.match(result.stdout, new RegExp(`running state read from the engine at ${sshd.host}\\n`), 'not the fallback to the files');
		assert.match(result.stdout, /create network app-net/);
		assert.match(result.stdout, /recreate worker/);
	}
	assert.deepEqual(await stackState(suite.engine.docker, suite.stack.root, 'shop'), suite.start);
	assert.ok(sessionsOf('node').length >= 2, `netmigrate's sessions: ${JSON.stringify(sshd.sessions())}`);
	assert.ok(
		sshd.sessions().every((session) => session.command === 'docker system dial-stdio'),
		'every client asked for dial-stdio, as the docker CLI does',
	);
});

test('apply over ssh (--host): the engine gets app-net, worker is recreated by compose with the label, status says done', async () => {
	const composeBefore = sessionsOf('docker-compose').length;
	const result = await runCli(['apply', '--yes', '--no-matrix', '--host', sshd.host], {cwd: suite.stack.root, env: sshd.env});
	assert.equal(result.exitCode, 0, result.all);
	assert.match(result.stdout, /✔ Iteration join-app-net done .*2\/2 checks passed/);

	assert.ok((await networkNames()).includes('app-net'), 'the engine has app-net');
	assert.equal(await workerLabel(), 'over-ssh', 'compose recreated worker from the labelled file');
	const api = await suite.engine.docker.getContainer('shop-api-1').inspect();
	assert.deepEqual(Object.keys(api.NetworkSettings.Networks ?? {}), ['app-net'], 'api left flat-net');
	assert.ok(sessionsOf('docker-compose').length > composeBefore, `compose's sessions: ${JSON.stringify(sshd.sessions())}`);

	const status = await runCli(['status'], {cwd: suite.stack.root});
	assert.equal(status.exitCode, 0, status.all);
	assert.match(status.stdout, /1\. join-app-net\s+done/);
});

test('rollback over ssh (DOCKER_HOST): compose recreates worker without the label, and the stack is as at the start', async () => {
	const composeBefore = sessionsOf('docker-compose').length;
	const result = await runCli(['rollback', '--yes'], {cwd: suite.stack.root, env: {...sshd.env, DOCKER_HOST: sshd.host}});
	assert.equal(result.exitCode, 0, result.all);

	assert.ok(!(await networkNames()).includes('app-net'), 'app-net is gone from the engine');
	assert.equal(await workerLabel(), undefined, 'worker recreated from the restored file');
	assert.deepEqual(
		await stackState(suite.engine.docker, suite.stack.root, 'shop'),
		suite.start,
		'files byte-identical, networks and membership as at the start',
	);
	assert.ok(sessionsOf('docker-compose').length > composeBefore, "the rollback's compose went over ssh too");
	const status = await runCli(['status'], {cwd: suite.stack.root});
	assert.match(status.stdout, /1\. join-app-net\s+rolled-back/);
});

test("an ssh whose known_hosts lacks the host is refused in ssh's words, exit 4, nothing changed", async () => {
	const result = await runCli(['apply', '--yes', '--no-matrix', '--host', sshd.host], {cwd: suite.stack.root, env: sshd.strangerEnv});
	assert.equal(result.exitCode, 4, result.all);
	assert.match(result.stderr, /ssh to the engine at ssh:\/\/root@127\.0\.0\.1:\d+ failed: .*Host key verification failed/);
	assert.deepEqual(await stackState(suite.engine.docker, suite.stack.root, 'shop'), suite.start);
});
