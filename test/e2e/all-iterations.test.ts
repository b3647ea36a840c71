// engines: 26 28 — both: this is where the engines differ (gw_priority, compose's recreate rules)
/**
 * The whole plan of the example stack, as an operator runs it over days: iteration 1
 * (networks, multi-homing, firewall), 2 (unpublish ports), 3 (retire the legacy network), each
 * with its checks; then every iteration rolled back, newest first, to the exact start.
 */
import assert from 'node:assert/strict';
import {readFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {repoRoot} from '../harness/engine.js';
import {treeHashes} from '../harness/stack.js';
import {runCli} from '../harness/cli.js';
import {endpoints, membership, stackState} from '../harness/state.js';
import {exampleStackSuite} from '../harness/suite.js';

const suite = exampleStackSuite();

async function cli(args: string[]) {
	const result = await runCli([...args, '--host', suite.engine.host], {cwd: suite.stack.root});
	assert.equal(result.exitCode, 0, `netmigrate ${args.join(' ')}:\n${result.all}`);
	return result;
}

/** `netmigrate verify`: every pair of namespaces probed against the plan after the last done iteration; 0 when all is as intended. */
async function verified(when: string): Promise<void> {
	const result = await runCli(['verify', '--host', suite.engine.host], {cwd: suite.stack.root});
	assert.equal(result.exitCode, 0, `verify ${when}:\n${result.all}`);
	assert.match(result.stdout, /272 pairs, 0 not as intended/, when);
}

/** The apply's checks step probed every pair against the plan after the iteration (what `verify` would say), and all was as intended. */
function everyPairAsIntended(output: string, when: string, change: RegExp): void {
	assert.match(output, /every pair: \d+ of 272 pairs probed, all as intended; /, when);
	assert.match(output, change, when);
}

/**
 * What verify finds that the declared checks would not: a container attached by hand to a
 * network the plan does not give it, and a legacy attachment left on — each a `!` whose reason
 * names the network and the command that removes it. The stack is put back after each.
 */
async function strayFound(): Promise<void> {
	const docker = suite.engine.docker;
	await docker.getNetwork('frontend-net').connect({Container: 'cloudflared'});
	const byHand = await runCli(['verify', '--host', suite.engine.host], {cwd: suite.stack.root});
	await docker.getNetwork('frontend-net').disconnect({Container: 'cloudflared'});
	assert.equal(byHand.exitCode, 1, byHand.all);
	assert.match(
		byHand.stdout,
		/! cloudflared -> jellyfin: expected blocked, reachable\n\s+no network joins cloudflared \(on dmz-net\) and jellyfin \(on frontend-net\);[\s\S]*?cloudflared is on\s+frontend-net, which the plan does not give it/,
	);

	for (const container of ['cloudflared', 'bazarr']) await docker.getNetwork('media-network').connect({Container: container});
	const leftOn = await runCli(['verify', '--json', '--host', suite.engine.host], {cwd: suite.stack.root});
	for (const container of ['cloudflared', 'bazarr']) await docker.getNetwork('media-network').disconnect({Container: container});
	assert.equal(leftOn.exitCode, 1, leftOn.all);
	const mismatches = (JSON.parse(leftOn.stdout) as {mismatches: Array<{from: string; to: string; reason: string}>}).mismatches;
	const pair = mismatches.find((item) => item.from === 'cloudflared' && item.to === 'bazarr');
	assert.match(
		pair?.reason ?? JSON.stringify(mismatches),
		/cloudflared and bazarr are on media-network, which the plan does not give them/,
	);
}

/** `export nomad` on the live stack after iteration 1, with no --iteration: the last done one, byte for byte the golden export. */
async function exportedAsGolden(): Promise<void> {
	const out = path.join(suite.stack.root, 'nomad-export');
	const result = await runCli(['export', 'nomad', '--out', out, '--host', suite.engine.host], {cwd: suite.stack.root});
	assert.equal(result.exitCode, 0, result.all);
	assert.match(result.stdout, /after iteration 1 \(network-foundation\)/);
	assert.match(result.stdout, /not validated against a Nomad server/);
	const golden = path.join(repoRoot, 'test/golden/nomad-media-stack/iteration-1');
	// The variables files say where each variable was defined (file:line); the apply added networks
	// above some environments, so their lines moved: those are compared without the line numbers.
	const files = (root: string) =>
		Object.fromEntries(
			Object.keys(treeHashes(root))
				.filter((file) => file !== '.netmigrate-export')
				.map((file) => [
					file,
					readFileSync(path.join(root, file), 'utf8').replace(file.startsWith('variables/') ? /\.yml:\d+/g : /$^/, '.yml'),
				]),
		);
	assert.deepEqual(files(out), files(golden));
	rmSync(out, {recursive: true});
}

async function publishedPorts(container: string): Promise<string[]> {
	const info = await suite.engine.docker.getContainer(container).inspect();
	return Object.values(info.NetworkSettings.Ports ?? {}).flatMap((bindings) => (bindings ?? []).map((binding) => binding.HostPort));
}

/** Each container's address on the flat network the stack starts on. */
async function legacyAddresses(): Promise<Record<string, string | undefined>> {
	const found = await endpoints(suite.engine.docker, 'media');
	return Object.fromEntries(Object.entries(found).map(([name, networks]) => [name, networks['media-network']?.address]));
}
let addressesAtStart: Record<string, string | undefined> = {};

test('iterations 1, 2 and 3 apply in order, and each later iteration still plans once the earlier ones changed the files', async () => {
	addressesAtStart = await legacyAddresses();
	await verified('before any iteration');
	const first = await cli(['apply', '--yes']);
	assert.deepEqual(await publishedPorts('jellyfin'), ['18096']);
	// Joining new networks beside the flat one cuts nothing and opens nothing: every pair already met on it.
	everyPairAsIntended(first.stdout, 'after iteration 1', /cut 0, opened 0/);
	await exportedAsGolden();

	// Iteration 2's plan names ports that iteration 1 left published; once 2 is applied they are
	// gone from the files, and loading the plan for iteration 3 must not call that an error.
	await cli(['plan', '--iteration', '2']);
	const second = await cli(['apply', '--yes']);
	assert.match(second.stdout, /✔ Iteration port-consolidation done .*1\/1 checks passed/);
	for (const service of ['jellyfin', 'jellyseerr', 'sonarr', 'radarr'])
		assert.deepEqual(await publishedPorts(service), [], `${service} publishes nothing`);
	assert.deepEqual(await publishedPorts('traefik'), ['18080'], 'traefik keeps its port');
	const traefik = await suite.engine.docker.getContainer('traefik').inspect();
	assert.equal(traefik.Config.Labels['traefik.docker.network'], 'frontend-net', 'the labels step set it, and the recreate loaded it');
	assert.equal(traefik.Config.Labels['traefik.enable'], 'true', 'the other labels are kept');
	everyPairAsIntended(second.stdout, 'after iteration 2', /cut 0, opened 0/);

	await cli(['plan', '--iteration', '3']);
	const status = await cli(['status']);
	assert.match(status.stdout, /2\. port-consolidation\s+done/);
	const third = await cli(['apply', '--yes']);
	assert.match(third.stdout, /✔ Iteration retire-legacy done .*4\/4 checks passed/);
	const after = await membership(suite.engine.docker);
	for (const [container, networks] of Object.entries(after))
		assert.ok(!networks.includes('media-network'), `${container} left media-network: ${networks.join(', ')}`);
	everyPairAsIntended(third.stdout, 'after iteration 3', /cut \d+ \(as planned\), opened 0/);
	await verified('after iteration 3');
	await strayFound();
	const again = await runCli(['apply', '--yes', '--host', suite.engine.host], {cwd: suite.stack.root});
	assert.equal(again.exitCode, 2, 'nothing left to apply is bad input, not a failure');
	assert.match(again.all, /every iteration of the plan is done/);
});

test('rolling back 3, 2 and 1 returns every file byte-identical and every container to its networks and ports from the start', async () => {
	for (const name of ['retire-legacy', 'port-consolidation', 'network-foundation']) {
		const result = await cli(['rollback', '--yes']);
		assert.match(result.stdout, new RegExp(`✔ Rollback of ${name} done .*files byte-identical \\(sha256\\)`));
		assert.match(result.stdout, /every address as before/, `${name}: every container at the address it had when the iteration began`);
	}
	assert.deepEqual(await stackState(suite.engine.docker, suite.stack.root), suite.start);
	assert.deepEqual(await legacyAddresses(), addressesAtStart, 'every container at its address on media-network, as at the start');
	await verified('after the rollbacks');
	assert.deepEqual(await publishedPorts('jellyfin'), ['18096'], 'the port is published again');
	assert.equal(
		(await suite.engine.docker.getContainer('traefik').inspect()).Config.Labels['traefik.docker.network'],
		undefined,
		'the label is gone again',
	);
});
