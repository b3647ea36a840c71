/**
 * The plan you reviewed is the plan that runs: iteration 1 of the example media stack saved as
 * `plan --out` saves it (from an engine's picture of the running stack, built here without an
 * engine), then held against the stack as apply holds it — unchanged it holds; a changed compose
 * file, a changed netmigrate.yml, a container on other networks, a network created in the way or
 * actions planned differently each refuse, naming what changed. The saved value holds no secret of
 * the stack's files, and `apply FILE` refuses a stale plan before it takes the lock or records anything.
 */
import assert from 'node:assert/strict';
import {cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, test} from 'node:test';
import type {Discovered, NetworkInfo, RunningContainer} from '../../source/domain.js';
import {exitCodeOf, NetmigrateError} from '../../source/errors.js';
import type {LoadedPlan} from '../../source/plan/load.js';
import {engineFactsOf, type SavedPlan} from '../../source/plan/saved.js';
import {actionChanges, engineChanges, fileChanges, parseSavedPlan} from '../../source/plan/stale.js';
import {readFileState} from '../../source/engine/files.js';
import {applyIteration} from '../../source/runs/apply.js';
import {loadStackPlan} from '../../source/runs/open.js';
import {savePlanned} from '../../source/runs/reviewed.js';
import {planIteration} from '../../steps/index.js';
import {exampleStack} from '../harness/engine.js';

const roots: string[] = [];
after(() => {
	for (const root of roots) rmSync(root, {recursive: true, force: true});
});

/** A copy of the example stack, so a test may change its files. */
function stackCopy(): {root: string; planFile: string} {
	const root = mkdtempSync(path.join(tmpdir(), 'nm-saved-'));
	roots.push(root);
	cpSync(exampleStack, root, {recursive: true});
	return {root, planFile: path.join(root, 'netmigrate.yml')};
}

/** What discover reads of the running example stack on Engine 26: every service's container on the flat network, and that network. */
function runningStack(loaded: LoadedPlan, change: (containers: Map<string, RunningContainer[]>) => void = () => {}): Discovered {
	const containers = new Map<string, RunningContainer[]>();
	for (const [service, model] of loaded.project.services) {
		const name = typeof model.config.container_name === 'string' ? model.config.container_name : `media-${service}-1`;
		containers.set(service, [{name, networks: [...model.networks], running: true}]);
	}
	change(containers);
	const flat: NetworkInfo = {
		id: 'a1b2c3',
		name: 'media-network',
		subnet: '172.18.0.0/16',
		gateway: '172.18.0.1',
		internal: false,
		driver: 'bridge',
		labels: {'com.docker.compose.network': 'media-network'},
		subnets: [{subnet: '172.18.0.0/16', gateway: '172.18.0.1'}],
		members: [],
	};
	const bridge: NetworkInfo = {
		id: 'd4e5f6',
		name: 'bridge',
		subnet: '172.17.0.0/16',
		internal: false,
		driver: 'bridge',
		labels: {},
		subnets: [{subnet: '172.17.0.0/16'}],
		members: [],
	};
	return {
		source: 'engine',
		apiVersion: '1.45',
		containers,
		networks: new Map([
			['media-network', flat],
			['bridge', bridge],
		]),
	};
}

function saved(): {root: string; planFile: string; loaded: LoadedPlan; discovered: Discovered; plan: SavedPlan} {
	const {root, planFile} = stackCopy();
	const loaded = loadStackPlan(planFile);
	const discovered = runningStack(loaded);
	const planned = planIteration(loaded.plan, 0, loaded.project, discovered);
	// Written and read back as `plan --out` and `apply FILE` do.
	const plan = parseSavedPlan(JSON.stringify(savePlanned(planFile, loaded, planned, discovered, '26.1.5')), 'plan.json');
	return {root, planFile, loaded, discovered, plan};
}

const hashOf = (file: string) => readFileState(file)?.sha256;

test('a saved plan holds while nothing it was made from changed: same files, same engine, the same actions planned again', () => {
	const {plan, loaded, discovered} = saved();
	assert.ok(
		plan.steps.some((step) => step.actions.length > 10),
		'iteration 1 has actions',
	);
	assert.ok(Object.keys(plan.files).includes('qbittorrent/docker-compose.yml'), 'every compose file is hashed');
	assert.ok(Object.keys(plan.files).includes('.env'), 'the env file is hashed');
	assert.deepEqual(fileChanges(plan, hashOf), []);
	assert.deepEqual(engineChanges(plan.engine, engineFactsOf(discovered, '26.1.5')), []);
	assert.deepEqual(actionChanges(plan, planIteration(loaded.plan, 0, loaded.project, discovered)), []);
});

test('a compose file changed since the plan was saved is named', () => {
	const {plan, root} = saved();
	const file = path.join(root, 'traefik/docker-compose.yml');
	writeFileSync(file, `${readFileSync(file, 'utf8')}# tuned by hand\n`);
	assert.deepEqual(fileChanges(plan, hashOf), ['traefik/docker-compose.yml changed']);
});

test('a changed netmigrate.yml is named as the plan file', () => {
	const {plan, planFile} = saved();
	writeFileSync(planFile, readFileSync(planFile, 'utf8').replace('172.20.0.0/24', '172.20.10.0/24'));
	assert.deepEqual(fileChanges(plan, hashOf), ['netmigrate.yml changed (the plan file)']);
});

test('a container on other networks, and a network created in the way, are named', () => {
	const {plan, loaded} = saved();
	const now = runningStack(loaded, (containers) =>
		containers.set('traefik', [{name: 'traefik', networks: ['media-network', 'proxy'], running: true}]),
	);
	now.networks.set('dmz-net', {
		id: 'f00',
		name: 'dmz-net',
		subnet: '172.20.0.0/24',
		internal: false,
		driver: 'bridge',
		labels: {},
		subnets: [{subnet: '172.20.0.0/24'}],
		members: [],
	} as NetworkInfo);
	assert.deepEqual(engineChanges(plan.engine, engineFactsOf(now, '26.1.5')), [
		'network dmz-net was created (172.20.0.0/24)',
		'container traefik: networks media-network → media-network, proxy',
	]);
	assert.deepEqual(engineChanges(plan.engine, engineFactsOf(now, '28.0.1')).slice(0, 1), ['Docker Engine 26.1.5 → 28.0.1']);
});

test('actions planned differently are named by step, even when the facts compared are the same', () => {
	const {plan, loaded, discovered} = saved();
	const recreate = planIteration(loaded.plan, 0, loaded.project, discovered, 'recreate');
	const changes = actionChanges(plan, recreate);
	assert.ok(
		changes.some((line) => /^step multihome: \d+ actions then, \d+ now; action 1 was network.connect/.test(line)),
		changes.join('\n'),
	);
	assert.ok(changes.includes('the mode was live, now recreate'));
});

test('the saved plan holds no secret of the stack: no file text, only hashes and masked diffs', () => {
	const {plan} = saved();
	const text = JSON.stringify(plan);
	assert.doesNotMatch(text, /wOEI9rqqbDwnN8|correct-horse/);
	assert.ok(
		plan.diffs.some((file) => file.path === 'qbittorrent/docker-compose.yml'),
		'the file holding the VPN key is among the diffs',
	);
	const writes = plan.steps.flatMap((step) => step.actions).filter((action) => action.kind === 'file.write');
	assert.ok(
		writes.length > 0 &&
			writes.every((action) => !('content' in action) && !('previous' in action) && typeof action.sha256After === 'string'),
	);
});

test('a document that is not a saved plan is refused, saying what is wrong', () => {
	assert.throws(
		() => parseSavedPlan('{"format":"netmigrate-saved-plan/0"}', 'old.json'),
		(error: unknown) =>
			error instanceof NetmigrateError &&
			error.code === 'bad-input' &&
			/old\.json is not a saved plan this netmigrate reads: format/.test(error.message),
	);
	assert.throws(() => parseSavedPlan('not json', 'x.json'), /x\.json is not a saved plan/);
});

test('apply FILE refuses a stale plan with exit code 5 before taking the lock or recording anything', async () => {
	const {plan, root, planFile} = saved();
	const file = path.join(root, 'qbittorrent/docker-compose.yml');
	writeFileSync(file, readFileSync(file, 'utf8').replace('qbittorrent', 'qbittorrent '));
	const refusal = applyIteration({planFile, host: 'unix:///nonexistent.sock', emit: () => {}, reviewed: {plan, file: 'reviewed.json'}});
	await assert.rejects(
		refusal,
		(error: unknown) =>
			error instanceof NetmigrateError &&
			error.code === 'stale-plan' &&
			error.message === 'the saved plan no longer holds: qbittorrent/docker-compose.yml changed',
	);
	assert.equal(existsSync(path.join(root, '.netmigrate')), false, 'no lock, journal or progress written');
});

test("the wizard's review held the same way: a stale review refuses, saying so, with the exit code of a stale plan", async () => {
	const {plan, root, planFile} = saved();
	rmSync(path.join(root, '.env'));
	const refusal = applyIteration({planFile, host: 'unix:///nonexistent.sock', emit: () => {}, reviewed: {plan}});
	await assert.rejects(
		refusal,
		(error: unknown) =>
			error instanceof NetmigrateError &&
			exitCodeOf(error) === 5 &&
			error.message === 'the plan you reviewed no longer holds: .env is gone' &&
			/review the iteration again/.test(error.hint ?? ''),
	);
});
