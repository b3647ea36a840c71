import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {loadComposeProject} from '../../source/compose/project.js';
import {draftPerAppPlan, draftTieredPlan} from '../../source/plan/draft.js';
import {parsePlan} from '../../source/plan/load.js';
import {reachWarnings} from '../../source/plan/reach.js';
import type {Plan} from '../../source/plan/schema.js';
import {validatePlan} from '../../source/plan/validate.js';
import {exampleStack} from '../harness/engine.js';

const project = loadComposeProject(exampleStack, ['docker-compose.yml']);
const input = {project, legacy: 'media-network', usedSubnets: ['172.18.0.0/16'], composeFiles: ['docker-compose.yml'], stackRoot: '.'};

function validated(text: string, stack = project) {
	const file = path.join(stack.root, 'drafted.yml');
	const {plan, locate} = parsePlan(file, text);
	assert.deepEqual(validatePlan(plan, stack, locate), []);
	assert.deepEqual(
		reachWarnings(plan, stack, locate).map((problem) => problem.message),
		[],
		"a draft neither cuts nor widens anyone's internet",
	);
	return plan;
}

const sorted = (record: Record<string, string[]>) =>
	Object.fromEntries(Object.entries(record).map(([key, value]) => [key, [...value].sort()]));
const checksOf = (plan: Plan, index: number) =>
	plan.iterations[index]?.checks.map(
		(check) => `${check.from}>${check.to}@${check.via}${check.expect === 'blocked' ? ' blocked' : ''}`,
	) ?? [];

test("the example stack: every service's tier pinned, every network explained, and the draft validates", () => {
	const draft = draftTieredPlan(input);
	const plan = validated(draft.text);
	assert.deepEqual(
		Object.fromEntries(
			Object.entries(plan.networks).map(([name, network]) => [name, `${network.subnet}${network.internal ? ' internal' : ''}`]),
		),
		{
			'dmz-net': '172.20.0.0/24',
			'frontend-net': '172.20.1.0/24',
			'backend-net': '172.20.2.0/24',
			'download-net': '172.20.3.0/24',
			'mgmt-net': '172.20.4.0/24',
		},
		'frontend, backend and mgmt keep a way out: jellyfin, bazarr and alertmanager need the internet once media-network is gone',
	);
	assert.match(
		draft.text,
		/frontend-net: .*# user-facing apps and dashboards; not internal: jellyfin, jellyseerr, web-ui, grafana need the internet/,
	);
	assert.deepEqual(
		sorted(plan.iterations[0]?.attach ?? {}),
		sorted({
			traefik: ['dmz-net', 'frontend-net', 'backend-net'],
			cloudflared: ['dmz-net'],
			jellyfin: ['frontend-net'],
			jellyseerr: ['frontend-net', 'backend-net'],
			'web-ui': ['frontend-net'],
			sonarr: ['backend-net', 'download-net'],
			radarr: ['backend-net', 'download-net'],
			prowlarr: ['backend-net', 'download-net'],
			bazarr: ['backend-net'],
			gluetun: ['download-net'],
			prometheus: ['mgmt-net', 'frontend-net', 'backend-net', 'download-net'],
			grafana: ['mgmt-net', 'frontend-net'],
			cadvisor: ['mgmt-net'],
			'node-exporter': ['mgmt-net'],
			alertmanager: ['mgmt-net'],
			dozzle: ['mgmt-net'],
			autoheal: ['mgmt-net'],
		}),
	);
	assert.match(draft.text, /#   qbittorrent +follows gluetun — shares gluetun's network namespace/);
	assert.deepEqual(plan.iterations[0]?.firewall, [
		{service: 'gluetun', variable: 'FIREWALL_OUTBOUND_SUBNETS', ensure: ['172.20.0.0/16']},
	]);
});

test("the example stack: every check's port is what the container serves, and isolation is proven per tier", () => {
	const plan = validated(draftTieredPlan(input).text);
	assert.deepEqual(checksOf(plan, 0), [
		'traefik>jellyfin:8096@frontend-net',
		'traefik>jellyseerr:5055@frontend-net',
		'traefik>web-ui:80@frontend-net',
		'traefik>sonarr:8989@backend-net',
		'traefik>radarr:7878@backend-net',
		'traefik>prowlarr:9696@backend-net',
		'traefik>bazarr:6767@backend-net',
		'traefik>grafana:3000@frontend-net',
		'jellyseerr>jellyfin:8096@frontend-net',
		'grafana>prometheus:9090@mgmt-net',
		'sonarr>qbittorrent:8080@download-net',
		'radarr>qbittorrent:8080@download-net',
		'prowlarr>qbittorrent:8080@download-net',
		'cloudflared>traefik:80@dmz-net',
		'jellyseerr>sonarr:8989@backend-net',
		'jellyseerr>radarr:7878@backend-net',
		'prowlarr>sonarr:8989@backend-net',
		'prowlarr>radarr:7878@backend-net',
		'bazarr>sonarr:8989@backend-net',
		'bazarr>radarr:7878@backend-net',
		'prometheus>cadvisor:8080@mgmt-net',
		'prometheus>node-exporter:9100@mgmt-net',
		'cloudflared>jellyfin:8096@frontend-net blocked',
		'cloudflared>sonarr:8989@backend-net blocked',
		'cloudflared>gluetun:8080@download-net blocked',
		'cloudflared>prometheus:9090@mgmt-net blocked',
	]);
	assert.ok(
		!checksOf(plan, 0).some((check) => check.startsWith('qbittorrent>gluetun') || check.startsWith('gluetun>qbittorrent')),
		'no check inside one namespace',
	);
});

test("the example stack: the whole migration is drafted — port consolidation with the proxy's network labels, then retiring the legacy network", () => {
	const plan = validated(draftTieredPlan(input).text);
	assert.deepEqual(
		plan.iterations.map((iteration) => iteration.name),
		['network-foundation', 'port-consolidation', 'retire-legacy'],
	);
	const [foundation, consolidation, retire] = plan.iterations as [
		Plan['iterations'][number],
		Plan['iterations'][number],
		Plan['iterations'][number],
	];
	assert.deepEqual(consolidation.unpublish, {jellyfin: ['18096'], jellyseerr: ['15055'], sonarr: ['18989'], radarr: ['17878']});
	// traefik is told TRAEFIK_PROVIDERS_DOCKER_NETWORK=media-network: unambiguous until that network goes.
	assert.deepEqual(foundation.labels, {});
	assert.deepEqual(consolidation.labels.jellyfin, {'traefik.docker.network': 'frontend-net'});
	assert.deepEqual(consolidation.labels.sonarr, {'traefik.docker.network': 'backend-net'});
	assert.deepEqual(Object.keys(consolidation.labels).sort(), [
		'bazarr',
		'grafana',
		'jellyfin',
		'jellyseerr',
		'prowlarr',
		'radarr',
		'sonarr',
		'web-ui',
	]);
	assert.equal(Object.keys(retire.detach).length, 17, 'every service with networks of its own leaves media-network');
	assert.ok(Object.values(retire.detach).every((networks) => networks.join() === 'media-network'));
	assert.ok(checksOf(plan, 2).includes('cloudflared>jellyfin:8096@frontend-net blocked'));
});

test('a hand-written plan that leaves a service on internal networks only, or gives one the internet, draws warnings', () => {
	const text = `version: 1
legacy: media-network
networks:
  frontend-net: { subnet: 172.20.1.0/24, internal: true }
  mgmt-net: { subnet: 172.20.4.0/24, internal: true }
services:
  node-exporter: { egress: false }
iterations:
  - name: network-foundation
    attach: { jellyfin: [frontend-net], node-exporter: [mgmt-net] }
  - name: port-consolidation
    unpublish: { jellyfin: ["18096"] }
  - name: retire-legacy
    detach: { jellyfin: [media-network], node-exporter: [media-network] }
`;
	const {plan, locate} = parsePlan(path.join(exampleStack, 'hand.yml'), text);
	assert.deepEqual(validatePlan(plan, project, locate), []);
	const messages = reachWarnings(plan, project, locate).map((problem) => problem.message);
	assert.deepEqual(messages, [
		'after iteration 3 (retire-legacy), jellyfin is only on internal networks (frontend-net): it can no longer reach the internet',
	]);
});

test('init picks subnets clear of every engine network and host route, and reuses a tier network another project created', () => {
	const plan = validated(draftTieredPlan({...input, usedSubnets: ['172.18.0.0/16', '172.20.0.0/23', '172.20.3.0/24']}).text);
	assert.deepEqual(
		Object.values(plan.networks).map((network) => network.subnet),
		['172.20.2.0/24', '172.20.4.0/24', '172.20.5.0/24', '172.20.6.0/24', '172.20.7.0/24'],
	);
	const existing = [
		{name: 'media-network', internal: false, subnets: ['172.18.0.0/16']},
		{name: 'mgmt-net', internal: true, subnets: ['10.50.4.0/24'], project: 'monitoring'},
	];
	const draft = draftTieredPlan({...input, existingNetworks: existing});
	const reused = validated(draft.text);
	assert.deepEqual(reused.networks['mgmt-net'], {subnet: '10.50.4.0/24', internal: true, driver: 'bridge', labels: {}});
	assert.match(draft.text, /mgmt-net: .*exists already \(project monitoring\): reused as it is/);
	assert.equal(reused.networks['dmz-net']?.subnet, '172.20.0.0/24');
	// mgmt-net cannot be opened, so alertmanager (which sends notifications) keeps media-network.
	assert.equal(reused.iterations.at(-1)?.detach.alertmanager, undefined);
	assert.match(draft.text, /alertmanager stays on media-network: it needs the internet and every network drafted for it is internal/);
});

test("a tier rule from --tiers may name a tier of the operator's own", () => {
	const draft = draftTieredPlan({
		...input,
		rules: [
			{match: ['jellyfin'], tiers: ['media']},
			{match: ['web-ui'], tiers: ['frontend']},
		],
	});
	const plan = validated(draft.text);
	assert.deepEqual(plan.iterations[0]?.attach.jellyfin, ['media-net']);
	assert.ok(plan.iterations[0]?.attach.traefik?.includes('media-net'), 'the proxy reaches jellyfin on its new tier');
	assert.equal(plan.networks['media-net']?.internal, false, 'jellyfin needs the internet');
});

test('the per-app preset: a group keeps every member and its dependencies, the proxy joins the apps it routes', () => {
	const plan = validated(draftPerAppPlan({...input, groups: {arr: ['sonarr', 'radarr', 'prowlarr', 'qbittorrent']}}).text);
	const attach = plan.iterations[0]?.attach ?? {};
	for (const member of ['sonarr', 'radarr', 'prowlarr', 'gluetun'])
		assert.ok(attach[member]?.includes('arr-net'), `${member} on arr-net`);
	assert.deepEqual(attach.jellyseerr, ['jellyseerr-net']);
	assert.ok(attach.jellyfin?.includes('jellyseerr-net'), 'jellyseerr depends on jellyfin, so jellyfin joins its network');
	assert.equal(attach.qbittorrent, undefined, 'a service in another namespace gets no networks of its own');
	assert.ok(
		!attach.traefik?.includes('cadvisor-net') && !attach.traefik?.includes('dozzle-net'),
		'the proxy stays off networks of apps it does not route',
	);
	assert.ok(attach.traefik?.includes('jellyfin-net') && attach.traefik?.includes('arr-net'));
	assert.deepEqual(plan.iterations[0]?.firewall, [
		{service: 'gluetun', variable: 'FIREWALL_OUTBOUND_SUBNETS', ensure: ['172.20.0.0/16']},
	]);
});

test('the per-app preset keeps who talks to whom together after the legacy network goes: the *arr apps reach their download client', () => {
	const draft = draftPerAppPlan({...input, groups: {arr: ['sonarr', 'radarr', 'sonarr-4k']}});
	assert.deepEqual(draft.warnings, ['--group names sonarr-4k, which the project does not have']);
	const plan = validated(draft.text);
	const attach = plan.iterations[0]?.attach ?? {};
	assert.ok(attach.gluetun?.includes('arr-net'), 'qbittorrent lives in gluetun: gluetun joins arr-net');
	assert.ok(attach.sonarr?.includes('jellyseerr-net'), 'jellyseerr hands requests to sonarr');
	assert.deepEqual(attach.prometheus?.sort(), ['cadvisor-net', 'grafana-net', 'node-exporter-net']);
	assert.ok(checksOf(plan, 0).includes('sonarr>qbittorrent:8080@arr-net'));
	assert.ok(checksOf(plan, plan.iterations.length - 1).includes('sonarr>qbittorrent:8080@arr-net'));
});

test("a swarm stack's draft says target: swarm and keeps only what netmigrate does on a swarm, naming what it left out", () => {
	const swarmStack = loadComposeProject(path.join(exampleStack, '../swarm-stack'), ['stack.yml'], {projectName: 'media'});
	const compose = draftTieredPlan({
		project: swarmStack,
		legacy: 'media-overlay',
		usedSubnets: ['10.231.0.0/24'],
		composeFiles: ['stack.yml'],
		stackRoot: '.',
	});
	const draft = draftTieredPlan({
		project: swarmStack,
		legacy: 'media-overlay',
		usedSubnets: ['10.231.0.0/24'],
		composeFiles: ['stack.yml'],
		stackRoot: '.',
		target: 'swarm',
	});
	assert.match(draft.text, /^version: 1\ntarget: swarm\nstack:\n {2}root: \.\n {2}files: \[stack\.yml\]\n {2}project: media\n/m);
	const plan = validated(draft.text, swarmStack);
	assert.equal(plan.target, 'swarm');
	for (const iteration of plan.iterations) {
		assert.deepEqual(
			[Object.keys(iteration.detach), Object.keys(iteration.unpublish), Object.keys(iteration.labels)],
			[[], [], []],
			iteration.name,
		);
		assert.ok(
			Object.keys(iteration.attach).length + iteration.firewall.length + iteration.checks.length > 0,
			`${iteration.name} has something to do`,
		);
	}
	const composePlan = parsePlan(path.join(swarmStack.root, 'drafted.yml'), compose.text).plan;
	assert.deepEqual(plan.iterations[0]?.attach, composePlan.iterations[0]?.attach, 'the same multi-homing as on one host');
	assert.deepEqual(plan.iterations[0]?.checks, composePlan.iterations[0]?.checks, 'the same checks');
	const dropped = composePlan.iterations
		.filter((iteration) => Object.keys(iteration.detach).length > 0)
		.map((iteration) => iteration.name);
	assert.ok(dropped.length > 0, 'on one host the draft retires the legacy network');
	assert.ok(
		draft.warnings.some(
			(warning) =>
				warning.startsWith('on a swarm netmigrate does not yet unpublish, detach or set labels: left out of') &&
				dropped.every((name) => warning.includes(name)),
		),
		draft.warnings.join('\n'),
	);
});

test("before Engine 28 every tier with a way out is named to sort after the legacy network, so no container's egress moves when it joins", () => {
	const draft = draftTieredPlan({...input, keepEgressByName: true});
	const plan = validated(draft.text);
	const today = draftTieredPlan(input);
	const todayPlan = parsePlan(path.join(project.root, 'drafted.yml'), today.text).plan;
	const renamed = Object.entries(todayPlan.networks).map(([name, network]) =>
		!network.internal && name < 'media-network' ? `media-network-${name.slice(0, -'-net'.length)}` : name,
	);
	assert.deepEqual(Object.keys(plan.networks), renamed, 'only the names change, and only where they would sort first');
	assert.ok(
		renamed.some((name) => name.startsWith('media-network-')),
		'the example has such tiers (dmz, frontend…)',
	);
	// The engine's rule before 28: the default route leaves through the first network by name that is not internal.
	const internal = (name: string) => plan.networks[name]?.internal ?? false;
	const route = (networks: string[]) => [...networks].sort().find((name) => !internal(name));
	for (const [service, networks] of Object.entries(plan.iterations[0]?.attach ?? {})) {
		assert.equal(route(['media-network', ...networks]), 'media-network', `${service} keeps its egress on media-network`);
	}
	assert.match(
		draft.text,
		/media-network-dmz: .*# .*named to sort after media-network, so joining it keeps each container's egress there/,
	);
	assert.deepEqual(
		Object.values(plan.networks).map((network) => network.subnet),
		Object.values(todayPlan.networks).map((network) => network.subnet),
		'the same subnets',
	);
});

test("per-app drafts before Engine 28 name the apps' networks with a way out to sort after the legacy network too", () => {
	const draft = draftPerAppPlan({...input, keepEgressByName: true});
	const plan = validated(draft.text);
	const internal = (name: string) => plan.networks[name]?.internal ?? false;
	assert.ok(
		Object.keys(plan.networks).some((name) => name.startsWith('media-network-')),
		Object.keys(plan.networks).join(', '),
	);
	for (const name of Object.keys(plan.networks))
		assert.ok(internal(name) || name > 'media-network', `${name} sorts after media-network or is internal`);
});
