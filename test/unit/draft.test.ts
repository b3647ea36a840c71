import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {loadComposeProject} from '../../source/compose/project.js';
import {draftPerAppPlan, draftTieredPlan} from '../../source/plan/draft.js';
import {parsePlan} from '../../source/plan/load.js';
import {validatePlan} from '../../source/plan/validate.js';
import {exampleStack} from '../harness/engine.js';

const project = loadComposeProject(exampleStack, ['docker-compose.yml']);
const input = {project, legacy: 'media-network', usedSubnets: ['172.18.0.0/16'], composeFiles: ['docker-compose.yml'], stackRoot: '.'};

function validated(text: string) {
	const file = path.join(exampleStack, 'drafted.yml');
	const {plan, locate} = parsePlan(file, text);
	assert.deepEqual(validatePlan(plan, project, locate), []);
	return plan;
}

test('init drafts reference 003\'s six tiers, subnets and assignments for the example stack, and the draft validates', () => {
	const plan = validated(draftTieredPlan(input).text);
	assert.deepEqual(
		Object.fromEntries(Object.entries(plan.networks).map(([name, network]) => [name, `${network.subnet}${network.internal ? ' internal' : ''}`])),
		{
			'dmz-net': '172.20.0.0/24',
			'frontend-net': '172.20.1.0/24 internal',
			'backend-net': '172.20.2.0/24 internal',
			'download-net': '172.20.3.0/24',
			'mgmt-net': '172.20.4.0/24 internal',
			'security-net': '172.20.5.0/24',
		},
	);
	const attach = Object.fromEntries(Object.entries(plan.iterations[0]?.attach ?? {}).map(([service, networks]) => [service, [...networks].sort()]));
	const reference003: Record<string, string[]> = {
		traefik: ['dmz-net', 'frontend-net', 'backend-net', 'security-net'],
		cloudflared: ['dmz-net'],
		jellyfin: ['frontend-net'],
		jellyseerr: ['frontend-net', 'backend-net'],
		'web-ui': ['frontend-net'],
		sonarr: ['backend-net', 'download-net'],
		radarr: ['backend-net', 'download-net'],
		prowlarr: ['backend-net', 'download-net'],
		bazarr: ['backend-net'],
		gluetun: ['download-net'],
		autoheal: ['download-net', 'mgmt-net'],
		prometheus: ['mgmt-net', 'frontend-net', 'backend-net', 'download-net'],
		grafana: ['mgmt-net', 'frontend-net'],
		cadvisor: ['mgmt-net'],
		'node-exporter': ['mgmt-net'],
		alertmanager: ['mgmt-net'],
		dozzle: ['mgmt-net'],
	};
	assert.deepEqual(attach, Object.fromEntries(Object.entries(reference003).map(([service, networks]) => [service, [...networks].sort()])));
	assert.deepEqual(plan.iterations[0]?.firewall, [{service: 'gluetun', variable: 'FIREWALL_OUTBOUND_SUBNETS', ensure: ['172.20.0.0/16']}]);
	const checks = plan.iterations[0]?.checks.map((check) => `${check.from}>${check.to}@${check.via}`) ?? [];
	for (const expected of ['traefik>jellyfin:8096@frontend-net', 'sonarr>qbittorrent:8080@download-net', 'grafana>prometheus:9090@mgmt-net', 'jellyseerr>jellyfin:8096@frontend-net']) {
		assert.ok(checks.includes(expected), `${expected} in ${checks.join(' ')}`);
	}
});

test('init picks subnets clear of every engine network and host route', () => {
	const plan = validated(draftTieredPlan({...input, usedSubnets: ['172.18.0.0/16', '172.20.0.0/23', '172.20.3.0/24']}).text);
	assert.deepEqual(Object.values(plan.networks).map((network) => network.subnet), ['172.20.2.0/24', '172.20.4.0/24', '172.20.5.0/24', '172.20.6.0/24', '172.20.7.0/24', '172.20.8.0/24']);
});

test('a tier table override puts an unknown image in a tier; without it the service is listed as unclassified', () => {
	const draft = draftTieredPlan({...input, rules: [{match: ['jellyfin'], tiers: ['backend']}]});
	assert.match(draft.text, /jellyfin:\s+\[backend-net\]/);
	assert.ok(draft.unclassified.includes('traefik'));
	assert.match(draft.text, /# traefik: not in the table/);
});

test('the per-app preset gives each app its own network with its dependencies, groups share one, and the proxy joins all', () => {
	const plan = validated(draftPerAppPlan({...input, groups: {arr: ['sonarr', 'radarr']}}).text);
	const attach = plan.iterations[0]?.attach ?? {};
	assert.deepEqual(attach.sonarr, ['arr-net']);
	assert.deepEqual(attach.radarr, ['arr-net']);
	assert.deepEqual(attach.jellyseerr, ['jellyseerr-net']);
	assert.ok(attach.jellyfin?.includes('jellyseerr-net'), 'jellyseerr depends on jellyfin, so jellyfin joins its network');
	assert.ok(Object.keys(plan.networks).every((network) => attach.traefik?.includes(network)));
	assert.equal(attach.qbittorrent, undefined, 'a service in another namespace gets no networks of its own');
});
