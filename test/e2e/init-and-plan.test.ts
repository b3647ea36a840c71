import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {runCompose, type ComposeProject} from '../../source/engine/compose.js';
import {Engine} from '../../source/engine/docker.js';
import {loadPlan} from '../../source/plan/load.js';
import {runCli} from '../harness/cli.js';
import {copyExampleStack, stopTestEngine, testEngine, type TestEngine} from '../harness/engine.js';
import {treeHashes} from '../harness/stack.js';

let engine: TestEngine;
let stack: ReturnType<typeof copyExampleStack>;
let project: ComposeProject;

before(async () => {
	engine = await testEngine();
	stack = copyExampleStack();
	project = {host: engine.host, directory: stack.root, files: ['docker-compose.yml']};
	await runCompose(project, ['up', '-d']);
	await new Engine(engine.host).waitUntilHealthy('media', 18, 60_000);
});

after(async () => {
	await runCompose(project, ['down', '--timeout', '1']).catch(() => undefined);
	stack?.remove();
	await stopTestEngine();
});

test('netmigrate init finds the running stack by its compose labels and writes a plan that validates', async () => {
	const output = path.join(stack.root, 'drafted.yml');
	const result = await runCli(['init', '--host', engine.host, '--output', output], {cwd: '/'});
	assert.equal(result.exitCode, 0, result.all);
	assert.match(result.stdout, /wrote .*drafted\.yml: 6 networks/);
	const drafted = loadPlan(output);
	assert.equal(drafted.plan.stack.project, 'media');
	assert.equal(drafted.plan.legacy, 'media-network');
	assert.deepEqual(Object.keys(drafted.plan.networks), ['dmz-net', 'frontend-net', 'backend-net', 'download-net', 'mgmt-net', 'security-net']);
	assert.match(readFileSync(output, 'utf8'), /gluetun, variable: FIREWALL_OUTBOUND_SUBNETS/);
});

test('netmigrate plan reads the engine, prints the dry run and changes nothing — no file, no network', async () => {
	const before = treeHashes(stack.root);
	const networksBefore = (await engine.docker.listNetworks()).map((network) => network.Name).sort();
	const result = await runCli(['plan', '--host', engine.host, '--detailed-exitcode'], {cwd: stack.root});
	assert.equal(result.exitCode, 2, `changes pending: ${result.all}`);
	assert.match(result.stdout, /running state read from the engine at unix:/);
	assert.match(result.stdout, /\+ connect sonarr to download-net as sonarr/);
	assert.match(result.stdout, /47 actions planned\. Nothing has been changed\./);
	assert.deepEqual(treeHashes(stack.root), before);
	assert.deepEqual((await engine.docker.listNetworks()).map((network) => network.Name).sort(), networksBefore);
});

test('netmigrate plan refuses a planned subnet that an existing network already holds, naming both', async () => {
	const blocker = await engine.docker.createNetwork({Name: 'someone-else', IPAM: {Config: [{Subnet: '172.20.2.0/24'}]}});
	try {
		const result = await runCli(['plan', '--host', engine.host], {cwd: stack.root});
		assert.equal(result.exitCode, 2);
		assert.match(result.stderr, /netmigrate\.yml:\d+:\d+: network backend-net \(172\.20\.2\.0\/24\) overlaps the existing network someone-else \(172\.20\.2\.0\/24\)/);
		assert.match(result.stderr, /fix: pick a free range/);
	} finally {
		await blocker.remove();
	}
});
