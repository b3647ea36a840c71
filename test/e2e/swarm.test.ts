// engines: 26 — Engine 26 only: the two-node swarm runs on 28
/**
 * A swarm stack (examples/swarm-stack, deployed with `docker stack deploy` on a single-node
 * swarm of the private engine): iteration 1 creates attachable overlay networks, joins each
 * service to its networks by spec update — start-first, but stop-first for prometheus, whose
 * volume two tasks must not share — extends jellyfin's TRUSTED_PROXIES by an env update of its
 * spec (as `docker service update --env-add`), edits the stack file byte-faithfully so a later
 * `docker stack deploy` keeps the layout and the value, runs its checks from the tasks' own
 * namespaces, and rolls back to exactly the recorded specs and a byte-identical stack file.
 */
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {runCli} from '../harness/cli.js';
import {deployStack, swarmStackSuite, swarmState} from '../harness/swarm.js';

const suite = swarmStackSuite();

const planned: Record<string, string[]> = {
	media_traefik: ['dmz-net', 'frontend-net'],
	media_jellyfin: ['frontend-net'],
	media_jellyseerr: ['frontend-net', 'backend-net'],
	media_sonarr: ['backend-net'],
	media_prometheus: ['mgmt-net', 'frontend-net', 'backend-net'],
	media_grafana: ['mgmt-net', 'frontend-net'],
};

/** Each service's environment (sorted, as swarmState gives it) once the iteration ran: jellyfin's allow-list extended, nothing else. */
function plannedEnv(start: string[], service: string): string[] {
	if (service !== 'media_jellyfin') return start;
	assert.ok(start.includes('TRUSTED_PROXIES=10.231.0.0/24'), start.join(' '));
	return start.map((entry) => (entry.startsWith('TRUSTED_PROXIES=') ? 'TRUSTED_PROXIES=10.231.0.0/24,10.231.11.0/24' : entry)).sort();
}

test('the dry run shows overlay networks and one spec update per service, with its order and why', async () => {
	const result = await runCli(['plan', '--host', suite.engine.host], {cwd: suite.root});
	assert.equal(result.exitCode, 0, result.all);
	assert.match(result.stdout, /create network frontend-net \(10\.231\.11\.0\/24, internal\)/);
	assert.match(result.stdout, /update swarm service media_traefik: \+ dmz-net, \+ frontend-net \(start-first: no mounts/);
	assert.match(
		result.stdout,
		/update swarm service media_prometheus: \+ mgmt-net, \+ frontend-net, \+ backend-net \(stop-first: 1 mount two tasks would share\)/,
	);
	assert.match(result.stdout, /write stack\.yml \(networks of traefik, jellyfin, jellyseerr, sonarr, prometheus, grafana\)/);
	assert.match(
		result.stdout,
		/~ write stack\.yml \(TRUSTED_PROXIES of jellyfin: \+ 10\.231\.11\.0\/24\)\n {2}\+ update swarm service media_jellyfin: TRUSTED_PROXIES \+= 10\.231\.11\.0\/24 \(start-first: no mounts/,
	);
	assert.match(result.stdout, /\+ {6}TRUSTED_PROXIES: "10\.231\.0\.0\/24,10\.231\.11\.0\/24"/, 'the allow-list is shown');
	assert.ok(
		!result.stdout.includes('changeme') && !result.stdout.includes('apply refuses'),
		'no other value is shown; spec and file agree',
	);
	assert.deepEqual(await swarmState(suite.engine.docker, suite.root), suite.start, 'a dry run changes nothing');
});

test('apply iteration 1 on the swarm, keep it through a `docker stack deploy`, roll back exactly', async () => {
	const apply = await runCli(['apply', '--yes', '--host', suite.engine.host], {cwd: suite.root});
	assert.equal(apply.exitCode, 0, apply.all);
	assert.match(apply.stdout, /✔ Iteration network-foundation done .*4\/4 checks passed/);

	const applied = await swarmState(suite.engine.docker, suite.root);
	for (const [service, networks] of Object.entries(planned)) {
		assert.deepEqual(applied.services[service]?.networks, ['media-overlay', ...networks].sort(), service);
		for (const network of networks)
			assert.deepEqual(
				applied.services[service]?.aliases[network],
				[service.replace('media_', '')],
				`${service} answers to its name on ${network}`,
			);
		assert.deepEqual(
			applied.services[service]?.env,
			plannedEnv(suite.start.services[service]?.env ?? [], service),
			`${service}: only the allow-list changed; a value netmigrate was not asked to change never changes`,
		);
	}
	for (const network of ['dmz-net', 'frontend-net', 'backend-net', 'mgmt-net']) {
		const info = await suite.engine.docker.getNetwork(network).inspect();
		assert.equal(info.Driver, 'overlay', network);
		assert.equal(info.Attachable, true, network);
		assert.equal(info.Labels?.['managed-by'], 'netmigrate', network);
	}
	const file = readFileSync(path.join(suite.root, 'stack.yml'), 'utf8');
	assert.match(file, / {2}dmz-net:\n {4}name: dmz-net\n {4}external: true/);
	assert.match(file, / {6}TRUSTED_PROXIES: "10\.231\.0\.0\/24,10\.231\.11\.0\/24"\n/);
	// The next `docker stack deploy` of the edited file keeps the new layout instead of reverting it.
	await deployStack(suite);
	const redeployed = await swarmState(suite.engine.docker, suite.root);
	for (const service of Object.keys(planned)) {
		assert.deepEqual(redeployed.services[service]?.networks, applied.services[service]?.networks, `${service} after stack deploy`);
		assert.deepEqual(redeployed.services[service]?.env, applied.services[service]?.env, `${service}'s environment after stack deploy`);
	}

	const rollback = await runCli(['rollback', '--yes', '--host', suite.engine.host], {cwd: suite.root});
	assert.equal(rollback.exitCode, 0, rollback.all);
	assert.deepEqual(await swarmState(suite.engine.docker, suite.root), suite.start, 'specs and stack file as recorded');
	const left = (await suite.engine.docker.listNetworks()).map((network) => network.Name);
	for (const network of ['dmz-net', 'frontend-net', 'backend-net', 'mgmt-net']) assert.ok(!left.includes(network), `${network} removed`);
});
