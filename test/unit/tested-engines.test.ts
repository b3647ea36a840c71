/**
 * Newer engines than the tested matrix (issue 23): preflight warns — never refuses — when the
 * engine or compose is newer than Engine 26.1/28.5 and Compose 2.26/2.40, and names what is
 * known to differ there: the nftables firewall backend, Compose ≥ 5.2 recreating `service:`
 * followers on every `up`, Engine 28's gw_priority ignored for IPv6 on dual-stack networks.
 */
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {formatEvent} from '../../source/commands/printer.js';
import {compareVersions, engineWarnings, newerThanTested, stackFacts, testedComposes, testedEngines} from '../../source/tested-engines.js';
import {project} from '../harness/edit.js';

describe('versions against the tested matrix', () => {
	test('versions compare part by part as numbers, v-prefixes and suffixes ignored', () => {
		assert.ok(compareVersions('29.8.1', '28.5') > 0);
		assert.ok(compareVersions('28.10.0', '28.5') > 0, '10 > 5 as numbers, though "1" < "5" as text');
		assert.ok(compareVersions('v5.5.0', '5.2') > 0);
		assert.equal(compareVersions('5.2.0-desktop.1', '5.2'), 0);
		assert.ok(compareVersions('2.40.3', '5.2') < 0);
	});

	test('a patch release of a tested minor is tested; a later minor or major is newer', () => {
		assert.deepEqual(
			['26.1.5', '28.5.2', '28.6.0', '29.8.1', '27.0.0'].map((version) => newerThanTested(version, testedEngines)),
			[false, false, true, true, false],
		);
		assert.deepEqual(
			['2.26.1', '2.40.3', '2.41.0', 'v5.5.0', '2.30.0'].map((version) => newerThanTested(version, testedComposes)),
			[false, false, true, true, false],
		);
	});
});

describe('the warning preflight prints', () => {
	test('a tested engine and compose with iptables get no warning', () => {
		assert.deepEqual(engineWarnings({engineVersion: '28.5.2', composeVersion: '2.40.3', firewallBackend: 'iptables'}), []);
		assert.deepEqual(engineWarnings({engineVersion: '26.1.5', composeVersion: '2.26.1'}), []);
	});

	test('Engine 29 on nftables with Compose 5.5 and service: followers: each fact, with its issue', () => {
		const warnings = engineWarnings({
			engineVersion: '29.8.1',
			composeVersion: '5.5.0',
			firewallBackend: 'nftables',
			followers: new Map([['gluetun', ['qbittorrent', 'prowlarr']]]),
		});
		assert.equal(warnings.length, 4);
		assert.match(warnings[0] ?? '', /^Docker Engine 29\.8\.1 is newer than the engines netmigrate is tested on \(26\.1, 28\.5\)/);
		assert.match(warnings[1] ?? '', /^Docker Compose 5\.5\.0 is newer than the composes netmigrate is tested on \(2\.26, 2\.40\)/);
		assert.match(warnings[2] ?? '', /firewall backend is nftables.*DOCKER-ISOLATION-STAGE-1\/2\) are gone \(moby #49981\)/);
		assert.match(
			warnings[3] ?? '',
			/recreates network_mode: service: followers on every `up` \(compose #13878\).*gluetun \(qbittorrent, prowlarr\)/,
		);
	});

	test('Compose 5.2 names followers only where the stack has them; nftables is named on any engine', () => {
		assert.equal(
			engineWarnings({engineVersion: '29.1.0', composeVersion: '5.2.0', followers: new Map()}).filter((line) => /13878/.test(line))
				.length,
			0,
		);
		assert.equal(engineWarnings({engineVersion: '28.5.0', composeVersion: '2.40.0', firewallBackend: 'nftables'}).length, 1);
	});

	test('Engine 28 and later with a dual-stack network: gw_priority is ignored for IPv6', () => {
		const [warning] = engineWarnings({engineVersion: '28.5.2', composeVersion: '2.40.3', dualStackNetworks: ['frontend-net']});
		assert.match(
			warning ?? '',
			/^Engine 28 and later ignore gw_priority for the IPv6 default route on dual-stack networks \(moby #51999\): a container on frontend-net/,
		);
		assert.deepEqual(engineWarnings({engineVersion: '26.1.5', composeVersion: '2.26.1', dualStackNetworks: ['frontend-net']}), []);
	});

	test('the line output shows each as a warning line', () => {
		const [message] = engineWarnings({engineVersion: '29.9.0', composeVersion: '2.40.3'});
		assert.equal(formatEvent({type: 'log', level: 'warn', message: message as string}), `  ! ${message}`);
	});
});

describe('what preflight reads from the stack and the plan', () => {
	test('followers by owner, and the plan networks with an IPv6 subnet', () => {
		const model = project({
			'docker-compose.yml': [
				'services:',
				'  gluetun: {image: qmcgaw/gluetun}',
				'  qbittorrent: {image: lscr.io/linuxserver/qbittorrent, network_mode: "service:gluetun"}',
				'  prowlarr: {image: lscr.io/linuxserver/prowlarr, network_mode: "service:gluetun"}',
				'  sonarr: {image: lscr.io/linuxserver/sonarr}',
				'',
			].join('\n'),
		});
		const networks = {'frontend-net': {subnet: 'fd00:10::/64'}, 'backend-net': {subnet: '172.30.1.0/24'}};
		const facts = stackFacts(model, {networks} as never);
		assert.deepEqual([...(facts.followers ?? [])], [['gluetun', ['qbittorrent', 'prowlarr']]]);
		assert.deepEqual(facts.dualStackNetworks, ['frontend-net']);
	});
});
