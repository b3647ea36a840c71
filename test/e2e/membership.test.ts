// engines: 26 28 — both: this is where the engines differ (gw_priority, compose's recreate rules)
/**
 * Aliases and pinned addresses through an iteration and its rollback, on a stack whose
 * containers keep compose's default names and whose endpoints on the flat network carry the
 * file's `aliases:` and, for two of them, an `ipv4_address` (test/fixtures/membership-stack).
 * Iteration 1 joins every service to app-net live and takes api off the flat network; the
 * apply's checks compare every endpoint with the backup's record. The rollback must reconnect
 * api with all of its aliases and its pinned address — not only the service and container
 * names the plan knew — so that every endpoint is as it was at the start.
 */
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {Engine} from '../../source/engine/docker.js';
import {runCli} from '../harness/cli.js';
import {repoRoot} from '../harness/engine.js';
import {endpoints, stackState, type EndpointState} from '../harness/state.js';
import {stackSuite} from '../harness/suite.js';

const suite = stackSuite(path.join(repoRoot, 'test/fixtures/membership-stack'), 'shop');
let start: Record<string, Record<string, EndpointState>>;

/** What the comparison is about: aliases and pinned addresses, not the address the engine picked. */
const configured = (all: Record<string, Record<string, EndpointState>>) =>
	Object.fromEntries(
		Object.entries(all).map(([container, networks]) => [
			container,
			Object.fromEntries(Object.entries(networks).map(([network, {address: _address, ...rest}]) => [network, rest])),
		]),
	);

/** `wget` by name from one container of the stack: the name resolves on a network they share, and answers. */
async function fetchFrom(container: string, url: string) {
	return new Engine(suite.engine.host).exec(container, ['sh', '-c', `timeout 5 wget -q -O - ${url}`]);
}

test("the fixture starts as its file says: default names, the file's aliases, addresses pinned on flat-net", async () => {
	start = await endpoints(suite.engine.docker, 'shop');
	assert.deepEqual(Object.keys(start).sort(), ['shop-api-1', 'shop-web-1', 'shop-worker-1']);
	const web = start['shop-web-1']?.['flat-net'];
	const api = start['shop-api-1']?.['flat-net'];
	for (const alias of ['web', 'www', 'frontpage'])
		assert.ok(web?.aliases.includes(alias), `web answers to ${alias}: ${web?.aliases.join(', ')}`);
	assert.equal(web?.ipv4Address, '172.18.0.50');
	assert.equal(web?.address, '172.18.0.50');
	for (const alias of ['api', 'backend-api'])
		assert.ok(api?.aliases.includes(alias), `api answers to ${alias}: ${api?.aliases.join(', ')}`);
	assert.equal(api?.ipv4Address, '172.18.0.60');
	assert.equal(start['shop-worker-1']?.['flat-net']?.ipv4Address, undefined, 'worker has no pinned address');
	assert.equal((await fetchFrom('shop-worker-1', 'http://backend-api:8080/')).output.trim(), 'api');
});

test('apply: every service joins app-net, api leaves flat-net, and every endpoint it kept has its aliases and pinned address', async () => {
	const result = await runCli(['apply', '--yes', '--host', suite.engine.host], {cwd: suite.stack.root});
	assert.equal(result.exitCode, 0, result.all);
	assert.match(result.stdout, /✔ Iteration join-app-net done .*2\/2 checks passed/);
	assert.match(result.stdout, /membership as planned/);

	const now = await endpoints(suite.engine.docker, 'shop');
	assert.deepEqual(Object.keys(now['shop-api-1'] ?? {}), ['app-net'], 'api left flat-net');
	for (const container of ['shop-web-1', 'shop-worker-1']) {
		assert.deepEqual(Object.keys(now[container] ?? {}).sort(), ['app-net', 'flat-net'], container);
		assert.deepEqual(now[container]?.['flat-net'], start[container]?.['flat-net'], `${container} on flat-net as before`);
	}
	assert.notEqual(
		(await fetchFrom('shop-worker-1', 'http://backend-api:8080/')).exitCode,
		0,
		"backend-api was api's alias on flat-net only",
	);

	// The detach journaled the endpoint it removed, as configured: what the rollback reconnects with.
	const journal = readFileSync(path.join(suite.stack.root, '.netmigrate/journal.jsonl'), 'utf8')
		.split('\n')
		.filter(Boolean)
		.map(
			(line) =>
				JSON.parse(line) as {
					phase: string;
					action?: {kind: string; container: string; network: string; endpoint?: {aliases?: string[]; ipv4Address?: string}};
				},
		);
	const detach = journal.find(
		(entry) => entry.phase === 'intent' && entry.action?.kind === 'network.disconnect' && entry.action.container === 'shop-api-1',
	);
	assert.deepEqual(detach?.action?.endpoint, {aliases: start['shop-api-1']?.['flat-net']?.aliases, ipv4Address: '172.18.0.60'});
});

test('rollback reconnects api with its aliases and pinned address: every endpoint, file and network as at the start', async () => {
	const result = await runCli(['rollback', '--yes', '--host', suite.engine.host], {cwd: suite.stack.root});
	assert.equal(result.exitCode, 0, result.all);
	assert.match(result.stdout, /connect shop-api-1 to flat-net as [^\n]*backend-api[^\n]* at 172\.18\.0\.60/);
	assert.match(result.stdout, /3 containers with their networks, aliases and pinned addresses as before/);

	const now = await endpoints(suite.engine.docker, 'shop');
	assert.deepEqual(configured(now), configured(start), 'every container on its networks with the same aliases and pinned addresses');
	assert.equal(now['shop-api-1']?.['flat-net']?.address, '172.18.0.60', 'api is back at its pinned address');
	assert.deepEqual(
		await stackState(suite.engine.docker, suite.stack.root, 'shop'),
		suite.start,
		'files byte-identical, networks and membership as at the start',
	);
	assert.equal(
		(await fetchFrom('shop-worker-1', 'http://backend-api:8080/')).output.trim(),
		'api',
		'clients reach api by its alias again',
	);
	assert.equal((await fetchFrom('shop-api-1', 'http://frontpage:8080/')).output.trim(), 'web');
	const status = await runCli(['status'], {cwd: suite.stack.root});
	assert.match(status.stdout, /1\. join-app-net\s+rolled-back/);
});
