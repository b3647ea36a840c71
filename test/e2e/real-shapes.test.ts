// engines: 28 alone — Engine 28 only: what most hosts run; alone, beside the other passes, because the corpus takes 18 min, most of it waiting on real healthcheck intervals (`test/run.sh e2e-26-shapes` runs it on 26 too)
/**
 * Every real-shapes corpus stack (test/corpus/real-shapes) on the private engine, as a new user
 * would run netmigrate on it: `init` drafts the plan, then `plan` and `apply` for each drafted
 * iteration, then `rollback` of each, last first. After the applies, `docker compose config`
 * differs from the start only where the plan said (its networks, allow-list variables, ports,
 * labels); after the rollbacks every file is byte-identical and every container of the engine
 * is where it was: same networks, aliases, pinned addresses, shared namespaces alive.
 * The stacks 07–09 run side by side, as one host's per-app projects (08 lives in 07's gluetun).
 * What the stand-in images and the few stand-in edits are: test/harness/real-shapes.ts.
 */
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {execa} from 'execa';
import {parsePlan} from '../../source/plan/load.js';
import {runCli} from '../harness/cli.js';
import {stopTestEngine, testEngine, type TestEngine} from '../harness/engine.js';
import {buildStandInImages, compose, prepareStack, upAndWait, type PreparedStack} from '../harness/real-shapes.js';
import {differingPaths, places, unplannedChanges} from '../harness/real-shapes-state.js';
import {treeHashes} from '../harness/stack.js';
import {readStack, stackNames} from '../corpus/real-shapes/status.js';

/** A veth pair for macvlan networks to sit on (11 declares `parent: eth0`): what they send ends at its peer. */
const dummyLink = 'nm-mv0';
const only = process.env.NETMIGRATE_REAL_SHAPES?.split(',');
const wanted = stackNames().filter((name) => !only || only.some((prefix) => name.startsWith(prefix)));
/** The chosen stacks with the ones their host shares (07 runs gluetun for 08's qbittorrent: a check of 07 reaches 08). */
const names = stackNames().filter(
	(name) =>
		wanted.includes(name) ||
		wanted.some((chosen) => readStack(chosen).requires?.includes(name) || readStack(name).requires?.includes(chosen)),
);
/** A stack with the stacks it requires, run together; each stack once. */
const groups = names
	.filter((name) => !readStack(name).requires)
	.map((name) => [name, ...names.filter((other) => readStack(other).requires?.includes(name))]);

/** Whether / was a shared mount before the test (systemd hosts) or private (this CI's machines). */
const rootShared = readFileSync('/proc/self/mountinfo', 'utf8')
	.split('\n')
	.some((line) => line.split(' ')[4] === '/' && / shared:\d+/.test(line));
let engine: TestEngine;
before(async () => {
	engine = await testEngine();
	await buildStandInImages(engine.docker, names.map(readStack));
	// As systemd leaves every host: / a shared mount, so `rslave` binds (node-exporter's `/:/host:ro,rslave`) work.
	if (!rootShared) await execa('mount', ['--make-rshared', '/']);
	await execa('ip', ['link', 'del', dummyLink], {reject: false});
	await execa('ip', ['link', 'add', dummyLink, 'type', 'veth', 'peer', 'name', `${dummyLink}p`]);
	for (const link of [dummyLink, `${dummyLink}p`]) await execa('ip', ['link', 'set', link, 'up']);
});
after(async () => {
	// The machine as it was: a private / (mounts made while it was shared stay peers and would outlive an engine's exec-root).
	if (!rootShared) await execa('mount', ['--make-rprivate', '/']);
	await execa('ip', ['link', 'del', dummyLink], {reject: false});
	await stopTestEngine();
});

const files = (root: string) => Object.fromEntries(Object.entries(treeHashes(root)).filter(([file]) => !file.startsWith('.netmigrate')));
const cli = (prepared: PreparedStack, args: string[]) => runCli(args, {cwd: prepared.root, env: prepared.env});

for (const group of groups) {
	test(`${group.join(' + ')}: init, plan and apply every drafted iteration, roll back: compose sees only the plan's changes, then every file and container as before`, async (t) => {
		await testEngine();
		const stacks = group.map((name) => prepareStack(name, engine.host, dummyLink));
		try {
			const refused = new Set<PreparedStack>();
			for (const prepared of stacks) {
				if (prepared.standIns.length > 0) t.diagnostic(`${prepared.name} stand-ins: ${prepared.standIns.join('; ')}`);
				const valid = await compose(prepared, ['config', '--quiet']);
				if (valid.exitCode !== 0) {
					// This compose refuses the file as its owner wrote it (Compose 2.40: a YAML date as an environment value).
					t.diagnostic(`${prepared.name}: this compose refuses the stack as written: ${valid.all.trim().split('\n').at(-1)}`);
					refused.add(prepared);
					continue;
				}
				assert.equal(await upAndWait(prepared, engine.docker), '', `${prepared.name}: docker compose up`);
			}
			const start = await places(engine.docker);
			for (const prepared of stacks) await (refused.has(prepared) ? refusedAsCompose(prepared) : migrate(prepared, start, t));
		} finally {
			for (const prepared of [...stacks].reverse()) await compose(prepared, ['down', '--timeout', '1']);
			for (const prepared of stacks) prepared.remove();
		}
	});
}

/** A stack the engine's compose refuses: netmigrate refuses it too, before changing anything, and says why. */
async function refusedAsCompose(prepared: PreparedStack): Promise<void> {
	const before = files(prepared.root);
	const networks = (await engine.docker.listNetworks()).map((network) => network.Name).sort();
	const init = await cli(prepared, ['init', ...prepared.stack.composeArgs, '--legacy', prepared.stack.legacy]);
	assert.equal(init.exitCode, 0, `${prepared.name}: init drafts from the files\n${init.all}`);
	const applied = await cli(prepared, ['apply', '--yes']);
	assert.equal(applied.exitCode, 2, `${prepared.name}: apply refuses\n${applied.all}`);
	assert.match(applied.all, /docker compose refuses the stack: /);
	const after = Object.fromEntries(Object.entries(files(prepared.root)).filter(([file]) => file !== 'netmigrate.yml'));
	assert.deepEqual(after, before, `${prepared.name}: no file changed`);
	assert.deepEqual(
		(await engine.docker.listNetworks()).map((network) => network.Name).sort(),
		networks,
		`${prepared.name}: no network created`,
	);
}

async function migrate(
	prepared: PreparedStack,
	start: Awaited<ReturnType<typeof places>>,
	t: {diagnostic: (message: string) => void},
): Promise<void> {
	const {name, stack} = prepared;
	const init = await cli(prepared, ['init', ...stack.composeArgs, '--legacy', stack.legacy]);
	assert.equal(init.exitCode, 0, `${name}: init\n${init.all}`);
	const planFile = path.join(prepared.root, 'netmigrate.yml');
	const {plan} = parsePlan(planFile, readFileSync(planFile, 'utf8'));
	assert.ok(plan.iterations.length > 0, `${name}: the draft has iterations`);
	const filesAtStart = files(prepared.root);
	const configAtStart = await config(prepared);

	for (const [index, iteration] of plan.iterations.entries()) {
		const dryRun = await cli(prepared, ['plan']);
		assert.equal(dryRun.exitCode, 0, `${name}: plan before iteration ${index + 1}\n${dryRun.all}`);
		assert.match(
			dryRun.stdout,
			new RegExp(`Iteration ${index + 1} of ${plan.iterations.length}`),
			`${name}: plan shows the next pending iteration`,
		);
		// The whole matrix is probed after the last iteration, where the segmentation is complete;
		// the earlier ones check the declared checks only, which keeps this pass inside CI's time.
		const last = index === plan.iterations.length - 1;
		const applied = await cli(prepared, ['apply', '--yes', ...(last ? [] : ['--no-matrix'])]);
		assert.equal(applied.exitCode, 0, `${name}: apply of iteration ${index + 1} (${iteration.name})\n${applied.all}`);
		if (last) {
			const matrix = /every pair: (.*)/.exec(applied.stdout)?.[1];
			assert.ok(matrix, `${name}: the checks step probed every pair\n${applied.stdout}`);
			t.diagnostic(`${name}: every pair after iteration ${index + 1}: ${matrix}`);
		}
	}
	const configApplied = await config(prepared);
	const changed = differingPaths(configAtStart, configApplied);
	t.diagnostic(`${name}: ${plan.iterations.length} iterations applied; compose config changed at ${changed.length} paths`);
	assert.ok(changed.length > 0, `${name}: the applied plan changed what compose reads`);
	const unplanned = unplannedChanges(changed, plan, configAtStart, configApplied).map(
		(at) => `${at}: ${JSON.stringify(valueAt(configAtStart, at))} → ${JSON.stringify(valueAt(configApplied, at))}`,
	);
	assert.deepEqual(unplanned, [], `${name}: compose config changed only where the plan said`);

	for (let index = plan.iterations.length; index >= 1; index--) {
		const rolledBack = await cli(prepared, ['rollback', '--yes', '--iteration', String(index)]);
		assert.equal(rolledBack.exitCode, 0, `${name}: rollback of iteration ${index}\n${rolledBack.all}`);
	}
	assert.deepEqual(files(prepared.root), filesAtStart, `${name}: every file byte-identical (sha256) after the rollbacks`);
	assert.deepEqual(await config(prepared), configAtStart, `${name}: compose reads the stack as at the start`);
	const now = await places(engine.docker);
	// The engine gives a requested address only on a network with a configured subnet: elsewhere
	// a recreated container's address is the allocator's, and the rollback says how many changed.
	const subnetted = new Set(
		Object.entries(configAtStart.networks ?? {})
			.filter(([, network]) => network.ipam?.config?.some((item) => item.subnet))
			.map(([key, network]) => network.name ?? key),
	);
	const allocated = (at: string) => {
		const network = /\.networks\.(.+)\.address$/.exec(at)?.[1];
		return network !== undefined && !subnetted.has(network);
	};
	const paths = differingPaths(start, now);
	const moved = paths
		.filter((at) => !allocated(at))
		.map((at) => `${at}: ${JSON.stringify(valueAt(start, at))} → ${JSON.stringify(valueAt(now, at))}`);
	assert.deepEqual(moved, [], `${name}: every container on its networks, with its aliases and addresses, as at the start`);
	const allocatedAnew = paths.filter(allocated).length;
	if (allocatedAnew > 0)
		t.diagnostic(`${name}: ${allocatedAnew} addresses the allocator gave anew, on networks without a configured subnet`);
}

function valueAt(value: unknown, at: string): unknown {
	return at
		.split('.')
		.reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), value);
}

type ComposeNetwork = {name?: string; ipam?: {config?: Array<{subnet?: string}>}};

async function config(prepared: PreparedStack): Promise<{networks?: Record<string, ComposeNetwork>}> {
	const result = await compose(prepared, ['config', '--format', 'json']);
	assert.equal(result.exitCode, 0, `${prepared.name}: docker compose config\n${result.all}`);
	const parsed = JSON.parse(result.stdout) as {
		services?: Record<string, {networks?: Record<string, unknown>}>;
		networks?: Record<string, ComposeNetwork>;
	};
	// A network listed (`- solver`) prints as null, the same one as a map key with no settings as {}: one attachment, no options.
	for (const service of Object.values(parsed.services ?? {}))
		for (const key of Object.keys(service.networks ?? {})) (service.networks as Record<string, unknown>)[key] ??= {};
	return parsed;
}
