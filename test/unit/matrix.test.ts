/**
 * The reachability matrix: each ordered pair classified against the plan — reachable as
 * intended, blocked as intended, not as intended (both ways), not probed — with mismatches
 * first and explained, the VPN's missing allow-list entry named, paths through the host kept
 * apart, and the text, JSON and Prometheus renderings of it.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import type {ObservedPair} from '../../source/plan/matrix.js';
import {intendedPairs, intendedStack, type IntendedStack} from '../../source/plan/intent.js';
import {loadPlan} from '../../source/plan/load.js';
import {reachabilityMatrix} from '../../source/plan/matrix.js';
import {cellOf, matrixJson, renderMatrixPrometheus, renderMatrixText} from '../../source/plan/matrix-render.js';
import type {Plan} from '../../source/plan/schema.js';
import {exampleStack} from '../harness/engine.js';

const example = loadPlan(path.join(exampleStack, 'netmigrate.yml'));

/** What probes of a stack that runs exactly as intended would see: each target's one port answering iff the pair shares a network. */
function asIntended(stack: IntendedStack, skip: string[] = []): ObservedPair[] {
	return intendedPairs(stack)
		.filter((pair) => !skip.includes(pair.to))
		.map((pair, index) => ({
			from: pair.from,
			to: pair.to,
			port: 8000,
			address: `172.20.9.${index % 250}`,
			network: pair.via[0] ?? 'dmz-net',
			reachable: pair.via.length > 0,
			ms: 2,
		}));
}

/** The example's matrix after iteration `through` (0-based), from `observed` (default: probes of a stack running as intended). */
function exampleMatrix(through: number, observed?: (stack: IntendedStack) => ObservedPair[], plan: Plan = example.plan) {
	const stack = intendedStack(example.project, plan, through);
	return reachabilityMatrix({project: example.project, plan, through, observed: observed ? observed(stack) : asIntended(stack)});
}

function tamper(observed: ObservedPair[], from: string, to: string, change: Partial<ObservedPair>): ObservedPair[] {
	return observed.map((probe) => (probe.from === from && probe.to === to ? {...probe, ...change} : probe));
}

test('a stack running as the plan intends: every pair · or x, a target that listens on nothing ?, no mismatch', () => {
	const matrix = exampleMatrix(2, (stack) => asIntended(stack, ['autoheal']));
	assert.equal(matrix.pairs.length, 272);
	assert.deepEqual(matrix.mismatches, []);
	const cell = (from: string, to: string) => cellOf(matrix.pairs.find((pair) => pair.from === from && pair.to === to));
	assert.deepEqual([cell('traefik', 'jellyfin'), cell('cloudflared', 'sonarr'), cell('sonarr', 'autoheal')], ['·', 'x', '?']);
	assert.ok(renderMatrixText(matrix).includes('Every pair is as the plan intends.'));
});

test("not as intended both ways, blocked-but-reachable first; a follower's name counts as its owner's", () => {
	const stack = intendedStack(example.project, example.plan, 2);
	let observed = asIntended(stack);
	// qbittorrent lives in gluetun's namespace: the probe names it, the matrix files it under gluetun.
	observed = observed.map((probe) =>
		probe.from === 'sonarr' && probe.to === 'gluetun' ? {...probe, to: 'qbittorrent', reachable: false} : probe,
	);
	observed = tamper(observed, 'cloudflared', 'jellyfin', {reachable: true, network: 'frontend-net', address: '172.20.1.7', port: 8096});
	const matrix = reachabilityMatrix({project: example.project, plan: example.plan, through: 2, observed});
	assert.deepEqual(
		matrix.mismatches.map((pair) => `${pair.from}>${pair.to} ${pair.expected}/${pair.observed}`),
		['cloudflared>jellyfin blocked/reachable', 'sonarr>gluetun reachable/blocked'],
	);
	const [opened, cut] = matrix.mismatches;
	assert.match(
		opened?.reason ?? '',
		/no network joins cloudflared \(on dmz-net\) and jellyfin \(on frontend-net\); but it answered on 172\.20\.1\.7:8096 over frontend-net: cloudflared is on frontend-net, which the plan does not give it/,
	);
	assert.match(
		cut?.reason ?? '',
		/^sonarr reaches gluetun \(with qbittorrent\) over download-net .*gluetun's FIREWALL_OUTBOUND_SUBNETS as planned covers download-net, yet its firewall drops it/,
	);
	const text = renderMatrixText(matrix);
	assert.deepEqual(
		text.filter((line) => line.length > 80),
		[],
	);
	assert.match(text.find((line) => line.startsWith('b cloudflared')) ?? '', /^b cloudflared +· \\ ! x/);
	assert.ok(text.indexOf('Not as intended (2):') < text.findIndex((line) => line.startsWith('Egress, as configured')));
});

test("through the VPN's namespace, a plan without the allow-list entry: the reason is the entry to add", () => {
	const plan: Plan = {...example.plan, iterations: example.plan.iterations.map((iteration) => ({...iteration, firewall: []}))};
	const stack = intendedStack(example.project, plan, 0);
	const observed = tamper(asIntended(stack), 'sonarr', 'gluetun', {reachable: false});
	const matrix = reachabilityMatrix({project: example.project, plan, through: 0, observed});
	assert.equal(matrix.mismatches.length, 1);
	assert.match(
		matrix.mismatches[0]?.reason ?? '',
		/gluetun's firewall drops it — FIREWALL_OUTBOUND_SUBNETS does not cover download-net \(172\.20\.3\.0\/24\); add `firewall: \[\{service: gluetun, variable: FIREWALL_OUTBOUND_SUBNETS, ensure: \[172\.20\.3\.0\/24\]\}\]`/,
	);
	// media-network (172.18.0.0/16) is in the allow-list already: over it, no entry is missing.
	assert.doesNotMatch(matrix.mismatches[0]?.reason ?? '', /ensure: \[[^\]]*172\.18/);
});

test("a published port answering on the source's gateway is a path through the host, apart from the mismatches", () => {
	const stack = intendedStack(example.project, example.plan, 2);
	const observed = [
		...asIntended(stack),
		{
			from: 'web-ui',
			to: 'sonarr',
			port: 18989,
			address: '172.20.1.1',
			network: 'frontend-net',
			reachable: true,
			ms: 1,
			throughHost: true,
		},
	];
	const matrix = reachabilityMatrix({project: example.project, plan: example.plan, through: 2, observed});
	assert.deepEqual(matrix.mismatches, []);
	assert.equal(matrix.hostPaths.length, 1);
	assert.match(
		matrix.hostPaths[0]?.reason ?? '',
		/sonarr publishes port 18989 on the host: web-ui reaches it at its gateway 172\.20\.1\.1 on frontend-net, though no network joins them/,
	);
	const text = renderMatrixText(matrix);
	assert.ok(text.includes('Reachable only through the host (1):'));
	assert.equal(text[1], '272 pairs, 0 not as intended, 1 through the host');
});

test('egress is what the configuration says, grouped by the network it leaves by', () => {
	const matrix = reachabilityMatrix({project: example.project, plan: example.plan, through: 2, observed: []});
	assert.deepEqual(
		matrix.egress.find((item) => item.owner === 'gluetun'),
		{owner: 'gluetun', followers: ['qbittorrent'], via: 'download-net', internet: true},
	);
	assert.ok(renderMatrixText(matrix).includes('  by dmz-net: traefik, cloudflared'));
});

test('JSON and the Prometheus textfile carry the counts and every pair', () => {
	const matrix = exampleMatrix(2, (stack) => tamper(asIntended(stack), 'cloudflared', 'jellyfin', {reachable: true}));
	const json = matrixJson(matrix);
	assert.deepEqual(json.summary, {pairs: 272, mismatches: 1, hostPaths: 0});
	assert.deepEqual(json.iteration, {iteration: 3, name: 'retire-legacy'});
	const prometheus = renderMatrixPrometheus(matrix).split('\n');
	assert.ok(prometheus.includes('# TYPE netmigrate_reachability_mismatches gauge'));
	assert.ok(prometheus.includes('netmigrate_reachability_mismatches{project="media"} 1'));
	assert.ok(
		prometheus.includes(
			'netmigrate_reachability_pair_as_intended{project="media",from="cloudflared",to="jellyfin",expected="blocked",observed="reachable"} 0',
		),
	);
	assert.equal(prometheus.filter((line) => line.startsWith('netmigrate_reachability_pair_as_intended{')).length, 272);
	// Every sample line is a metric name, labels and a number, as the text format wants.
	assert.deepEqual(
		prometheus.filter((line) => line !== '' && !line.startsWith('# ') && !/^[a-z_]+\{[^}]*\} \d+$/.test(line)),
		[],
	);
});

test('two hundred namespaces: the grid pages its columns and never passes 80 columns', () => {
	const names = Array.from({length: 200}, (_, index) => `svc${index}`);
	const stack: IntendedStack = {
		iteration: 0,
		networks: [{name: 'one', internal: false, planned: true}],
		namespaces: names.map((owner) => ({owner, followers: [], networks: ['one'], internalOnly: false})),
	};
	const matrix = reachabilityMatrix({project: example.project, plan: example.plan, through: 0, observed: [], stack});
	assert.equal(matrix.pairs.length, 200 * 199);
	const text = renderMatrixText(matrix);
	assert.deepEqual(
		text.filter((line) => line.length > 80),
		[],
	);
	assert.ok(text.some((line) => /^targets a-[a-z]+ \(1\/\d+\)$/.test(line)));
	assert.ok(
		text.some((line) => line.startsWith('gr svc199')),
		'the 200th namespace is gr',
	);
});
