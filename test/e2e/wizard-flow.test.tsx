// engines: 26 28 — both: this is where the engines differ (gw_priority, compose's recreate rules)
/**
 * The whole wizard driven by keystrokes against the real private engine: start iteration 1,
 * review, confirm each step that changes the host (asserting the engine after each), checks,
 * done; then roll back from the home screen. And a run killed mid-multihome, resumed from the
 * wizard's banner.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import {afterEach, test} from 'node:test';
import {App} from '../../source/app.js';
import {realCore} from '../../source/wizard.js';
import {runCli} from '../harness/cli.js';
import {cleanup, fits, keys, renderAt} from '../harness/render.js';
import {membership, stackState} from '../harness/state.js';
import {exampleStackSuite} from '../harness/suite.js';

const suite = exampleStackSuite();
const terminal = {columns: 80, rows: 24};

afterEach(cleanup);

function wizard() {
	const exits: Array<{code: number; message?: string}> = [];
	const tree = (
		<App
			core={realCore}
			planFile={path.join(suite.stack.root, 'netmigrate.yml')}
			host={suite.engine.host}
			yes={false}
			onExit={(code, message) => exits.push({code, ...(message ? {message} : {})})}
		/>
	);
	return {tree, exits};
}

const networkNames = async () => (await suite.engine.docker.listNetworks()).map((network) => network.Name).sort();

test('start → review → confirm each step → checks pass → done; then roll back from home', async () => {
	const {tree} = wizard();
	const screen = await renderAt(tree, terminal);
	let frame = await screen.waitFor((text) => /Start iteration 1: network-foundation/.test(text), 15_000);
	assert.match(frame, /18\/18 services running/);
	assert.ok(fits(frame, terminal).ok, `home fits 80×24: ${JSON.stringify(fits(frame, terminal))}`);

	await screen.type(keys.enter);
	frame = await screen.waitFor((text) => /Review iteration 1: network-foundation/.test(text), 15_000);
	assert.match(frame, /running state|Create networks \(6\)/);
	await screen.type(keys.right);
	// Engine 28 + Compose 2.40: the new network carries gw_priority, so the list becomes a map.
	assert.match(screen.lastFrame(), process.env.NETMIGRATE_TEST_ENGINE === '28' ? /\+\s+dmz-net: \{gw_priority: -1\}/ : /\+\s+- dmz-net/);
	assert.deepEqual(await networkNames(), suite.start.networks, 'reviewing changes nothing');

	await screen.type(keys.enter);
	frame = await screen.waitFor((text) => /Next: Create networks — 6 actions/.test(text), 15_000);
	assert.ok(fits(frame, terminal).ok, `gate fits: ${JSON.stringify(fits(frame, terminal))}`);
	assert.deepEqual(await networkNames(), suite.start.networks, 'nothing happens before the operator confirms');

	await screen.type(keys.enter);
	await screen.waitFor((text) => /Next: Multi-home services — 39 actions/.test(text), 20_000);
	assert.deepEqual(
		await networkNames(),
		[...suite.start.networks, 'backend-net', 'dmz-net', 'download-net', 'frontend-net', 'mgmt-net', 'security-net'].sort(),
	);
	assert.deepEqual(await membership(suite.engine.docker), suite.start.membership, 'no container joined yet');

	await screen.type(keys.enter);
	await screen.waitFor((text) => /Next: Update firewall allow-lists — 2 actions/.test(text), 30_000);
	const joined = await membership(suite.engine.docker);
	assert.deepEqual(joined.traefik, ['backend-net', 'dmz-net', 'frontend-net', 'media-network', 'security-net']);
	const gluetunBefore = await suite.engine.docker.getContainer('gluetun').inspect();
	assert.ok(gluetunBefore.Config.Env.includes('FIREWALL_OUTBOUND_SUBNETS=172.18.0.0/16,192.168.1.0/24'));

	await screen.type(keys.enter);
	frame = await screen.waitFor((text) => /is done/.test(text), 60_000);
	const gluetun = await suite.engine.docker.getContainer('gluetun').inspect();
	assert.ok(gluetun.Config.Env.includes('FIREWALL_OUTBOUND_SUBNETS=172.18.0.0/16,192.168.1.0/24,172.20.0.0/16'));
	assert.match(frame, /Networks created {6}6/);
	assert.match(frame, /Services multi-homed {2}17/);
	assert.match(frame, /Checks passed {9}6\/6/);
	assert.match(frame, /Measured downtime {5}[\d.]+ s \(gluetun \+ qbittorrent\)/);
	assert.ok(fits(frame, terminal).ok, `done fits: ${JSON.stringify(fits(frame, terminal))}`);

	await screen.type(keys.enter);
	frame = await screen.waitFor((text) => /Start iteration 2: port-consolidation/.test(text), 15_000);
	assert.match(frame, /1\. network-foundation\s+done/);
	// Live mode left the files ahead of the containers: a settle is offered.
	assert.match(frame, /Settle: recreate \d+ services one at a time/);
	// Menu: Start iteration 2, Settle, Review, Run checks only, Network map, Verify isolation, Roll back…, Show the last report, Quit.
	await screen.type(keys.down, keys.down, keys.down, keys.down, keys.down, keys.down, keys.enter);
	frame = await screen.waitFor((text) => /Roll back iteration 1 \(network-foundation\): \d+ inverse actions/.test(text), 15_000);
	assert.match(frame, /write .*docker-compose\.yml \(restore networks of /);
	await screen.type(keys.enter);
	frame = await screen.waitFor((text) => /rolled back in/.test(text), 60_000);
	assert.match(frame, /files byte-identical \(sha256\)/);
	assert.deepEqual(await stackState(suite.engine.docker, suite.stack.root), suite.start, 'the engine and the files are as before');
	screen.unmount();
});

test('a run killed mid-multihome shows the banner in a new wizard, which resumes it to done', async () => {
	// 13 writes create the networks (6 intents, 6 outcomes, the plan); 20 more land inside multi-home.
	const killed = await runCli(['apply', '--yes', '--host', suite.engine.host], {
		cwd: suite.stack.root,
		env: {NETMIGRATE_TEST_CRASH_AFTER_JOURNAL_WRITE: '34'},
	});
	assert.equal(killed.signal, 'SIGKILL');
	const partly = await membership(suite.engine.docker);
	assert.notDeepEqual(partly, suite.start.membership, 'some containers joined before the kill');

	const {tree} = wizard();
	const screen = await renderAt(tree, terminal);
	let frame = await screen.waitFor((text) => /was interrupted at Multi-home services/.test(text), 15_000);
	assert.match(frame, /❯ Resume iteration 1: network-foundation/);
	assert.ok(fits(frame, terminal).ok);

	await screen.type(keys.enter);
	frame = await screen.waitFor((text) => /Next: Multi-home services/.test(text), 20_000);
	assert.match(frame, /resumed where it stopped/);
	assert.match(frame, /– Create networks/, 'the finished step is skipped');
	await screen.type(keys.enter);
	await screen.waitFor((text) => /Next: Update firewall allow-lists/.test(text), 30_000);
	await screen.type(keys.enter);
	frame = await screen.waitFor((text) => /is done/.test(text), 60_000);
	assert.match(frame, /Checks passed {9}6\/6/);
	screen.unmount();

	const back = await runCli(['rollback', '--yes', '--host', suite.engine.host], {cwd: suite.stack.root});
	assert.equal(back.exitCode, 0, back.all);
	assert.deepEqual(await stackState(suite.engine.docker, suite.stack.root), suite.start);
});
