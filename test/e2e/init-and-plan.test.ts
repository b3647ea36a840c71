import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
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
	assert.deepEqual(Object.keys(drafted.plan.networks), ['dmz-net', 'frontend-net', 'backend-net', 'download-net', 'mgmt-net']);
	assert.match(readFileSync(output, 'utf8'), /gluetun, variable: FIREWALL_OUTBOUND_SUBNETS/);
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
		assert.match(result.stderr, /netmigrate\.yml:\d+:\d+: network backend-net \(172\.20\.2\.0\/24\) overlaps the existing network someone-else \(172\.20\.2\.0\/24\)/);
		assert.match(result.stderr, /fix: pick a free range/);
	} finally {
		await blocker.remove();
	}
});
