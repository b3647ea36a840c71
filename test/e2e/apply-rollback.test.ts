// engines: 26 28 — both: this is where the engines differ (gw_priority, compose's recreate rules)
import assert from 'node:assert/strict';
import {readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {parse} from 'yaml';
import {runCompose} from '../../source/engine/compose.js';
import {defaultRoutesOf} from '../../source/engine/default-routes.js';
import {Engine} from '../../source/engine/docker.js';
import {previewRollback} from '../../source/runs/rollback.js';
import {runCli} from '../harness/cli.js';
import {exampleStack, repoRoot} from '../harness/engine.js';
import {endpoints, membership, stackState} from '../harness/state.js';
import {treeHashes} from '../harness/stack.js';
import {exampleStackSuite} from '../harness/suite.js';

const suite = exampleStackSuite();

/** Container → network → the address it has there. */
async function addresses(): Promise<Record<string, Record<string, string>>> {
	const found = await endpoints(suite.engine.docker, 'media');
	return Object.fromEntries(
		Object.entries(found).map(([name, networks]) => [
			name,
			Object.fromEntries(Object.entries(networks).map(([network, endpoint]) => [network, endpoint.address])),
		]),
	);
}
let addressesAtStart: Awaited<ReturnType<typeof addresses>> = {};

const plan = parse(readFileSync(path.join(exampleStack, 'netmigrate.yml'), 'utf8')) as {
	networks: Record<string, {subnet: string; internal?: boolean}>;
	iterations: Array<{attach: Record<string, string[]>}>;
};

test('preflight refuses, before any change, a probe image the engine does not have', async () => {
	addressesAtStart = await addresses();
	const result = await runCli(['apply', '--yes', '--no-matrix', '--host', suite.engine.host, '--probe-image', 'netmigrate/absent:1'], {
		cwd: suite.stack.root,
	});
	assert.equal(result.exitCode, 2, result.all);
	assert.match(result.all, /preflight found 1 problem; nothing was changed/);
	assert.match(result.all, /the probe image netmigrate\/absent:1 is not on the engine/);
	assert.match(result.all, /fix: pull it on the engine's host first/);
	assert.deepEqual(await stackState(suite.engine.docker, suite.stack.root), suite.start);
	const status = await runCli(['status'], {cwd: suite.stack.root});
	assert.match(status.stdout, /1\. network-foundation\s+pending/, 'a refused preflight leaves no run to resume');
});

test('apply iteration 1: every container on exactly its planned networks plus legacy, networks as planned, gluetun reloaded, checks pass, files golden', async () => {
	const result = await runCli(['apply', '--yes', '--no-matrix', '--host', suite.engine.host], {cwd: suite.stack.root});
	assert.equal(result.exitCode, 0, result.all);
	assert.match(result.stdout, /✔ Iteration network-foundation done .*6\/6 checks passed/);

	// gluetun and its followers were recreated to load the allow-list, at the addresses they had.
	const onLegacy = (book: Awaited<ReturnType<typeof addresses>>) =>
		Object.fromEntries(Object.entries(book).map(([name, networks]) => [name, networks['media-network']]));
	assert.deepEqual(onLegacy(await addresses()), onLegacy(addressesAtStart), 'every container at its address on media-network');

	const attach = plan.iterations[0]?.attach ?? {};
	const actual = await membership(suite.engine.docker);
	for (const [container, networks] of Object.entries(actual)) {
		if (container === 'qbittorrent') continue;
		assert.deepEqual(networks, ['media-network', ...(attach[container] ?? [])].sort(), container);
	}
	for (const [name, planned] of Object.entries(plan.networks)) {
		const network = await suite.engine.docker.getNetwork(name).inspect();
		assert.equal(network.IPAM?.Config?.[0]?.Subnet, planned.subnet, name);
		assert.equal(network.Internal, planned.internal ?? false, name);
		assert.equal(network.Labels?.['managed-by'], 'netmigrate', name);
	}
	const gluetun = await suite.engine.docker.getContainer('gluetun').inspect();
	assert.ok(gluetun.Config.Env.includes('FIREWALL_OUTBOUND_SUBNETS=172.18.0.0/16,192.168.1.0/24,172.20.0.0/16'));
	const qbittorrent = await suite.engine.docker.getContainer('qbittorrent').inspect();
	assert.equal(qbittorrent.HostConfig.NetworkMode, `container:${gluetun.Id}`, "qbittorrent still lives in the new gluetun's namespace");
	assert.equal(qbittorrent.State.Running, true);

	// Live aliases: the service name resolves on the new network, and the old address still answers.
	const traefikToJellyfin = await new Engine(suite.engine.host).exec('traefik', [
		'sh',
		'-c',
		'timeout 5 wget -q -O - http://jellyfin:8096/',
	]);
	assert.equal(traefikToJellyfin.output.trim(), 'jellyfin');

	const golden = path.join(
		repoRoot,
		process.env.NETMIGRATE_TEST_ENGINE === '28'
			? 'test/golden/media-stack-iteration-1-engine-28'
			: 'test/golden/media-stack-iteration-1',
	);
	for (const file of Object.keys(treeHashes(golden))) {
		assert.equal(readFileSync(path.join(suite.stack.root, file), 'utf8'), readFileSync(path.join(golden, file), 'utf8'), file);
	}
	const config = await runCompose(suite.project, ['config', '--quiet']);
	assert.equal(config.exitCode, 0, 'the edited files stay valid for plain docker compose');

	const state = path.join(suite.stack.root, '.netmigrate');
	assert.equal(statSync(state).mode & 0o777, 0o700);
	for (const file of Object.keys(treeHashes(state))) assert.equal(statSync(path.join(state, file)).mode & 0o777, 0o600, file);
	const report = await runCli(['report'], {cwd: suite.stack.root});
	if (process.env.NETMIGRATE_TEST_ENGINE === '28') {
		// Engine 28 orders gateways by gw_priority first: live connects and the compose files keep every route.
		assert.match(
			report.stdout,
			/## Default routes\n\nEvery container's default route \(17 read\) leaves through the same network as before/,
		);
	} else {
		// Engine 26 picks the default gateway by network name: joining dmz-net and download-net
		// (both before media-network, both with a gateway) moves egress; the report says so.
		assert.match(report.stdout, /## Default routes\n\nJoining networks moved \d+ of 17 containers' default routes/);
		assert.match(report.stdout, /\| traefik \| media-network \| dmz-net \|/);
		assert.match(report.stdout, /\| gluetun \| media-network \| download-net \|/);
		assert.doesNotMatch(
			report.stdout,
			/\| jellyfin \|[^\n]*\| frontend-net \|/,
			'an internal network has no gateway and takes no default route',
		);
	}
	assert.match(report.stdout, /\| sonarr \| qbittorrent:8080 \| download-net \| reachable \| ✅ reachable \| [\d.]+ ms/);
	assert.doesNotMatch(report.stdout, /wOEI9rqqbDwnN8|correct-horse/, 'no secrets in the report');
});

test('a second apply changes nothing and says the iteration is done', async () => {
	const before = await stackState(suite.engine.docker, suite.stack.root);
	const result = await runCli(['apply', '--yes', '--no-matrix', '--host', suite.engine.host, '--iteration', '1'], {
		cwd: suite.stack.root,
	});
	assert.equal(result.exitCode, 0, result.all);
	assert.match(result.all, /already done/);
	assert.deepEqual(await stackState(suite.engine.docker, suite.stack.root), before);
});

test('rollback, killed in its first recreate and run again, returns the files byte-identical and every container to exactly its networks and addresses from before', async () => {
	// Killed once compose has recreated the first service and it runs, before that outcome is journaled.
	const first = previewRollback(path.join(suite.stack.root, 'netmigrate.yml')).actions.findIndex(
		(action) => action.kind === 'service.recreate',
	);
	assert.ok(first >= 0, 'the rollback recreates a service');
	const killed = await runCli(['rollback', '--yes', '--host', suite.engine.host], {
		cwd: suite.stack.root,
		env: {NETMIGRATE_TEST_CRASH_BEFORE_DONE_OF: `rollback-${first + 1}`},
	});
	assert.equal(killed.signal, 'SIGKILL', killed.all);
	const result = await runCli(['rollback', '--yes', '--host', suite.engine.host], {cwd: suite.stack.root});
	assert.equal(result.exitCode, 0, result.all);
	assert.match(result.stdout, /files byte-identical \(sha256\)/);
	// Compose recreated gluetun, its followers and traefik; each is back at the address it had on every network.
	assert.match(result.stdout, /every address as before/);
	assert.deepEqual(await addresses(), addressesAtStart, 'every container at the address it had on each network');
	assert.deepEqual(await stackState(suite.engine.docker, suite.stack.root), suite.start);
	const routes = await defaultRoutesOf(new Engine(suite.engine.host), suite.engine.host, 'media');
	assert.equal(Object.keys(routes).length, 17, 'every container with its own namespace');
	for (const [container, network] of Object.entries(routes))
		assert.equal(network, 'media-network', `${container}'s egress is back on media-network`);
	assert.doesNotMatch(result.all, /default route/, 'no route left moved');
	const status = await runCli(['status'], {cwd: suite.stack.root});
	assert.match(status.stdout, /1\. network-foundation\s+rolled-back/);
});
