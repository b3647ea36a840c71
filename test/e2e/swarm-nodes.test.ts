// engines: 28 — Engine 28 only: the single-node swarm runs on 26
/**
 * A swarm of two nodes: the private engine leads, a second private engine in its own network
 * namespace (one veth pair, nothing else) is the worker. The stack file places jellyseerr and
 * grafana on the worker, the rest on the manager, so two of iteration 1's checks start from the
 * other node: each runs as a probe task placed on the worker, joined to the source's overlays,
 * and reaches its target on the manager over real VXLAN between the nodes. Rollback is exact on
 * both nodes' tasks.
 */
import assert from 'node:assert/strict';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {runCli} from '../harness/cli.js';
import {swarmStackSuite, swarmState} from '../harness/swarm.js';

const onWorker = ['jellyseerr', 'grafana'];
const suite = swarmStackSuite({worker: {services: onWorker}});

const nodeOf = async (service: string) => {
	const tasks = (await suite.engine.docker.listTasks({filters: {service: [`media_${service}`], 'desired-state': ['running']}})) as Array<{
		NodeID: string;
	}>;
	return tasks.map((task) => task.NodeID);
};

test('init --swarm drafts a plan for the deployed stack that the dry run accepts', async () => {
	const init = await runCli(['init', '--swarm', 'media', '--output', 'drafted.yml', '--host', suite.engine.host], {cwd: suite.root});
	assert.equal(init.exitCode, 0, init.all);
	assert.match(init.stdout, /wrote .*drafted\.yml: \d+ networks, \d+ checks for swarm stack media \(legacy network media-overlay\)/);
	const drafted = readFileSync(path.join(suite.root, 'drafted.yml'), 'utf8');
	assert.match(drafted, /^target: swarm\nstack:\n {2}root: \.\n {2}files: \[stack\.yml\]\n {2}project: media\n/m);
	const plan = await runCli(['plan', '--plan', 'drafted.yml', '--host', suite.engine.host], {cwd: suite.root});
	assert.equal(plan.exitCode, 0, plan.all);
	assert.match(plan.stdout, /update swarm service media_jellyseerr: \+ /);
	assert.deepEqual(await swarmState(suite.engine.docker, suite.root), suite.start, 'init and a dry run change nothing');
});

test('two nodes: checks from the worker run as probe tasks there, across the overlay to the manager; rollback exact', async () => {
	const worker = suite.worker?.nodeId as string;
	for (const service of onWorker) assert.deepEqual(await nodeOf(service), [worker], `${service} runs on the worker`);
	assert.notDeepEqual(await nodeOf('sonarr'), [worker], 'sonarr runs on the manager');
	// One more isolation check from the worker that is really probed: grafana is on mgmt-net, the port is closed.
	const planFile = path.join(suite.root, 'netmigrate.yml');
	writeFileSync(
		planFile,
		readFileSync(planFile, 'utf8').replace(
			/(expect: blocked, timeout: 1 \})\n/,
			'$1\n      - { from: grafana,    to: "prometheus:9999", via: mgmt-net, expect: blocked, timeout: 1 }\n',
		),
	);

	const apply = await runCli(['apply', '--yes', '--host', suite.engine.host], {cwd: suite.root});
	assert.equal(apply.exitCode, 0, apply.all);
	assert.match(apply.stdout, /✔ Iteration network-foundation done .*5\/5 checks passed/);
	const short = worker.slice(0, 12);
	assert.match(
		apply.stdout,
		new RegExp(
			`✔ jellyseerr → sonarr:8989 via backend-net: reachable \\(expected reachable\\), [\\d.]+ ms, from a probe task on node ${short}`,
		),
	);
	assert.match(
		apply.stdout,
		new RegExp(
			`✔ grafana → prometheus:9090 via mgmt-net: reachable \\(expected reachable\\), [\\d.]+ ms, from a probe task on node ${short}`,
		),
	);
	assert.match(
		apply.stdout,
		new RegExp(`✔ grafana → prometheus:9999 via mgmt-net: blocked \\(expected blocked\\), from a probe task on node ${short}`),
	);
	assert.match(
		apply.stdout,
		/✔ traefik → jellyfin:8096 via frontend-net: reachable \(expected reachable\), [\d.]+ ms\n/,
		'a source on the manager is probed in its own namespace',
	);
	// Downtime per service, from the swarm's task records: none for a start-first update, a gap for prometheus's stop-first one.
	const report = readFileSync(/report: (\S+)/.exec(apply.stdout)?.[1] as string, 'utf8');
	assert.match(
		report,
		/per service update, from the old task's end to the new one running healthy: .*media_jellyseerr 0\.0 s \(start-first\)/,
	);
	const gap = Number(/media_prometheus ([\d.]+) s \(stop-first\)/.exec(report)?.[1]);
	assert.ok(gap > 0, `prometheus, updated stop-first, was down a while: ${gap} s`);
	const probes = await suite.engine.docker.listServices({filters: {label: ['netmigrate.probe=1']}});
	assert.deepEqual(probes, [], "every probe task's service is removed");
	const applied = await swarmState(suite.engine.docker, suite.root);
	assert.deepEqual(applied.services.media_jellyseerr?.networks, ['backend-net', 'frontend-net', 'media-overlay']);
	for (const service of onWorker)
		assert.deepEqual(await nodeOf(service), [worker], `${service} still runs on the worker after its update`);

	const rollback = await runCli(['rollback', '--yes', '--host', suite.engine.host], {cwd: suite.root});
	assert.equal(rollback.exitCode, 0, rollback.all);
	assert.deepEqual(await swarmState(suite.engine.docker, suite.root), suite.start, 'specs and stack file as recorded');
});
