/**
 * A detach's rollback reconnects the endpoint exactly as it was: the executor reads the endpoint
 * just before it disconnects and journals it with the intent; the inverse reconnects with those
 * aliases and that pinned address (EndpointConfig.Aliases and IPAMConfig). The engine here is
 * netmigrate's adapter over a dockerode whose requests are answered in-process.
 */
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, test} from 'node:test';
import {describe as describeAction, inverse, type Action, type NetworkDisconnect} from '../../source/actions.js';
import {Engine} from '../../source/engine/docker.js';
import {applyAction, runActions, type ExecutorContext} from '../../source/executor.js';
import {Journal, readJournal} from '../../state/journal.js';
import {actionsOf} from '../../state/journal-queries.js';
import {repoRoot} from '../harness/engine.js';
import {changedFiles, planFromFiles} from '../harness/iteration.js';

const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, {recursive: true, force: true})));

const apiId = 'c3'.repeat(32);

/** `docker inspect shop-api-1` as Engine 26 answers for a compose container with `aliases:` and `ipv4_address:`. */
function inspected(networks: Record<string, unknown>) {
	return {
		Id: apiId,
		Name: '/shop-api-1',
		Config: {
			Labels: {'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'api'},
			Env: [],
			Image: 'netmigrate/busybox:1',
		},
		State: {Status: 'running', Pid: 4242},
		HostConfig: {NetworkMode: 'flat-net'},
		NetworkSettings: {Networks: networks},
	};
}

const flatNet = {
	IPAMConfig: {IPv4Address: '172.28.0.60', IPv6Address: ''},
	Aliases: ['shop-api-1', 'api', 'backend-api'],
	IPAddress: '172.28.0.60',
	Gateway: '172.28.0.1',
};
const appNet = {
	IPAMConfig: {IPv4Address: '', IPv6Address: ''},
	Aliases: ['api', 'shop-api-1'],
	IPAddress: '172.29.1.3',
	Gateway: '172.29.1.1',
};

/** An adapter whose dockerode answers from `state` and records connects and disconnects. */
function fakeEngine(state: {networks: Record<string, unknown>}) {
	const engine = new Engine('unix:///nonexistent/netmigrate-test.sock');
	const calls: Array<{what: 'connect' | 'disconnect'; network: string; body: unknown}> = [];
	const docker = engine.docker as unknown as Record<string, unknown>;
	docker.getContainer = () => ({inspect: async () => inspected(state.networks)});
	docker.getNetwork = (network: string) => ({
		connect: async (body: unknown) => calls.push({what: 'connect', network, body}),
		disconnect: async (body: unknown) => {
			calls.push({what: 'disconnect', network, body});
			delete state.networks[network];
		},
	});
	return {engine, calls};
}

function context(engine: Engine, journal: Journal, run: 'apply' | 'rollback' = 'apply'): ExecutorContext {
	return {
		engine,
		compose: {host: engine.host, directory: '/srv/shop', files: ['docker-compose.yml']},
		journal,
		iteration: 'join-app-net',
		run,
		emit: () => {},
		stopRequested: () => false,
		concurrency: 4,
	};
}

/** As steps/detach.ts plans it: the names it knows, nothing of the file's aliases or pins. */
const planned: NetworkDisconnect = {
	kind: 'network.disconnect',
	network: 'flat-net',
	container: 'shop-api-1',
	service: 'api',
	aliases: ['api', 'shop-api-1'],
};

test("the engine reads pinned addresses from IPAMConfig, not the dynamic one, and compose's empty strings as no pin", async () => {
	const {engine} = fakeEngine({networks: {'flat-net': flatNet, 'app-net': appNet}});
	const container = await engine.inspectContainer('shop-api-1');
	assert.deepEqual(
		container?.networks.map(({network, pinnedIPv4, aliases}) => ({network, pinnedIPv4, aliases})),
		[
			{network: 'flat-net', pinnedIPv4: '172.28.0.60', aliases: ['shop-api-1', 'api', 'backend-api']},
			{network: 'app-net', pinnedIPv4: undefined, aliases: ['api', 'shop-api-1']},
		],
	);
});

test("an apply's disconnect journals the endpoint it removes, and its inverse reconnects with those Aliases and that IPAMConfig", async () => {
	const root = mkdtempSync(path.join(tmpdir(), 'nm-reconnect-'));
	roots.push(root);
	const {engine, calls} = fakeEngine({networks: {'flat-net': flatNet, 'app-net': appNet}});
	const journal = new Journal(root);
	await runActions('detach', [planned], context(engine, journal));
	assert.deepEqual(calls, [{what: 'disconnect', network: 'flat-net', body: {Container: 'shop-api-1', Force: false}}]);

	const [applied] = actionsOf(readJournal(root), 'join-app-net', 'apply');
	assert.deepEqual(applied?.action, {...planned, endpoint: {aliases: ['api', 'backend-api', 'shop-api-1'], ipv4Address: '172.28.0.60'}});
	const back = inverse(applied?.action as Action);
	assert.deepEqual(back, {
		kind: 'network.connect',
		network: 'flat-net',
		container: 'shop-api-1',
		service: 'api',
		aliases: ['api', 'backend-api', 'shop-api-1'],
		ipv4: '172.28.0.60',
	});
	assert.equal(describeAction(back), 'connect shop-api-1 to flat-net as api, backend-api, shop-api-1 at 172.28.0.60');

	await applyAction(back, {engine, compose: context(engine, journal).compose});
	assert.deepEqual(calls[1], {
		what: 'connect',
		network: 'flat-net',
		body: {
			Container: 'shop-api-1',
			EndpointConfig: {Aliases: ['api', 'backend-api', 'shop-api-1'], IPAMConfig: {IPv4Address: '172.28.0.60'}},
		},
	});
});

test("a resumed run replays an interrupted disconnect that had happened: the first intent's record of the endpoint stands", async () => {
	const root = mkdtempSync(path.join(tmpdir(), 'nm-reconnect-'));
	roots.push(root);
	const state = {networks: {'flat-net': flatNet, 'app-net': appNet} as Record<string, unknown>};
	const {engine} = fakeEngine(state);
	const journal = new Journal(root);
	await runActions('detach', [planned], context(engine, journal));
	// The crash came after the disconnect, before its outcome was written: the replay finds it done.
	const entries = readJournal(root).filter((entry) => entry.phase !== 'done');
	const replayRoot = mkdtempSync(path.join(tmpdir(), 'nm-reconnect-'));
	roots.push(replayRoot);
	const replayJournal = new Journal(replayRoot);
	for (const {seq: _seq, at: _at, ...entry} of entries) replayJournal.append(entry);
	await runActions('detach', [planned], context(engine, replayJournal));
	const intents = readJournal(replayRoot).filter((entry) => entry.phase === 'intent');
	assert.equal(intents.length, 2);
	assert.equal((intents[1]?.action as NetworkDisconnect).endpoint, undefined, 'the replay had nothing left to read');
	const [applied] = actionsOf(readJournal(replayRoot), 'join-app-net', 'apply');
	assert.deepEqual((applied?.action as NetworkDisconnect).endpoint, {
		aliases: ['api', 'backend-api', 'shop-api-1'],
		ipv4Address: '172.28.0.60',
	});
	assert.equal(applied?.outcome, 'done');
});

test('a disconnect journaled before endpoints were recorded rolls back as before: the names it was planned with', () => {
	assert.deepEqual(inverse({...planned, ipv4: '172.28.0.60'}), {
		kind: 'network.connect',
		network: 'flat-net',
		container: 'shop-api-1',
		service: 'api',
		aliases: ['api', 'shop-api-1'],
		ipv4: '172.28.0.60',
	});
	const withIPv6 = inverse({...planned, endpoint: {aliases: ['api'], ipv6Address: 'fd00:28::60', gwPriority: 10}});
	assert.deepEqual(withIPv6, {
		kind: 'network.connect',
		network: 'flat-net',
		container: 'shop-api-1',
		service: 'api',
		aliases: ['api'],
		ipv6: 'fd00:28::60',
		gwPriority: 10,
	});
});

test("a rollback's own disconnects are not inspected first: they are never undone", async () => {
	const root = mkdtempSync(path.join(tmpdir(), 'nm-reconnect-'));
	roots.push(root);
	const {engine} = fakeEngine({networks: {'flat-net': flatNet, 'app-net': appNet}});
	const undoJoin: Action = {
		kind: 'network.disconnect',
		network: 'app-net',
		container: 'shop-api-1',
		service: 'api',
		aliases: ['api', 'shop-api-1'],
	};
	await runActions('rollback', [undoJoin], context(engine, new Journal(root), 'rollback'));
	assert.deepEqual(readJournal(root).find((entry) => entry.phase === 'intent')?.action, undoJoin);
});

test('the end-to-end fixture plans as test/e2e/membership.test.ts expects: api leaves flat-net with its aliases and pin, web and worker keep theirs', () => {
	const planned = planFromFiles(path.join(repoRoot, 'test/fixtures/membership-stack/netmigrate.yml'), 0);
	const actions = planned.steps
		.flatMap((step) => step.actions)
		.filter((action) => action.kind !== 'file.write')
		.map((action) => describeAction(action));
	assert.deepEqual(actions, [
		'create network app-net (172.20.1.0/24)',
		'connect shop-web-1 to app-net as web, shop-web-1',
		'connect shop-api-1 to app-net as api, shop-api-1',
		'connect shop-worker-1 to app-net as worker, shop-worker-1',
		'disconnect shop-api-1 from flat-net',
	]);
	const file = changedFiles(planned).get('docker-compose.yml') ?? '';
	assert.match(
		file,
		/      flat-net:\n        aliases:\n          - www\n          - frontpage\n        ipv4_address: 172\.18\.0\.50\n      app-net:\n/,
	);
	assert.match(file, /  api:\n(?:    .*\n)+    networks:\n      app-net:\n\n/);
	assert.doesNotMatch(file, /backend-api\]|172\.18\.0\.60/, "api's flat-net entry is gone from the file (the rollback restores it)");
	assert.match(file, /        aliases: \[jobs\]\n      app-net:\n/);
});
