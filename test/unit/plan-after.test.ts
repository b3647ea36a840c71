/**
 * `plan --iteration N` before iterations 1..N-1 are applied shows N as it would run after them:
 * the same actions as planning N once 1..N-1 had really written their files (here: to a copy of
 * the example stack on disk) and changed the engine (simulated), with a heading that says so.
 * Runs without an engine: `plan` falls back to the compose files, as an operator's would.
 */
import assert from 'node:assert/strict';
import {cpSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import type {Action, IterationPlan} from '../../source/actions.js';
import {planCommand} from '../../source/commands/plan.js';
import type {ComposeModel} from '../../source/compose/project.js';
import type {Discovered, RunningContainer} from '../../source/domain.js';
import {loadPlan} from '../../source/plan/load.js';
import {simulate} from '../../source/plan/simulate.js';
import {chooseApplyIteration} from '../../source/runs/apply.js';
import {discoveredFromFiles} from '../../steps/context.js';
import {planIteration, planIterationAfter} from '../../steps/index.js';
import {Progress} from '../../state/progress.js';
import {exampleStack} from '../harness/engine.js';
import {treeHashes} from '../harness/stack.js';

const names = ['network-foundation', 'port-consolidation', 'retire-legacy'];
const noEngine = 'unix:///nonexistent/netmigrate-test.sock';

function copyOfExample(): {root: string; planFile: string; remove: () => void} {
	const root = path.join(mkdtempSync(path.join(tmpdir(), 'netmigrate-plan-after-')), 'media-stack');
	cpSync(exampleStack, root, {recursive: true});
	return {root, planFile: path.join(root, 'netmigrate.yml'), remove: () => rmSync(path.dirname(root), {recursive: true, force: true})};
}

async function plan(planFile: string, iteration: number, json: boolean): Promise<string> {
	const output: string[] = [];
	const code = await planCommand({plan: planFile, host: noEngine, json, yes: false, iteration, detailedExitcode: false}, (text) =>
		output.push(text),
	);
	assert.equal(code, 0);
	return output.join('\n');
}

/** What `plan --json` prints of the steps: each action, file contents left out (their sha256 stay). */
const printed = (planned: IterationPlan) =>
	planned.steps.map((step) => ({
		name: step.name,
		actions: step.actions.map((action) => ('content' in action ? {...action, content: undefined, previous: undefined} : action)),
	}));

const actionsOf = (planned: IterationPlan): Action[] => planned.steps.flatMap((step) => step.actions);

/**
 * Iterations 1..count planned one after another as an apply would run them: each one's files
 * written to disk, the engine's picture carried forward; returns the stack as they leave it.
 */
function applyOnDisk(
	planFile: string,
	count: number,
	discovered: Discovered,
): {project: ComposeModel; discovered: Discovered; plans: IterationPlan[]} {
	let picture = discovered;
	const plans: IterationPlan[] = [];
	for (let index = 0; index < count; index++) {
		const loaded = loadPlan(planFile, {startedIterations: new Set(names.slice(0, index))});
		const planned = planIteration(loaded.plan, index, loaded.project, picture);
		for (const file of planned.files) writeFileSync(file.path, file.after);
		picture = simulate(
			picture,
			actionsOf(planned),
			loadPlan(planFile, {startedIterations: new Set(names.slice(0, index + 1))}).project,
		);
		plans.push(planned);
	}
	return {project: loadPlan(planFile, {startedIterations: new Set(names.slice(0, count))}).project, discovered: picture, plans};
}

/** The example as a running engine reports it before iteration 1: every container on media-network (Engine 26, no gw_priority). */
function engineBefore(project: ComposeModel): Discovered {
	const containers = new Map<string, RunningContainer[]>();
	for (const service of project.services.values()) {
		containers.set(service.name, [
			{
				name: typeof service.config.container_name === 'string' ? service.config.container_name : `media-${service.name}-1`,
				networks: [...service.networks],
				running: true,
			},
		]);
	}
	return {
		source: 'engine',
		apiVersion: '1.45',
		composeVersion: '2.26.1',
		networks: new Map([
			['media-network', {name: 'media-network', subnet: '172.18.0.0/16', internal: false, driver: 'bridge', labels: {}}],
		]),
		containers,
	};
}

test('plan --iteration 3 before anything is applied prints the actions of iteration 3 planned after iterations 1 and 2 ran, and writes nothing', async () => {
	const stack = copyOfExample();
	try {
		const before = treeHashes(stack.root);
		const dryRun = JSON.parse(await plan(stack.planFile, 3, true)) as {assumes: unknown; steps: unknown};
		assert.deepEqual(treeHashes(stack.root), before, 'the dry run changed no file');
		assert.deepEqual(dryRun.assumes, [
			{index: 1, name: 'network-foundation'},
			{index: 2, name: 'port-consolidation'},
		]);

		const applied = applyOnDisk(stack.planFile, 2, discoveredFromFiles());
		const third = planIteration(
			loadPlan(stack.planFile, {startedIterations: new Set(names.slice(0, 2))}).plan,
			2,
			applied.project,
			applied.discovered,
		);
		assert.deepEqual(dryRun.steps, JSON.parse(JSON.stringify(printed(third))));
		const detach = third.steps.find((step) => step.name === 'detach')?.actions ?? [];
		assert.equal(
			detach.filter((action) => action.kind === 'network.disconnect').length,
			17,
			'every service with networks of its own leaves media-network',
		);
		assert.deepEqual(third.steps.find((step) => step.name === 'networks')?.actions, [], 'iteration 1 created the networks');
	} finally {
		stack.remove();
	}
});

test("planned after iterations 1 and 2 from an engine's picture, iteration 3 detaches from the files they wrote, the same as once they ran", () => {
	const stack = copyOfExample();
	try {
		const loaded = loadPlan(stack.planFile);
		const running = engineBefore(loaded.project);
		assert.throws(
			() => planIteration(loaded.plan, 2, loaded.project, running),
			/service traefik would be left on no network/,
			'alone, iteration 3 is refused',
		);

		const after = planIterationAfter(loaded.plan, 2, [0, 1], loaded.project, running);
		const applied = applyOnDisk(stack.planFile, 2, running);
		const third = planIteration(loaded.plan, 2, applied.project, applied.discovered);
		assert.deepEqual(actionsOf(after.planned), actionsOf(third));
		assert.deepEqual(after.planned.files, third.files);
		assert.deepEqual(
			after.discovered.containers.get('traefik')?.[0]?.networks,
			['media-network', 'dmz-net', 'frontend-net', 'backend-net', 'security-net'],
			'connected by iteration 1, kept through the recreate of iteration 2',
		);

		const traefik = path.join(stack.root, 'traefik/docker-compose.yml');
		const fromIteration2 = applied.plans[1]?.files.find((file) => file.path === traefik)?.after as string;
		const write = actionsOf(after.planned).find((action) => action.kind === 'file.write' && action.path === traefik);
		assert.ok(write?.kind === 'file.write');
		assert.equal(write.previous, fromIteration2, 'the detach edits the text iterations 1 and 2 leave');
		assert.match(write.previous, /traefik\.docker\.network: frontend-net/);
		assert.match(write.content, /traefik\.docker\.network: frontend-net[\s\S]*- dmz-net/);
		assert.doesNotMatch(write.content, /- media-network/);
	} finally {
		stack.remove();
	}
});

test('the dry run of a later iteration says which earlier ones it assumes; the next one assumes none', async () => {
	const stack = copyOfExample();
	try {
		const third = await plan(stack.planFile, 3, false);
		assert.match(
			third,
			/^Iteration 3 of 3: retire-legacy \(mode: live\)\nAs it would run after iterations 1 \(network-foundation\) and 2 \(port-consolidation\), which are not applied yet/,
		);
		assert.match(third, /- disconnect traefik from media-network/);
		assert.match(third, /^ {7}- dmz-net$/m, "the diff shows iteration 1's networks as context");
		assert.doesNotMatch(await plan(stack.planFile, 1, false), /As it would run after/);
	} finally {
		stack.remove();
	}
});

test('once iteration 1 is done, plan --iteration 3 assumes only iteration 2', async () => {
	const stack = copyOfExample();
	try {
		applyOnDisk(stack.planFile, 1, discoveredFromFiles());
		new Progress(stack.root).save({
			name: 'network-foundation',
			index: 0,
			status: 'done',
			mode: 'live',
			operator: 'root',
			toolVersion: '0.1.0',
			startedAt: 'now',
			journalStart: 0,
			steps: {},
		});
		const text = await plan(stack.planFile, 3, false);
		assert.match(text, /\nAs it would run after iteration 2 \(port-consolidation\), which is not applied yet/);
		assert.match(text, /- disconnect traefik from media-network/);
		assert.deepEqual((JSON.parse(await plan(stack.planFile, 3, true)) as {assumes: unknown}).assumes, [
			{index: 2, name: 'port-consolidation'},
		]);
	} finally {
		stack.remove();
	}
});

test('an earlier iteration that cannot be planned again is named in the refusal', async () => {
	const stack = copyOfExample();
	try {
		applyOnDisk(stack.planFile, 1, discoveredFromFiles());
		const progress = new Progress(stack.root);
		const record = {
			index: 0,
			mode: 'live',
			operator: 'root',
			toolVersion: '0.1.0',
			startedAt: 'now',
			journalStart: 0,
			steps: {},
		} as const;
		progress.save({...record, name: 'network-foundation', status: 'done'});
		// Iteration 2 stopped after its ports step had written jellyfin's file.
		const jellyfin = path.join(stack.root, 'jellyfin/docker-compose.yml');
		const loaded = loadPlan(stack.planFile, {startedIterations: new Set(names.slice(0, 1))});
		const second = planIteration(loaded.plan, 1, loaded.project, discoveredFromFiles());
		writeFileSync(jellyfin, second.files.find((file) => file.path === jellyfin)?.after as string);
		progress.save({...record, index: 1, name: 'port-consolidation', status: 'failed'});
		await assert.rejects(
			plan(stack.planFile, 3, false),
			/iteration 3 is planned as it would run after iteration 2 \(port-consolidation\), which is not applied yet, and planning iteration 2 \(port-consolidation\) failed: service jellyfin publishes no ports/,
		);
	} finally {
		stack.remove();
	}
});

test('apply still refuses an iteration whose earlier ones are not done', () => {
	const progress = (done: string[]) =>
		({iteration: (name: string) => (done.includes(name) ? {status: 'done'} : undefined), all: () => ({})}) as never;
	assert.throws(() => chooseApplyIteration(names, progress([]), 3), /iteration 1 \(network-foundation\) is not done yet/);
	assert.throws(
		() => chooseApplyIteration(names, progress(['network-foundation']), 3),
		/iteration 2 \(port-consolidation\) is not done yet/,
	);
	assert.equal(chooseApplyIteration(names, progress(['network-foundation', 'port-consolidation']), 3), 2);
});
