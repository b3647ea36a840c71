// engines: 26 28 — both: this is where the engines differ (gw_priority, compose's recreate rules)
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {apiAtLeast, gwPriorityApi} from '../../source/versions.js';
import {loadPlan} from '../../source/plan/load.js';
import {runCli} from '../harness/cli.js';
import {treeHashes} from '../harness/stack.js';
import {exampleStackSuite} from '../harness/suite.js';

const suite = exampleStackSuite();

test('netmigrate init finds the running stack by its compose labels and writes a plan that validates', async () => {
	const output = path.join(suite.stack.root, 'drafted.yml');
	const result = await runCli(['init', '--host', suite.engine.host, '--output', output], {cwd: '/'});
	assert.equal(result.exitCode, 0, result.all);
	assert.match(result.stdout, /wrote .*drafted\.yml: 5 networks/);
	const drafted = loadPlan(output);
	assert.equal(drafted.plan.stack.project, 'media');
	assert.equal(drafted.plan.legacy, 'media-network');
	// Before Engine 28 (API 1.48) a tier with a way out is named to sort after media-network, so joining it keeps egress there.
	const before28 = !apiAtLeast(/API ([\d.]+)/.exec(suite.engine.version)?.[1], gwPriorityApi);
	const sortsAfter = (tier: string) => (before28 ? `media-network-${tier}` : `${tier}-net`);
	assert.deepEqual(Object.keys(drafted.plan.networks), [
		sortsAfter('dmz'),
		sortsAfter('frontend'),
		sortsAfter('backend'),
		sortsAfter('download'),
		'mgmt-net',
	]);
	assert.match(readFileSync(output, 'utf8'), /gluetun, variable: FIREWALL_OUTBOUND_SUBNETS/);
	const plan = await runCli(['plan', '--plan', output, '--host', suite.engine.host], {cwd: suite.stack.root});
	assert.equal(plan.exitCode, 0, plan.all);
	assert.doesNotMatch(plan.stdout, /egress of .* will move/, "on every engine the drafted iteration moves no container's default route");
});

test('netmigrate plan reads the engine, prints the dry run and changes nothing — no file, no network', async () => {
	const before = treeHashes(suite.stack.root);
	const networksBefore = (await suite.engine.docker.listNetworks()).map((network) => network.Name).sort();
	const result = await runCli(['plan', '--host', suite.engine.host, '--detailed-exitcode'], {cwd: suite.stack.root});
	assert.equal(result.exitCode, 2, `changes pending: ${result.all}`);
	assert.match(result.stdout, /running state read from the engine at unix:/);
	assert.match(result.stdout, /\+ connect sonarr to download-net as sonarr/);
	assert.match(result.stdout, /47 actions planned\. Nothing has been changed\./);
	const status = await runCli(['status', '--host', suite.engine.host], {cwd: suite.stack.root});
	assert.equal(status.exitCode, 0, status.all);
	assert.deepEqual(treeHashes(suite.stack.root), before, 'neither plan nor status creates the state folder');
	assert.deepEqual((await suite.engine.docker.listNetworks()).map((network) => network.Name).sort(), networksBefore);
});

test('netmigrate plan refuses a planned subnet that an existing network already holds, naming both', async () => {
	const blocker = await suite.engine.docker.createNetwork({Name: 'someone-else', IPAM: {Config: [{Subnet: '172.20.2.0/24'}]}});
	try {
		const result = await runCli(['plan', '--host', suite.engine.host], {cwd: suite.stack.root});
		assert.equal(result.exitCode, 2);
		assert.match(
			result.stderr,
			/netmigrate\.yml:\d+:\d+: network backend-net \(172\.20\.2\.0\/24\) overlaps the existing network someone-else \(172\.20\.2\.0\/24\)/,
		);
		assert.match(result.stderr, /fix: pick a free range/);
	} finally {
		await blocker.remove();
	}
});
